using System.Text;
using System.Text.Json;
using Auditor.Core.Findings;

namespace Auditor.Core.Reporting;

/// <summary>What a replay left in its output directory, as the report needs it.</summary>
public sealed record ReplayOutput
{
    public IReadOnlyList<Finding> Findings { get; init; } = [];
    /// <summary>Lines of <c>findings.jsonl</c> that could not be read, as errors naming the line.</summary>
    public IReadOnlyList<FileError> FindingErrors { get; init; } = [];
    public long? FilesRead { get; init; }
    public long? EventsRead { get; init; }
    public long? KmsEvents { get; init; }
    /// <summary><c>summary.json</c> <c>errors</c>: the inputs the replay could not read.</summary>
    public IReadOnlyList<FileError> ReplayErrors { get; init; } = [];
}

/// <summary>Reads <c>findings.jsonl</c> (CONTRACT section 3) and <c>summary.json</c> (section 2) from streams.</summary>
public static class ReplayOutputReader
{
    /// <summary>Reads findings line by line; a bad line is reported (file and line number) and skipped.</summary>
    public static (List<Finding> Findings, List<FileError> Errors) ReadFindings(Stream input, string source)
    {
        var findings = new List<Finding>();
        var errors = new List<FileError>();
        using var reader = new StreamReader(input, new UTF8Encoding(false, throwOnInvalidBytes: false));
        int lineNo = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                findings.Add(FindingJson.Parse(line));
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                errors.Add(new FileError($"{source}:{lineNo}", $"not a finding: {e.Message}"));
            }
        }
        return (findings, errors);
    }

    /// <summary>Reads the counters and errors of <c>summary.json</c>; throws <see cref="FormatException"/> when it is not one.</summary>
    public static ReplayOutput ReadSummary(Stream input, ReplayOutput into)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(input, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"summary.json is not valid JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("summary.json is not a JSON object");
            long? Number(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
            var errors = new List<FileError>();
            if (root.TryGetProperty("errors", out var errs) && errs.ValueKind == JsonValueKind.Array)
                foreach (var e in errs.EnumerateArray())
                    if (e.ValueKind == JsonValueKind.Object)
                        errors.Add(new FileError(Text(e, "file") ?? "(unnamed)", Text(e, "error") ?? "(no reason given)"));
            return into with { FilesRead = Number("filesRead"), EventsRead = Number("eventsRead"), KmsEvents = Number("kmsEvents"), ReplayErrors = errors };
        }
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
