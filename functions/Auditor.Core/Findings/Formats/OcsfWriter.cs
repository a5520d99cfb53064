using System.Text.Encodings.Web;
using System.Text.Json;
using Auditor.Core.Authorization;

namespace Auditor.Core.Findings.Formats;

/// <summary>
/// Writes findings as OCSF 1.6.0 Detection Finding events (class_uid 2004, category 2 Findings, activity 1
/// Create, type_uid 200401) with the Cloud profile, one JSON object per line. Required attributes of the class
/// (activity_id, category_uid, class_uid, type_uid, severity_id, time, metadata with product and version,
/// finding_info with uid and title) and of the profile (cloud with provider) are always written.
/// <c>time</c> is the event's time in epoch milliseconds, not the wall clock, so a replay writes the same bytes
/// every time. The contract's authorization explanation is kept verbatim under <c>unmapped.authorization</c>
/// and in OCSF terms under <c>authorizations</c>.
/// https://schema.ocsf.io/1.6.0/classes/detection_finding
/// </summary>
public static class OcsfWriter
{
    public const string SchemaVersion = "1.6.0";
    public const int ClassUid = 2004;
    public const int CategoryUid = 2;
    public const int ActivityCreate = 1;
    public const int TypeUid = ClassUid * 100 + ActivityCreate;
    public const int StatusNew = 1;

    /// <summary>Writes <paramref name="findings"/> as OCSF JSON lines, in <see cref="Finding.Compare"/> order (streamed when already <paramref name="sorted"/>).</summary>
    public static void Write(IEnumerable<Finding> findings, Stream output, FindingProductInfo? product = null, bool sorted = false)
    {
        var settings = product ?? FindingProductInfo.Default;
        FindingJson.WriteLines(findings, output, (f, w) => WriteOne(f, w, settings), sorted);
    }

    /// <summary>OCSF <c>severity_id</c>: Informational 1, Low 2, Medium 3, High 4, Critical 5.</summary>
    public static int SeverityId(Severity s) => s switch
    {
        Severity.Info => 1,
        Severity.Low => 2,
        Severity.Medium => 3,
        Severity.High => 4,
        _ => 5,
    };

    private static string SeverityCaption(Severity s) => s switch
    {
        Severity.Info => "Informational",
        Severity.Low => "Low",
        Severity.Medium => "Medium",
        Severity.High => "High",
        _ => "Critical",
    };

