using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Auditor.Core.Authorization;

namespace Auditor.Core.Findings.Formats;

/// <summary>Choices for <see cref="AsffWriter"/> that the findings alone do not settle.</summary>
public sealed record AsffWriterOptions
{
    /// <summary>
    /// The product ARN to import under. Null: the account's default custom-integration ARN,
    /// <c>arn:PARTITION:securityhub:REGION:ACCOUNT:product/ACCOUNT/default</c>, with each finding's account and region.
    /// </summary>
    public string? ProductArn { get; init; }
    /// <summary>Used when a finding names neither a key ARN nor a caller with an account.</summary>
    public string FallbackAccountId { get; init; } = "000000000000";
    /// <summary>Used when a finding names no region.</summary>
    public string FallbackRegion { get; init; } = "us-east-1";
    public FindingProductInfo Product { get; init; } = FindingProductInfo.Default;

    public static readonly AsffWriterOptions Default = new();
}

/// <summary>
/// Writes findings in the AWS Security Finding Format (SchemaVersion 2018-10-08), one finding object per line,
/// ready to be batched into <c>BatchImportFindings</c> (<c>{"Findings":[…]}</c>, at most 100 per call). Every
/// required top-level attribute is written: AwsAccountId, CreatedAt, Description, GeneratorId, Id, ProductArn,
/// Resources, SchemaVersion, Severity, Title, Types, UpdatedAt. Title is cut to 256 and Description to 1024
/// characters; ProductFields values to 2048. Timestamps are the event's time, so the same trail always gives
/// the same bytes. https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html
/// </summary>
public static class AsffWriter
{
    public const string SchemaVersion = "2018-10-08";
    public const int TitleMax = 256;
    public const int DescriptionMax = 1024;
    public const int ProductFieldValueMax = 2048;
    public const int RecommendationMax = 512;

    private const string BestPractices = "Software and Configuration Checks/AWS Security Best Practices";

    /// <summary>Writes <paramref name="findings"/> as ASFF JSON lines, in <see cref="Finding.Compare"/> order (streamed when already <paramref name="sorted"/>).</summary>
    public static void Write(IEnumerable<Finding> findings, Stream output, AsffWriterOptions? options = null, bool sorted = false)
    {
        var settings = options ?? AsffWriterOptions.Default;
        FindingJson.WriteLines(findings, output, (f, w) => WriteOne(f, w, settings), sorted);
    }

    /// <summary>ASFF <c>Severity.Label</c>.</summary>
    public static string SeverityLabel(Severity s) => s switch
    {
        Severity.Info => "INFORMATIONAL",
        Severity.Low => "LOW",
        Severity.Medium => "MEDIUM",
        Severity.High => "HIGH",
        _ => "CRITICAL",
    };

    /// <summary>
    /// ASFF finding types (namespace/category) for a rule: behaviour seen in calls is a TTP, an effect or an
    /// unusual behaviour; configuration changes are best-practice checks. Rules added later default to the latter.
    /// </summary>
    public static IReadOnlyList<string> TypesOf(string rule) => rule switch
    {
        "unexpected-principal" => ["Unusual Behaviors/User"],
        "retired-grant-use" => ["TTPs/Persistence", "Unusual Behaviors/User"],
        "access-denied-burst" => ["TTPs/Discovery"],
        "key-deletion-scheduled" or "key-material-deleted" => ["Effects/Data Destruction"],
        "key-disabled" or "key-unusable-calls" => ["Effects/Denial of Service"],
        "policy-public-access" or "policy-external-account" or "grant-external-principal" => ["Effects/Data Exposure", BestPractices],
        "key-rotation-disabled" => [BestPractices, "Software and Configuration Checks/Industry and Regulatory Standards"],
        _ => [BestPractices],
    };

