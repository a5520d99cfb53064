namespace Auditor.Core.Authorization;

/// <summary>
/// Who made a request, in every form a policy or grant may name it: the ARN CloudTrail recorded, the
/// role behind a session (from <c>sessionIssuer</c>, since session ARNs drop the role path), the unique
/// principal id, the account, and the service principal for AWS-service callers.
/// </summary>
public sealed record CallerPrincipal
{
    /// <summary>The ARN as recorded (a session ARN for assumed roles).</summary>
    public string? Arn { get; init; }
    /// <summary>For an assumed-role session: the role's ARN, with its path.</summary>
    public string? RoleArn { get; init; }
    public string? PrincipalId { get; init; }
    public string? AccountId { get; init; }
    /// <summary>CloudTrail's <c>userIdentity.type</c>.</summary>
    public string? Type { get; init; }
    /// <summary>For an AWS service caller: its service principal, e.g. <c>ec2.amazonaws.com</c>.</summary>
    public string? ServicePrincipal { get; init; }

    /// <summary>
    /// True when the record tells only the caller's account, not which principal in it made the call
    /// (CloudTrail's <c>AWSAccount</c> type for callers in another account, or a missing identity): a policy
    /// entry naming one principal of that account can then be neither confirmed nor ruled out.
    /// </summary>
    public bool IdentityUnknown { get; init; }

    /// <summary>
    /// The principal findings report: the role ARN for a session, the service principal for a
    /// service, else the recorded ARN (CONTRACT section 3, <c>principal</c>).
    /// </summary>
    public string DisplayName => RoleArn ?? ServicePrincipal ?? Arn ?? (AccountId is null ? PrincipalId ?? "unknown" : $"arn:aws:iam::{AccountId}:root");
}
