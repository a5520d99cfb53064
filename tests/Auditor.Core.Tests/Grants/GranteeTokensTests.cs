using Auditor.Core.Authorization;
using Auditor.Core.Grants;
using Auditor.Core.Policy;
using Auditor.Core.Trail;

namespace Auditor.Core.Tests.Grants;

/// <summary>The grantee pre-filter may only ever skip grants that cannot match: a superset test, checked over real shapes.</summary>
public class GranteeTokensTests
{
    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Auditor.sln"))) return d.FullName;
        throw new InvalidOperationException("repo root not found");
    }

    [Fact]
    public void Whenever_a_grantee_might_match_a_caller_the_tokens_agree()
    {
        var events = new List<KmsEvent>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(RepoRoot(), "sample-events"), "*.json.gz", SearchOption.AllDirectories))
        {
            using var s = File.OpenRead(f);
            new TrailReader().Read(s, f, events.Add);
        }
        var callers = events.Select(e => RequestContextBuilder.CallerOf(e.UserIdentity)).Distinct().ToList();
        var grantees = events.Select(e => e.Request.GranteePrincipal).OfType<string>()
            .Concat(callers.SelectMany(c => new[] { c.Arn, c.RoleArn, c.PrincipalId, c.ServicePrincipal }).OfType<string>())
            .Concat(["arn:aws:iam::111122223333:role/path/AppRole", "AROAEXAMPLEROLEID12", "111122223333", "arn:aws:iam::111122223333:root", "ARN:AWS:IAM::111122223333:USER/ALICE", "*"])
            .Distinct().ToList();
        int pairs = 0, skippable = 0;
        foreach (var caller in callers)
        {
            var tokens = GranteeTokens.Of(caller);
            foreach (var grantee in grantees)
            {
                pairs++;
                var token = GranteeTokens.Of(grantee);
                if (tokens is null || token is null || tokens.Contains(token)) continue;
                skippable++;
                Assert.True(GrantMatcher.PrincipalMatches(grantee, caller) == Tri.False, $"grantee {grantee} was filtered out for caller {caller.Arn ?? caller.ServicePrincipal} but may match");
            }
        }
        Assert.True(skippable > pairs / 2, $"the filter should rule out most pairs ({skippable} of {pairs})");
    }
}
