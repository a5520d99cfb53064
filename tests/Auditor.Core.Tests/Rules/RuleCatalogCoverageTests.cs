using Auditor.Core.Rules;

namespace Auditor.Core.Tests.Rules;

/// <summary>Every rule in <see cref="RuleCatalog"/> is tested, documented and has an id the contract allows.</summary>
public sealed class RuleCatalogCoverageTests
{
    public static TheoryData<string> RuleIds() => [.. RuleCatalog.All().Select(r => r.Descriptor.Id)];

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_fires_on_its_example_trail(string rule)
    {
        var f = RuleExamples.FindingOf(rule);
        Assert.Equal(rule, f.Rule);
        Assert.False(string.IsNullOrWhiteSpace(f.Title));
        Assert.False(string.IsNullOrWhiteSpace(f.Explanation));
        Assert.StartsWith("kta-", f.Id);
    }

    [Fact]
    public void Rule_ids_are_unique_and_lower_kebab_case()
    {
        var ids = RuleCatalog.All().Select(r => r.Descriptor.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[a-z]+(-[a-z]+)*$", id));
    }

    [Fact]
    public void Catalog_holds_every_rule_of_contract_section_6()
    {
        string[] contract = ["unexpected-principal", "retired-grant-use", "grant-external-principal", "policy-public-access",
            "policy-lockout-risk", "key-deletion-scheduled", "key-disabled", "access-denied-burst"];
        var ids = RuleCatalog.All().Select(r => r.Descriptor.Id).ToHashSet();
        Assert.All(contract, id => Assert.Contains(id, ids));
    }

    [Fact]
    public void Every_rule_has_a_rationale_and_a_remediation()
    {
        Assert.All(RuleCatalog.All(), r =>
        {
            Assert.True(r.Descriptor.Rationale.Length > 40, r.Descriptor.Id);
            Assert.True(r.Descriptor.Remediation.Length > 20, r.Descriptor.Id);
        });
    }
}
