using System.Text.Encodings.Web;
using System.Text.Json;
using Auditor.Core.Findings;

namespace Auditor.Core.Reporting;

/// <summary>The JSON form of a report, field by field (AOT-safe); the schema is docs/report-schema.md.</summary>
public static class JsonReportRenderer
{
    public static void Render(ComplianceReport r, Stream output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteNumber("schemaVersion", ComplianceReport.SchemaVersion);
        w.WriteString("generatedAt", ReportText.Time(r.GeneratedAt));
        w.WriteStartObject("period");
        Nullable(w, "from", r.Period.From is null ? null : ReportText.Time(r.Period.From));
        Nullable(w, "to", r.Period.To is null ? null : ReportText.Time(r.Period.To));
        w.WriteBoolean("fromGiven", r.Period.FromGiven);
        w.WriteBoolean("toGiven", r.Period.ToGiven);
        w.WriteEndObject();

        w.WriteStartObject("sources");
        w.WriteString("findingsDir", r.Sources.FindingsDir);
        Strings(w, "trailPaths", r.Sources.TrailPaths);
        Nullable(w, "inventoryPath", r.Sources.InventoryPath);
        NullableNumber(w, "replayFilesRead", r.Sources.ReplayFilesRead);
        NullableNumber(w, "replayEventsRead", r.Sources.ReplayEventsRead);
        NullableNumber(w, "replayKmsEvents", r.Sources.ReplayKmsEvents);
        w.WriteNumber("trailFilesRead", r.Sources.TrailFilesRead);
        w.WriteEndObject();

        w.WriteStartObject("totals");
        w.WriteNumber("keys", r.Totals.Keys);
        w.WriteNumber("principals", r.Totals.Principals);
        w.WriteNumber("calls", r.Totals.Calls);
        w.WriteNumber("failedCalls", r.Totals.FailedCalls);
        w.WriteNumber("findings", r.Totals.Findings);
        Counts(w, "findingsBySeverity", r.Totals.FindingsBySeverity);
        Counts(w, "findingsByRule", r.FindingsByRule);
        w.WriteEndObject();

        w.WriteStartObject("coverage");
        w.WriteBoolean("usageAssessed", r.Coverage.UsageAssessed);
        w.WriteStartArray("keysWithUnknownPolicy");
        foreach (var k in r.Coverage.KeysWithUnknownPolicy)
        {
            w.WriteStartObject();
            w.WriteString("keyArn", k.Name);
            w.WriteNumber("calls", k.Count);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (r.Coverage.DaysWithoutLogFiles is { } days) Strings(w, "daysWithoutLogFiles", days.Select(ReportText.Day));
        else w.WriteNull("daysWithoutLogFiles");
        Errors(w, "failedFiles", r.Coverage.FailedFiles);
        w.WriteEndObject();

        if (r.Integrity is { } integrity) Integrity(w, integrity);
        else w.WriteNull("integrity");

        w.WriteStartArray("keys");
        foreach (var k in r.Keys) Key(w, k);
        w.WriteEndArray();

        w.WriteStartArray("findings");
        foreach (var f in r.Findings) FindingJson.Write(f, w);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Key(Utf8JsonWriter w, KeyReport k)
    {
        w.WriteStartObject();
        Nullable(w, "keyArn", k.KeyArn);
        Strings(w, "aliases", k.Aliases);
        w.WriteString("status", k.Status);
        w.WriteNumber("calls", k.Calls);
        w.WriteNumber("callsWithUnknownPolicy", k.CallsWithUnknownPolicy);
        if (k.Policy is { } p)
        {
            w.WriteStartObject("policy");
            w.WriteString("source", p.Source);
            w.WriteNumber("statements", p.StatementCount);
            Nullable(w, "parseError", p.ParseError);
            Grantees(w, "administrators", p.Administrators);
            Grantees(w, "users", p.Users);
            Grantees(w, "grantCreators", p.GrantCreators);
            Strings(w, "iamDelegation", p.IamDelegation);
            Grantees(w, "externalAccounts", p.ExternalAccounts);
            Grantees(w, "publicStatements", p.PublicStatements);
            Grantees(w, "denies", p.Denies);
            w.WriteEndObject();
        }
        else w.WriteNull("policy");
        w.WriteStartArray("policyChanges");
        foreach (var c in k.PolicyChanges)
        {
            w.WriteStartObject();
            w.WriteString("at", ReportText.Time(c.At));
            w.WriteString("source", c.Source);
            Nullable(w, "eventId", c.EventId);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("grants");
        foreach (var g in k.Grants)
        {
            w.WriteStartObject();
            w.WriteString("grantId", g.GrantId);
            Nullable(w, "name", g.Name);
            Nullable(w, "grantee", g.Grantee);
            Nullable(w, "retiringPrincipal", g.RetiringPrincipal);
            Strings(w, "operations", g.Operations);
            Nullable(w, "constraints", g.Constraints);
            w.WriteString("status", g.Status);
            Nullable(w, "createdAt", g.CreatedAt is null ? null : ReportText.Time(g.CreatedAt));
            Nullable(w, "createdBy", g.CreatedBy);
            Nullable(w, "endedAt", g.EndedAt is null ? null : ReportText.Time(g.EndedAt));
            Nullable(w, "endedBy", g.EndedBy);
            if (g.Lifetime is { } l) w.WriteNumber("lifetimeSeconds", (long)l.TotalSeconds); else w.WriteNull("lifetimeSeconds");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("usage");
        foreach (var c in k.Usage) Cell(w, c);
        w.WriteEndArray();
        w.WriteStartObject("callsPerDay");
        foreach (var d in k.CallsPerDay) w.WriteNumber(ReportText.Day(d.Day), d.Count);
        w.WriteEndObject();
        Strings(w, "findingIds", k.Findings.Select(f => f.Id));
        w.WriteEndObject();
    }

    private static void Cell(Utf8JsonWriter w, UsageCell c)
    {
        w.WriteStartObject();
        w.WriteString("principal", c.Principal);
        w.WriteString("operation", c.Operation);
        w.WriteNumber("count", c.Count);
        w.WriteNumber("failed", c.Failed);
        w.WriteString("firstSeen", ReportText.Time(c.FirstSeen));
        w.WriteString("lastSeen", ReportText.Time(c.LastSeen));
        w.WriteStartArray("authorizations");
        foreach (var a in c.Authorizations)
        {
            w.WriteStartObject();
            w.WriteString("decision", a.Decision);
            w.WriteString("path", a.Path);
            Nullable(w, "statementSid", a.StatementSid);
            Nullable(w, "grantId", a.GrantId);
            w.WriteNumber("count", a.Count);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Integrity(Utf8JsonWriter w, LogFileIntegrityReport i)
    {
        w.WriteStartObject("integrity");
        w.WriteNumber("digestFiles", i.DigestFiles);
        w.WriteNumber("matched", i.Matched);
        w.WriteNumber("mismatched", i.Mismatched);
        w.WriteNumber("notCovered", i.NotCovered);
        w.WriteBoolean("signaturesVerified", false);
        w.WriteString("note", LogFileIntegrityReport.SignatureNote);
        w.WriteStartArray("files");
        foreach (var f in i.Files)
        {
            w.WriteStartObject();
            w.WriteString("file", f.File);
            w.WriteString("status", StatusName(f.Status));
            w.WriteString("sha256", f.ActualSha256);
            Nullable(w, "expectedSha256", f.ExpectedSha256);
            Nullable(w, "digestFile", f.DigestFile);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Strings(w, "listedNotRead", i.ListedNotRead);
        Errors(w, "digestErrors", i.DigestErrors);
        w.WriteEndObject();
    }

    public static string StatusName(IntegrityStatus s) => s switch
    {
        IntegrityStatus.Matched => "matched",
        IntegrityStatus.Mismatched => "mismatched",
        _ => "not-covered",
    };

    private static void Grantees(Utf8JsonWriter w, string name, IReadOnlyList<PolicyGrantee> list)
    {
        w.WriteStartArray(name);
        foreach (var g in list)
        {
            w.WriteStartObject();
            w.WriteString("principal", g.Principal);
            w.WriteString("statement", g.Statement);
            Strings(w, "actions", g.Actions);
            Strings(w, "conditions", g.Conditions);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Errors(Utf8JsonWriter w, string name, IReadOnlyList<FileError> errors)
    {
        w.WriteStartArray(name);
        foreach (var e in errors)
        {
            w.WriteStartObject();
            w.WriteString("file", e.File);
            w.WriteString("error", e.Error);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Counts(Utf8JsonWriter w, string name, IReadOnlyList<NamedCount> counts)
    {
        w.WriteStartObject(name);
        foreach (var c in counts) w.WriteNumber(c.Name, c.Count);
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void Nullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name); else w.WriteString(name, value);
    }

    private static void NullableNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is null) w.WriteNull(name); else w.WriteNumber(name, value.Value);
    }
}