    public static void WriteOne(Finding f, Utf8JsonWriter w, FindingProductInfo product)
    {
        var scope = FindingScope.Of(f);
        long time = f.EventTime.ToUnixTimeMilliseconds();
        w.WriteStartObject();
        // Classification.
        w.WriteNumber("activity_id", ActivityCreate);
        w.WriteString("activity_name", "Create");
        w.WriteNumber("category_uid", CategoryUid);
        w.WriteString("category_name", "Findings");
        w.WriteNumber("class_uid", ClassUid);
        w.WriteString("class_name", "Detection Finding");
        w.WriteNumber("type_uid", TypeUid);
        w.WriteString("type_name", "Detection Finding: Create");
        w.WriteNumber("severity_id", SeverityId(f.Severity));
        w.WriteString("severity", SeverityCaption(f.Severity));
        w.WriteNumber("status_id", StatusNew);
        w.WriteString("status", "New");
        w.WriteBoolean("is_alert", true);
        w.WriteNumber("time", time);
        w.WriteString("message", f.Title);

        w.WriteStartObject("metadata");
        w.WriteString("version", SchemaVersion);
        w.WriteString("uid", f.Id);
        w.WriteStartArray("profiles");
        w.WriteStringValue("cloud");
        w.WriteEndArray();
        w.WriteStartObject("product");
        w.WriteString("name", product.Name);
        w.WriteString("vendor_name", product.VendorName);
        w.WriteString("version", product.Version);
        w.WriteEndObject();
        w.WriteString("log_name", "CloudTrail");
        w.WriteString("event_code", f.EventName);
        w.WriteEndObject();

        w.WriteStartObject("finding_info");
        w.WriteString("uid", f.Id);
        w.WriteString("title", f.Title);
        w.WriteString("desc", f.Explanation);
        w.WriteStartArray("types");
        w.WriteStringValue(f.Rule);
        w.WriteEndArray();
        w.WriteStartObject("analytic");
        w.WriteString("uid", f.Rule);
        w.WriteString("name", f.Rule);
        w.WriteNumber("type_id", 1);
        w.WriteString("type", "Rule");
        w.WriteEndObject();
        w.WriteStartArray("data_sources");
        w.WriteStringValue("AWS CloudTrail");
        w.WriteEndArray();
        w.WriteNumber("first_seen_time", time);
        w.WriteNumber("last_seen_time", time);
        w.WriteStartArray("related_events");
        WriteRelatedEvent(w, f.EventId, f.EventName);
        foreach (var id in f.Evidence) WriteRelatedEvent(w, id, null);
        w.WriteEndArray();
        w.WriteEndObject();

        if (FindingScope.RemediationOf(f.Rule) is { } remediation)
        {
            w.WriteStartObject("remediation");
            w.WriteString("desc", remediation);
            w.WriteEndObject();
        }

        // Cloud profile.
        w.WriteStartObject("cloud");
        w.WriteString("provider", "AWS");
        if (scope.Region is not null) w.WriteString("region", scope.Region);
        if (scope.AccountId is not null)
        {
            w.WriteStartObject("account");
            w.WriteString("uid", scope.AccountId);
            w.WriteNumber("type_id", 10);
            w.WriteString("type", "AWS Account");
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartObject("api");
        w.WriteString("operation", f.EventName);
        w.WriteStartObject("service");
        w.WriteString("name", "kms.amazonaws.com");
        w.WriteEndObject();
        w.WriteEndObject();

        if (f.KeyArn is not null)
        {
            w.WriteStartArray("resources");
            w.WriteStartObject();
            w.WriteString("uid", f.KeyArn);
            w.WriteString("type", "AWS::KMS::Key");
            if (scope.Region is not null) w.WriteString("region", scope.Region);
            w.WriteString("cloud_partition", scope.Partition);
            w.WriteEndObject();
            w.WriteEndArray();
        }

        if (f.Principal is not null)
        {
            w.WriteStartObject("actor");
            w.WriteStartObject("user");
            w.WriteString("uid", f.Principal);
            w.WriteString("name", ShortName(f.Principal));
            if (State.Arns.PrincipalAccount(f.Principal) is { } principalAccount)
            {
                w.WriteStartObject("account");
                w.WriteString("uid", principalAccount);
                w.WriteNumber("type_id", 10);
                w.WriteString("type", "AWS Account");
                w.WriteEndObject();
            }
            w.WriteEndObject();
            if (f.SessionArn is not null)
            {
                w.WriteStartObject("session");
                w.WriteString("uid", f.SessionArn);
                w.WriteString("issuer", f.Principal);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }

        w.WriteStartArray("authorizations");
        w.WriteStartObject();
        w.WriteString("decision", AuthorizationNames.Of(f.Authorization.Decision));
        if (f.Authorization.StatementSid is not null || f.Authorization.GrantId is not null)
        {
            w.WriteStartObject("policy");
            w.WriteString("name", f.Authorization.GrantId is { } g ? "grant " + g : f.Authorization.StatementSid);
            w.WriteString("uid", f.Authorization.GrantId ?? f.Authorization.StatementSid);
            w.WriteString("desc", f.Authorization.Describe());
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndArray();

        w.WriteStartObject("unmapped");
        w.WriteString("rule", f.Rule);
        w.WriteString("eventId", f.EventId);
        w.WriteString("eventName", f.EventName);
        w.WriteStartObject("authorization");
        w.WriteString("decision", AuthorizationNames.Of(f.Authorization.Decision));
        w.WriteString("path", AuthorizationNames.Of(f.Authorization.Path));
        WriteNullable(w, "statementSid", f.Authorization.StatementSid);
        WriteNullable(w, "grantId", f.Authorization.GrantId);
        w.WriteEndObject();
        w.WriteStartArray("evidence");
        foreach (var e in f.Evidence) w.WriteStringValue(e);
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteEndObject();
    }

    private static void WriteRelatedEvent(Utf8JsonWriter w, string eventId, string? eventName)
    {
        w.WriteStartObject();
        w.WriteString("uid", eventId);
        w.WriteString("product_uid", "cloudtrail");
        if (eventName is not null) w.WriteString("type", eventName);
        w.WriteEndObject();
    }

    // "arn:aws:iam::1:role/path/Name" -> "Name"; service principals and ids stay as they are.
    private static string ShortName(string principal)
    {
        int slash = principal.LastIndexOf('/');
        return slash >= 0 && slash < principal.Length - 1 ? principal[(slash + 1)..] : principal;
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name); else w.WriteString(name, value);
    }
}
