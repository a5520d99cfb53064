namespace Auditor.Core.Authorization;

/// <summary>
/// The explanation every finding carries: the decision, what decided it, and the statement or grant.
/// </summary>
public sealed record AuthorizationResult(Decision Decision, AuthorizationPath Path, string? StatementSid = null, string? GrantId = null)
{
    /// <summary>The key policy is not known at the event's time: nothing can be said.</summary>
    public static readonly AuthorizationResult PolicyUnknown = new(Decision.Undetermined, AuthorizationPath.Unknown);

    /// <summary>A short human phrase, used in explanations.</summary>
    public string Describe() => (Decision, Path) switch
    {
        (Decision.Allow, AuthorizationPath.KeyPolicy) => StatementSid is null ? "allowed by an unnamed key-policy statement" : $"allowed by key-policy statement \"{StatementSid}\"",
        (Decision.Allow, AuthorizationPath.Grant) => $"allowed by grant {GrantId}",
        (Decision.Allow, AuthorizationPath.IamDelegation) => "allowed through IAM policies by way of the account-root statement",
        (Decision.DelegatedToIam, _) => StatementSid is null ? "allowed only if the caller's IAM policies allow it (account-root delegation)" : $"allowed only if the caller's IAM policies allow it (delegation by \"{StatementSid}\")",
        (Decision.ExplicitDeny, _) => StatementSid is null ? "explicitly denied" : $"explicitly denied by \"{StatementSid}\"",
        (Decision.ImplicitDeny, _) => "not allowed by any statement or active grant",
        _ => "undetermined: the key policy in force then is not known (an inventory would tell), or the outcome depends on a condition CloudTrail does not record",
    };
}
