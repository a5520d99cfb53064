using System.Text.Encodings.Web;
using System.Text.Json;

namespace Auditor.Core.Findings;

/// <summary>
/// <c>summary.json</c> (CONTRACT section 2): what was read, what could not be, and what was found.
/// Counters are filled by the host as it reads; <see cref="AddFindings"/> tallies the findings.
/// </summary>
public sealed class RunSummary
{
    public long FilesRead { get; set; }
    public long FilesSkipped { get; set; }
    public long DigestFiles { get; set; }
    public List<(string File, string Error)> Errors { get; } = [];
    public long EventsRead { get; set; }
    /// <summary>KMS records read, before de-duplication by eventID.</summary>
    public long KmsRecordsRead { get; set; }
    public long DuplicateEvents { get; set; }
    public long BytesRead { get; set; }
    public SortedDictionary<string, long> ByEventName { get; } = new(StringComparer.Ordinal);
    public long Findings { get; private set; }
    public SortedDictionary<string, long> BySeverity { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> ByRule { get; } = new(StringComparer.Ordinal);

    /// <summary>KMS events after de-duplication.</summary>
    public long KmsEvents => ByEventName.Values.Sum();

    public void AddFindings(IEnumerable<Finding> findings)
    {
        foreach (var f in findings)
        {
            Findings++;
            var s = SeverityNames.Of(f.Severity);
            BySeverity[s] = BySeverity.GetValueOrDefault(s) + 1;
            ByRule[f.Rule] = ByRule.GetValueOrDefault(f.Rule) + 1;
        }
    }

    public void Write(Stream output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteNumber("filesRead", FilesRead);
        w.WriteNumber("filesSkipped", FilesSkipped);
        w.WriteNumber("digestFiles", DigestFiles);
        w.WriteStartArray("errors");
        foreach (var (file, error) in Errors)
        {
            w.WriteStartObject();
            w.WriteString("file", file);
            w.WriteString("error", error);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("eventsRead", EventsRead);
        w.WriteNumber("kmsEvents", KmsEvents);
        w.WriteNumber("kmsRecordsRead", KmsRecordsRead);
        w.WriteNumber("duplicateEvents", DuplicateEvents);
        w.WriteNumber("bytesRead", BytesRead);
        WriteCounts(w, "byEventName", ByEventName);
        w.WriteNumber("findings", Findings);
        WriteCounts(w, "bySeverity", BySeverity);
        WriteCounts(w, "byRule", ByRule);
        w.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter w, string name, SortedDictionary<string, long> counts)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in counts) w.WriteNumber(k, v);
        w.WriteEndObject();
    }
}
