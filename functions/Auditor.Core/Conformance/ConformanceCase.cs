using Auditor.Core.Authorization;
using Auditor.Core.Grants;
using Auditor.Core.Policy;

namespace Auditor.Core.Conformance;

/// <summary>
/// One policy-evaluation conformance case (format: <c>conformance/README.md</c>): a key policy, grants,
/// optionally the caller's identity policies, a request, and what KMS decides.
/// </summary>
public sealed record ConformanceCase
{
    public required string Name { get; init; }
    public IReadOnlyList<string> Source { get; init; } = [];
    /// <summary>Null when the case gives no policy (the policy is unknown).</summary>
    public PolicyDocument? Policy { get; init; }
    /// <summary>Null when absent (unknown IAM policies); empty when the caller has none.</summary>
    public IReadOnlyList<PolicyDocument>? IdentityPolicies { get; init; }
    public IReadOnlyList<Grant> Grants { get; init; } = [];
    public required RequestContext Request { get; init; }
    public ConformanceExpectation? Expected { get; init; }
    /// <summary>The file the case came from and its position there, for messages.</summary>
    public string? File { get; init; }
    public int Index { get; init; }

    /// <summary>Evaluates the case.</summary>
    public AuthorizationResult Evaluate() => AuthorizationEvaluator.Evaluate(Policy, Grants, IdentityPolicies, Request);
}

/// <summary>The expected outcome; Sid and grant id are checked only where given.</summary>
public sealed record ConformanceExpectation(Decision Decision, AuthorizationPath Path, string? StatementSid, string? GrantId)
{
    /// <summary>Null when <paramref name="actual"/> meets the expectation, else what differs.</summary>
    public string? Mismatch(AuthorizationResult actual)
    {
        var problems = new List<string>();
        if (actual.Decision != Decision) problems.Add($"decision {actual.Decision}, expected {Decision}");
        if (actual.Path != Path) problems.Add($"path {AuthorizationNames.Of(actual.Path)}, expected {AuthorizationNames.Of(Path)}");
        if (StatementSid is not null && actual.StatementSid != StatementSid) problems.Add($"statementSid \"{actual.StatementSid}\", expected \"{StatementSid}\"");
        if (GrantId is not null && actual.GrantId != GrantId) problems.Add($"grantId \"{actual.GrantId}\", expected \"{GrantId}\"");
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}

/// <summary>A case file that cannot be read as conformance cases; the message names the file and the case.</summary>
public sealed class ConformanceFormatException(string message, Exception? inner = null) : Exception(message, inner);
