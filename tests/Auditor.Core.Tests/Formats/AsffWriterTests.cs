using System.Text.Json;
using Auditor.Core.Findings;
using Auditor.Core.Findings.Formats;
using Auditor.Core.Rules;
using Auditor.Core.Tests.Rules;
using static Auditor.Core.Tests.Formats.FormatTestSupport;

namespace Auditor.Core.Tests.Formats;

/// <summary>AWS Security Finding Format, importable into Security Hub CSPM with BatchImportFindings.</summary>
public sealed class AsffWriterTests
{
    /// <summary>https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html</summary>
    private static readonly (string Path, JsonValueKind Kind)[] Required =
    [
        ("AwsAccountId", JsonValueKind.String), ("CreatedAt", JsonValueKind.String), ("Description", JsonValueKind.String),
        ("GeneratorId", JsonValueKind.String), ("Id", JsonValueKind.String), ("ProductArn", JsonValueKind.String),
        ("Resources", JsonValueKind.Array), ("Resources.0.Type", JsonValueKind.String), ("Resources.0.Id", JsonValueKind.String),
        ("SchemaVersion", JsonValueKind.String), ("Severity", JsonValueKind.Object), ("Severity.Label", JsonValueKind.String),
        ("Title", JsonValueKind.String), ("Types", JsonValueKind.Array), ("UpdatedAt", JsonValueKind.String),
    ];

    private static readonly string[] Labels = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"];
    private static readonly string[] Namespaces = ["Software and Configuration Checks", "TTPs", "Effects", "Unusual Behaviors", "Sensitive Data Identifications"];

    public static TheoryData<string> RuleIds() => [.. RuleCatalog.All().Select(r => r.Descriptor.Id)];

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Findings_of_every_rule_carry_the_required_attributes(string rule)
    {
        var finding = RuleExamples.FindingOf(rule);
        var doc = Lines(s => AsffWriter.Write([finding], s)).Single().RootElement;
        foreach (var (path, kind) in Required) Requires(doc, path, kind, rule);
        Assert.Equal("2018-10-08", At(doc, "SchemaVersion").GetString());
        Assert.Equal(finding.Id, At(doc, "Id").GetString());
        Assert.Equal(rule, At(doc, "GeneratorId").GetString());
        Assert.Matches("^[0-9]{12}$", At(doc, "AwsAccountId").GetString());
        var account = At(doc, "AwsAccountId").GetString();
        Assert.Equal($"arn:aws:securityhub:us-east-1:{account}:product/{account}/default", At(doc, "ProductArn").GetString());
        Assert.Contains(At(doc, "Severity.Label").GetString(), Labels);
        Assert.All(At(doc, "Types").EnumerateArray(), t =>
        {
            var parts = t.GetString()!.Split('/');
            Assert.InRange(parts.Length, 2, 3);
            Assert.Contains(parts[0], Namespaces);
        });
        foreach (var stamp in new[] { "CreatedAt", "UpdatedAt" })
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", At(doc, stamp).GetString());
        Assert.InRange(At(doc, "Title").GetString()!.Length, 1, 256);
        Assert.InRange(At(doc, "Description").GetString()!.Length, 1, 1024);
        Assert.Equal(AuthorizationNamesOf(finding), At(doc, "ProductFields.kta/Authorization/Decision").GetString());
        Assert.All(At(doc, "ProductFields").EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        if (finding.KeyArn is not null)
        {
            Assert.Equal("AwsKmsKey", At(doc, "Resources.0.Type").GetString());
            Assert.Equal(finding.KeyArn, At(doc, "Resources.0.Id").GetString());
            Assert.Equal("us-east-1", At(doc, "Resources.0.Region").GetString());
        }
    }

    private static string AuthorizationNamesOf(Finding f) => Authorization.AuthorizationNames.Of(f.Authorization.Decision);

    [Theory]
    [InlineData(Severity.Info, "INFORMATIONAL")]
    [InlineData(Severity.Low, "LOW")]
    [InlineData(Severity.Medium, "MEDIUM")]
    [InlineData(Severity.High, "HIGH")]
    [InlineData(Severity.Critical, "CRITICAL")]
    public void Severity_maps_to_the_ASFF_label(Severity severity, string label)
    {
        var doc = Lines(s => AsffWriter.Write([Sample() with { Severity = severity }], s)).Single().RootElement;
        Assert.Equal(label, At(doc, "Severity.Label").GetString());
    }

    [Fact]
    public void Long_title_and_description_are_cut_without_splitting_a_character()
    {
        // 🔑 is a surrogate pair: a cut between its halves would write invalid UTF-16 (and an invalid JSON escape).
        var title = new string('t', 254) + "🔑" + "tail";
        var explanation = string.Concat(Enumerable.Repeat("🔑", 600));
        var doc = Lines(s => AsffWriter.Write([Sample(title, explanation)], s)).Single().RootElement;
        var t = At(doc, "Title").GetString()!;
        var d = At(doc, "Description").GetString()!;
        Assert.True(t.Length <= 256, $"title has {t.Length} characters");
        Assert.True(d.Length <= 1024, $"description has {d.Length} characters");
        Assert.EndsWith("…", t);
        Assert.EndsWith("…", d);
        Assert.False(char.IsHighSurrogate(t[^2]), "the title ends in half a surrogate pair");
        Assert.True(d[..^1].Length % 2 == 0, "a surrogate pair was split");
        Assert.Equal(explanation, At(doc, "ProductFields.kta/Explanation").GetString()); // 1200 chars: under the 2048 limit, kept whole
    }

    [Fact]
    public void A_finding_without_a_key_names_the_caller_as_its_resource()
    {
        var doc = Lines(s => AsffWriter.Write([Sample(keyArn: null)], s)).Single().RootElement;
        Assert.Equal("Other", At(doc, "Resources.0.Type").GetString());
        Assert.Equal(TestTrail.UserArn("bob"), At(doc, "Resources.0.Id").GetString());
        Assert.Equal(TestTrail.Account, At(doc, "AwsAccountId").GetString());
        Assert.Equal("eu-west-1", At(doc, "Resources.0.Region").GetString());
    }

    [Fact]
    public void Product_arn_can_be_given()
    {
        const string arn = "arn:aws:securityhub:us-east-1:999999999999:product/999999999999/default";
        var doc = Lines(s => AsffWriter.Write([Sample()], s, new AsffWriterOptions { ProductArn = arn })).Single().RootElement;
        Assert.Equal(arn, At(doc, "ProductArn").GetString());
    }

    [Fact]
    public void Writes_one_sorted_line_per_finding_and_the_same_bytes_every_time()
    {
        var findings = RuleExamples.AllFindings();
        var a = Text(s => AsffWriter.Write(findings, s));
        Assert.Equal(a, Text(s => AsffWriter.Write(findings.Reverse(), s)));
        Assert.Equal(findings.Count, a.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Every_rule_in_the_catalog_has_finding_types()
    {
        Assert.All(RuleCatalog.All(), r => Assert.NotEmpty(AsffWriter.TypesOf(r.Descriptor.Id)));
    }
}
