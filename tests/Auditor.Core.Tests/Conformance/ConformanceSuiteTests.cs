using Auditor.Core.Conformance;
using Auditor.Core.Tests.Policy;

namespace Auditor.Core.Tests.Conformance;

/// <summary>
/// Runs every conformance case — the shared ones in ../shared/conformance and the project's own in
/// tests/conformance — and compares decision, path, and the statement Sid or grant id where expected.
/// </summary>
public class ConformanceSuiteTests
{
    public static string SharedDir => Path.Combine(TestRequests.SharedDir(), "conformance");
    public static string ProjectDir => Path.Combine(TestRequests.RepoRoot(), "tests", "conformance");

    private static IEnumerable<ConformanceCase> Load(string dir) =>
        ConformanceCaseLoader.Expand(dir).SelectMany(ConformanceCaseLoader.LoadFile);

    public static TheoryData<string, int, string> SharedCases() => Data(SharedDir);
    public static TheoryData<string, int, string> ProjectCases() => Data(ProjectDir);

    private static TheoryData<string, int, string> Data(string dir)
    {
        var data = new TheoryData<string, int, string>();
        foreach (var c in Load(dir)) data.Add(c.File!, c.Index, c.Name);
        return data;
    }

    private static void Check(string file, int index, string name)
    {
        var c = ConformanceCaseLoader.LoadFile(file)[index];
        Assert.Equal(name, c.Name);
        Assert.NotNull(c.Expected);
        var actual = c.Evaluate();
        Assert.True(c.Expected!.Mismatch(actual) is null, $"{name}: {c.Expected.Mismatch(actual)}");
    }

    [Theory]
    [MemberData(nameof(SharedCases))]
    public void Shared_case_gives_the_documented_decision(string file, int index, string name) => Check(file, index, name);

    [Theory]
    [MemberData(nameof(ProjectCases))]
    public void Project_case_gives_the_documented_decision(string file, int index, string name) => Check(file, index, name);

    [Fact]
    public void Project_keeps_at_least_150_cases_each_citing_an_AWS_documentation_page()
    {
        var cases = Load(ProjectDir).ToList();
        Assert.True(cases.Count >= 150, $"only {cases.Count} project cases");
        foreach (var c in cases)
            Assert.True(c.Source.Count > 0 && c.Source.All(s => s.StartsWith("https://docs.aws.amazon.com/", StringComparison.Ordinal)),
                $"{c.Name} must cite docs.aws.amazon.com pages");
    }

    [Fact]
    public void Case_names_are_unique_across_both_suites()
    {
        var names = Load(SharedDir).Concat(Load(ProjectDir)).Select(c => c.Name).ToList();
        var dupes = names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(dupes);
    }

    [Fact]
    public void Project_cases_cover_every_condition_operator_family()
    {
        var ops = Load(ProjectDir).Where(c => c.Policy is not null)
            .SelectMany(c => c.Policy!.Statements.Concat(c.IdentityPolicies?.SelectMany(p => p.Statements) ?? []))
            .SelectMany(s => s.Conditions).Select(cl => cl.Operator.Name).ToHashSet(StringComparer.Ordinal);
        string[] required =
        [
            "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
            "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
            "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
            "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
        ];
        var missing = required.Where(r => !ops.Any(o => o.EndsWith(r, StringComparison.Ordinal) || o.EndsWith(r + "IfExists", StringComparison.Ordinal))).ToList();
        Assert.Empty(missing);
        Assert.Contains(ops, o => o.StartsWith("ForAnyValue:", StringComparison.Ordinal));
        Assert.Contains(ops, o => o.StartsWith("ForAllValues:", StringComparison.Ordinal));
        Assert.Contains(ops, o => o.EndsWith("IfExists", StringComparison.Ordinal));
    }

    [Fact]
    public void A_malformed_case_file_is_named_in_the_error()
    {
        var e = Assert.Throws<ConformanceFormatException>(() => ConformanceCaseLoader.Load("[{\"name\":\"x\",\"request\":{}}]", "bad.json"));
        Assert.Contains("bad.json", e.Message);
        Assert.Contains("\"x\"", e.Message);
        var e2 = Assert.Throws<ConformanceFormatException>(() => ConformanceCaseLoader.Load("[{", "broken.json"));
        Assert.Contains("broken.json", e2.Message);
    }

    [Fact]
    public void A_bad_policy_in_a_case_is_reported_with_the_case()
    {
        const string json = """[{"name":"p","policy":{"Statement":{"Effect":"Permit","Action":"kms:*"}},"request":{"principal":"arn:aws:iam::111122223333:user/A","action":"kms:Decrypt","resource":"r"}}]""";
        var e = Assert.Throws<ConformanceFormatException>(() => ConformanceCaseLoader.Load(json, "f.json"));
        Assert.Contains("Effect", e.Message);
        Assert.Contains("\"p\"", e.Message);
    }
}