    public static void WriteOne(Finding f, Utf8JsonWriter w, AsffWriterOptions options)
    {
        var scope = FindingScope.Of(f);
        string account = scope.AccountId ?? options.FallbackAccountId;
        string region = scope.Region ?? options.FallbackRegion;
        string time = f.EventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        w.WriteStartObject();
        w.WriteString("SchemaVersion", SchemaVersion);
        w.WriteString("Id", f.Id);
        w.WriteString("ProductArn", options.ProductArn ?? $"arn:{scope.Partition}:securityhub:{region}:{account}:product/{account}/default");
        w.WriteString("ProductName", options.Product.Name);
        w.WriteString("CompanyName", options.Product.VendorName);
        w.WriteString("GeneratorId", f.Rule);
        w.WriteString("AwsAccountId", account);
        w.WriteString("Region", region);
        w.WriteStartArray("Types");
        foreach (var t in TypesOf(f.Rule)) w.WriteStringValue(t);
        w.WriteEndArray();
        w.WriteString("FirstObservedAt", time);
        w.WriteString("LastObservedAt", time);
        w.WriteString("CreatedAt", time);
        w.WriteString("UpdatedAt", time);
        w.WriteStartObject("Severity");
        w.WriteString("Label", SeverityLabel(f.Severity));
        w.WriteString("Original", SeverityNames.Of(f.Severity));
        w.WriteEndObject();
        w.WriteString("Title", FindingScope.Truncate(f.Title, TitleMax));
        w.WriteString("Description", FindingScope.Truncate(f.Explanation, DescriptionMax));
        if (FindingScope.RemediationOf(f.Rule) is { } remediation)
        {
            w.WriteStartObject("Remediation");
            w.WriteStartObject("Recommendation");
            w.WriteString("Text", FindingScope.Truncate(remediation, RecommendationMax));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteStartObject("ProductFields");
        Field(w, "kta/Rule", f.Rule);
        Field(w, "kta/EventId", f.EventId);
        Field(w, "kta/EventName", f.EventName);
        Field(w, "kta/Principal", f.Principal);
        Field(w, "kta/SessionArn", f.SessionArn);
        Field(w, "kta/Authorization/Decision", AuthorizationNames.Of(f.Authorization.Decision));
        Field(w, "kta/Authorization/Path", AuthorizationNames.Of(f.Authorization.Path));
        Field(w, "kta/Authorization/StatementSid", f.Authorization.StatementSid);
        Field(w, "kta/Authorization/GrantId", f.Authorization.GrantId);
        Field(w, "kta/Authorization", f.Authorization.Describe());
        Field(w, "kta/Evidence", f.Evidence.Count == 0 ? null : string.Join(",", f.Evidence));
        Field(w, "kta/Explanation", f.Explanation);
        w.WriteEndObject();

        w.WriteStartArray("Resources");
        w.WriteStartObject();
        if (f.KeyArn is not null)
        {
            w.WriteString("Type", "AwsKmsKey");
            w.WriteString("Id", f.KeyArn);
        }
        else
        {
            // A finding about a caller rather than a key (a burst of denials on no key): the caller is the resource.
            w.WriteString("Type", "Other");
            w.WriteString("Id", f.Principal ?? $"AWS::::Account:{account}");
        }
        w.WriteString("Partition", scope.Partition);
        w.WriteString("Region", region);
        w.WriteEndObject();
        w.WriteEndArray();

        w.WriteStartObject("Action");
        w.WriteString("ActionType", "AWS_API_CALL");
        w.WriteStartObject("AwsApiCallAction");
        w.WriteString("Api", f.EventName);
        w.WriteString("ServiceName", "kms.amazonaws.com");
        w.WriteString("FirstSeen", time);
        w.WriteString("LastSeen", time);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteString("RecordState", "ACTIVE");
        w.WriteStartObject("Workflow");
        w.WriteString("Status", "NEW");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Field(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) w.WriteString(name, FindingScope.Truncate(value, ProductFieldValueMax));
    }
}
