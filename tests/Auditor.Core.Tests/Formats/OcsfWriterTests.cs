using System.Text.Json;
using Auditor.Core.Findings;
using Auditor.Core.Findings.Formats;
using Auditor.Core.Rules;
using Auditor.Core.Tests.Rules;
using static Auditor.Core.Tests.Formats.FormatTestSupport;

namespace Auditor.Core.Tests.Formats;

/// <summary>OCSF 1.6.0 Detection Finding (class 2004) with the Cloud profile.</summary>
public sealed class OcsfWriterTests
{
    /// <summary>Required by the class (base event, finding, detection_finding) and by the Cloud profile.</summary>
    private static readonly (string Path, JsonValueKind Kind)[] Required =
    [
        ("activity_id", JsonValueKind.Number), ("category_uid", JsonValueKind.Number), ("class_uid", JsonValueKind.Number),
        ("type_uid", JsonValueKind.Number), ("severity_id", JsonValueKind.Number), ("time", JsonValueKind.Number),
        ("metadata", JsonValueKind.Object), ("metadata.version", JsonValueKind.String), ("metadata.product", JsonValueKind.Object),
        ("metadata.product.name", JsonValueKind.String), ("metadata.product.vendor_name", JsonValueKind.String),
        ("finding_info", JsonValueKind.Object), ("finding_info.uid", JsonValueKind.String), ("finding_info.title", JsonValueKind.String),
        ("cloud", JsonValueKind.Object), ("cloud.provider", JsonValueKind.String),
    ];

    /// <summary>What this project always adds: the explanation, the key, the caller, the contract's authorization.</summary>
    private static readonly (string Path, JsonValueKind Kind)[] Promised =
    [
        ("metadata.uid", JsonValueKind.String), ("metadata.product.version", JsonValueKind.String),
        ("finding_info.desc", JsonValueKind.String), ("finding_info.types", JsonValueKind.Array), ("finding_info.related_events", JsonValueKind.Array),
        ("status_id", JsonValueKind.Number), ("cloud.region", JsonValueKind.String), ("cloud.account.uid", JsonValueKind.String),
        ("actor.user.uid", JsonValueKind.String), ("unmapped.authorization.decision", JsonValueKind.String),
        ("unmapped.authorization.path", JsonValueKind.String), ("authorizations.0.decision", JsonValueKind.String),
    ];

    public static TheoryData<string> RuleIds() => [.. RuleCatalog.All().Select(r => r.Descriptor.Id)];

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Findings_of_every_rule_carry_the_required_attributes(string rule)
    {
        var finding = RuleExamples.FindingOf(rule);
        var doc = Lines(s => OcsfWriter.Write([finding], s)).Single().RootElement;
        foreach (var (path, kind) in Required.Concat(Promised)) Requires(doc, path, kind, rule);
        Assert.Equal(2004, At(doc, "class_uid").GetInt32());
        Assert.Equal(2, At(doc, "category_uid").GetInt32());
        Assert.Equal(1, At(doc, "activity_id").GetInt32());
        Assert.Equal(200401, At(doc, "type_uid").GetInt32());
        Assert.Equal("1.6.0", At(doc, "metadata.version").GetString());
        Assert.Equal("KMS Trail Auditor", At(doc, "metadata.product.name").GetString());
        Assert.Equal("AWS", At(doc, "cloud.provider").GetString());
        Assert.Equal(finding.Id, At(doc, "finding_info.uid").GetString());
        Assert.Equal(rule, At(doc, "finding_info.types.0").GetString());
        Assert.Equal(finding.EventTime.ToUnixTimeMilliseconds(), At(doc, "time").GetInt64());
        Assert.Equal(finding.Explanation, At(doc, "finding_info.desc").GetString());
        Assert.Equal(finding.Principal, At(doc, "actor.user.uid").GetString());
        Assert.Equal(finding.EventId, At(doc, "finding_info.related_events.0.uid").GetString());
        if (finding.KeyArn is not null)
        {
            Assert.Equal(finding.KeyArn, At(doc, "resources.0.uid").GetString());
            Assert.Equal("AWS::KMS::Key", At(doc, "resources.0.type").GetString());
        }
    }

    [Theory]
    [InlineData(Severity.Info, 1)]
    [InlineData(Severity.Low, 2)]
    [InlineData(Severity.Medium, 3)]
    [InlineData(Severity.High, 4)]
    [InlineData(Severity.Critical, 5)]
    public void Severity_maps_to_OCSF_severity_id(Severity severity, int id)
    {
        Assert.Equal(id, OcsfWriter.SeverityId(severity));
        var doc = Lines(s => OcsfWriter.Write([Sample() with { Severity = severity }], s)).Single().RootElement;
        Assert.Equal(id, At(doc, "severity_id").GetInt32());
    }

    [Fact]
    public void Cloud_profile_and_authorization_come_from_the_finding()
    {
        var doc = Lines(s => OcsfWriter.Write([Sample()], s)).Single().RootElement;
        Assert.Equal("us-east-1", At(doc, "cloud.region").GetString()); // the key's region, not the event's
        Assert.Equal(TestTrail.Account, At(doc, "cloud.account.uid").GetString());
        Assert.Equal("DelegatedToIam", At(doc, "unmapped.authorization.decision").GetString());
        Assert.Equal("iam-delegation", At(doc, "unmapped.authorization.path").GetString());
        Assert.Equal("Enable IAM User Permissions", At(doc, "unmapped.authorization.statementSid").GetString());
        Assert.Equal(JsonValueKind.Null, At(doc, "unmapped.authorization.grantId").ValueKind);
        Assert.Equal("Enable IAM User Permissions", At(doc, "authorizations.0.policy.uid").GetString());
        Assert.Equal("ev-0", At(doc, "finding_info.related_events.1.uid").GetString());
        Assert.Contains("cloud", At(doc, "metadata.profiles").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Writes_one_sorted_line_per_finding_and_the_same_bytes_every_time()
    {
        var findings = RuleExamples.AllFindings();
        var a = Text(s => OcsfWriter.Write(findings, s));
        var b = Text(s => OcsfWriter.Write(findings.Reverse(), s));
        Assert.Equal(a, b);
        Assert.Equal(findings.Count, a.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Product_version_can_be_set()
    {
        var doc = Lines(s => OcsfWriter.Write([Sample()], s, new FindingProductInfo { Version = "9.9.9" })).Single().RootElement;
        Assert.Equal("9.9.9", At(doc, "metadata.product.version").GetString());
    }
}
