using Auditor.Core.Findings;
using Auditor.Core.Rules;

namespace Auditor.Core.Tests.Rules;

/// <summary>docs/rules.md documents every rule in the catalog, in the words of the code.</summary>
public sealed class RulesDocTests
{
    private static string Doc()
    {
        var path = RulesDoc.DocPath();
        if (Environment.GetEnvironmentVariable("KTA_UPDATE_DOCS") == "1") File.WriteAllText(path, RulesDoc.Render());
        Assert.True(File.Exists(path), $"{path} is missing; generate it with KTA_UPDATE_DOCS=1 dotnet test tests/Auditor.Core.Tests --filter RulesDocTests");
        return File.ReadAllText(path);
    }

    public static TheoryData<string> RuleIds() => [.. RuleCatalog.All().Select(r => r.Descriptor.Id)];

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_is_documented_as_its_descriptor_says(string rule)
    {
        var doc = Doc();
        var d = RuleCatalog.All().Single(r => r.Descriptor.Id == rule).Descriptor;
        int at = doc.IndexOf($"\n## {rule}\n", StringComparison.Ordinal);
        Assert.True(at >= 0, $"docs/rules.md has no section \"## {rule}\"; regenerate it (see RulesDoc)");
        int end = doc.IndexOf("\n## ", at + 1, StringComparison.Ordinal);
        var section = end < 0 ? doc[at..] : doc[at..end];
        Assert.Contains($"**Default severity:** {SeverityNames.Of(d.Severity)}", section);
        Assert.Contains(d.Rationale, section);
        Assert.Contains(d.Remediation, section);
        Assert.DoesNotContain("(not described yet)", section);

        // The example is a real finding line of this rule.
        int json = section.IndexOf("```json\n", StringComparison.Ordinal);
        Assert.True(json >= 0, $"no example finding for {rule}");
        var line = section[(json + 8)..section.IndexOf("\n```", json + 8, StringComparison.Ordinal)];
        var example = FindingJson.Parse(line);
        Assert.Equal(rule, example.Rule);
    }

    [Fact]
    public void Every_rule_has_a_trigger_description()
    {
        Assert.All(RuleCatalog.All(), r => Assert.True(RulesDoc.Triggers.ContainsKey(r.Descriptor.Id), $"RulesDoc.Triggers lacks {r.Descriptor.Id}"));
    }

    [Fact]
    public void Documents_no_rule_that_the_catalog_lacks()
    {
        var ids = RuleCatalog.All().Select(r => r.Descriptor.Id).ToHashSet();
        var documented = Doc().Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Select(l => l[3..].Trim())
            .Where(h => h.Contains('-') && !h.Contains(' '));
        Assert.All(documented, h => Assert.Contains(h, ids));
    }
}
