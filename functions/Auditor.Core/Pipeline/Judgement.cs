using Auditor.Core.Authorization;
using Auditor.Core.State;

namespace Auditor.Core.Pipeline;

/// <summary>
/// What the auditor concluded about one call: the authorization decision with its path, and the facts
/// behind it that rules need (whether a statement names the caller, which grant explains the call, which
/// ended grant would have). Built once per call by an <see cref="ICallJudge"/>.
/// </summary>
public sealed record Judgement
{
    public required AuthorizationResult Authorization { get; init; }
    /// <summary>The policy in force at the event's time; null when the auditor does not know it.</summary>
    public PolicyVersion? Policy { get; init; }
    /// <summary>An Allow statement other than the account-root delegation names the caller (any action).</summary>
    public bool PolicyNamesCaller { get; init; }
    /// <summary>An Allow statement other than the account-root delegation names the caller for this action (conditions not false).</summary>
    public bool PolicyAllowsCallerForAction { get; init; }
    /// <summary>The caller is the grantee of an active grant for this operation (constraints aside).</summary>
    public bool HoldsActiveGrantForOperation { get; init; }
    /// <summary>An active grant that allows the call.</summary>
    public GrantRecord? ActiveGrant { get; init; }
    /// <summary>A retired or revoked grant that matches the call (grantee, operation, constraints), ended before it.</summary>
    public GrantRecord? EndedGrant { get; init; }
    /// <summary>The request as policy evaluation saw it; null when no key could be derived.</summary>
    public RequestContext? Context { get; init; }

    public bool PolicyKnown => Policy is not null;

    /// <summary>For calls that touch no key (ListKeys, GenerateRandom...) or whose key is unknown.</summary>
    public static readonly Judgement Unknown = new() { Authorization = AuthorizationResult.PolicyUnknown };
}
