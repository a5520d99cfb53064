using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Auditor.Core.Authorization;

namespace Auditor.Core.Findings;

/// <summary>
/// The JSON-lines form of findings (CONTRACT section 3), written field by field so the bytes are the same
/// on every run and under native AOT, and read back for reports and golden tests.
/// </summary>
public static class FindingJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static void Write(Finding f, Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("id", f.Id);
        w.WriteString("rule", f.Rule);
        w.WriteString("severity", SeverityNames.Of(f.Severity));
        w.WriteString("eventId", f.EventId);
        w.WriteString("eventTime", FormatTime(f.EventTime));
        w.WriteString("eventName", f.EventName);
        WriteNullable(w, "awsRegion", f.AwsRegion);
        WriteNullable(w, "keyArn", f.KeyArn);
        WriteNullable(w, "principal", f.Principal);
        if (f.SessionArn is not null) w.WriteString("sessionArn", f.SessionArn);
        w.WriteStartObject("authorization");
        w.WriteString("decision", AuthorizationNames.Of(f.Authorization.Decision));
        w.WriteString("path", AuthorizationNames.Of(f.Authorization.Path));
        WriteNullable(w, "statementSid", f.Authorization.StatementSid);
        WriteNullable(w, "grantId", f.Authorization.GrantId);
        w.WriteEndObject();
        w.WriteString("title", f.Title);
        w.WriteString("explanation", f.Explanation);
        w.WriteStartArray("evidence");
        foreach (var e in f.Evidence) w.WriteStringValue(e);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>One finding as one line of JSON (no trailing newline).</summary>
    public static string ToLine(Finding f)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options)) Write(f, w);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes findings as JSON lines, sorted by <see cref="Finding.Compare"/> (streamed as they come when already <paramref name="sorted"/>).</summary>
    public static void WriteLines(IEnumerable<Finding> findings, Stream output, bool sorted = false) =>
        WriteLines(findings, output, Write, sorted);

    /// <summary>
    /// Writes findings as JSON lines in <see cref="Finding.Compare"/> order, each with <paramref name="writeOne"/> (the
    /// contract's shape, OCSF, ASFF…). Input already <paramref name="sorted"/> is streamed, never held.
    /// </summary>
    public static void WriteLines(IEnumerable<Finding> findings, Stream output, Action<Finding, Utf8JsonWriter> writeOne, bool sorted = false)
    {
        IEnumerable<Finding> ordered = findings;
        if (!sorted)
        {
            var list = findings.ToList();
            list.Sort(Finding.Compare);
            ordered = list;
        }
        using var w = new Utf8JsonWriter(output, Options);
        foreach (var f in ordered)
        {
            writeOne(f, w);
            w.Flush();
            output.WriteByte((byte)'\n');
            w.Reset();
        }
    }

    public static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads one finding line; throws <see cref="FormatException"/> naming the missing field.</summary>
    public static Finding Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return Parse(doc.RootElement);
    }

    public static Finding Parse(JsonElement e)
    {
        string Req(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()! : throw new FormatException($"finding has no \"{name}\"");
        string? Opt(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        if (!SeverityNames.TryParse(Req("severity"), out var severity)) throw new FormatException("finding has an unknown severity");
        if (!e.TryGetProperty("authorization", out var a) || a.ValueKind != JsonValueKind.Object) throw new FormatException("finding has no \"authorization\"");
        AuthorizationNames.TryParseDecision(Opt(a, "decision"), out var decision);
        AuthorizationNames.TryParsePath(Opt(a, "path"), out var path);
        var evidence = new List<string>();
        if (e.TryGetProperty("evidence", out var ev) && ev.ValueKind == JsonValueKind.Array)
            foreach (var x in ev.EnumerateArray()) if (x.ValueKind == JsonValueKind.String) evidence.Add(x.GetString()!);
        return new Finding
        {
            Id = Req("id"),
            Rule = Req("rule"),
            Severity = severity,
            EventId = Req("eventId"),
            EventTime = DateTimeOffset.Parse(Req("eventTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            EventName = Req("eventName"),
            AwsRegion = Opt(e, "awsRegion"),
            KeyArn = Opt(e, "keyArn"),
            Principal = Opt(e, "principal"),
            SessionArn = Opt(e, "sessionArn"),
            Authorization = new AuthorizationResult(decision, path, Opt(a, "statementSid"), Opt(a, "grantId")),
            Title = Req("title"),
            Explanation = Req("explanation"),
            Evidence = evidence,
        };
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name); else w.WriteString(name, value);
    }
}
