namespace Auditor.Core.Trail;

/// <summary>
/// The <c>userIdentity</c> block of a CloudTrail record, for every identity type CloudTrail writes
/// (IAMUser, AssumedRole, Root, AWSAccount, AWSService, FederatedUser, IdentityCenterUser, ...).
/// Fields CloudTrail omits for a type stay null.
/// </summary>
public sealed record UserIdentity
{
    /// <summary>IAMUser, AssumedRole, Root, AWSAccount, AWSService, FederatedUser, IdentityCenterUser, Unknown, ...</summary>
    public string? Type { get; init; }
    public string? PrincipalId { get; init; }
    /// <summary>The ARN as CloudTrail records it: for a session, the session ARN (which drops the role path).</summary>
    public string? Arn { get; init; }
    public string? AccountId { get; init; }
    public string? AccessKeyId { get; init; }
    public string? UserName { get; init; }
    /// <summary>The AWS service that made the call on the caller's behalf (e.g. <c>s3.amazonaws.com</c>).</summary>
    public string? InvokedBy { get; init; }
    /// <summary>The role (or user) that issued the session; the only place a session keeps its role path.</summary>
    public SessionIssuer? SessionIssuer { get; init; }
    public bool? MfaAuthenticated { get; init; }
    public string? IdentityStoreArn { get; init; }
    public string? CredentialId { get; init; }
}

/// <summary><c>userIdentity.sessionContext.sessionIssuer</c>.</summary>
public sealed record SessionIssuer
{
    public string? Type { get; init; }
    public string? PrincipalId { get; init; }
    public string? Arn { get; init; }
    public string? AccountId { get; init; }
    public string? UserName { get; init; }
}
