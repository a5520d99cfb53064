namespace Auditor.Core.Policy;

/// <summary>
/// What one policy says about one request, in three-valued form, with the statements behind each
/// answer. <see cref="Tri.Unknown"/> means a statement might apply, depending on a key the auditor
/// cannot know. Once a Deny surely applies, evaluation stops (nothing can override it), so the Allow
/// fields then describe only the statements before that Deny.
/// </summary>
/// <param name="Deny">Whether a Deny statement applies.</param>
/// <param name="DenyStatement">The first Deny that applies (or, if none surely does, the first that might).</param>
/// <param name="DirectAllow">Whether an Allow statement applies that names the caller itself (its ARN, role,
/// session, unique id or service principal, <c>*</c>, or NotPrincipal) — not merely its account.</param>
/// <param name="DirectAllowStatement">That statement.</param>
/// <param name="AccountAllow">Whether an Allow statement applies through the caller's account principal
/// (<c>arn:aws:iam::ACCOUNT:root</c> or <c>ACCOUNT</c>): delegation to the account's IAM policies.</param>
/// <param name="AccountAllowStatement">That statement (the root delegation statement).</param>
public readonly record struct KeyPolicyResult(
    Tri Deny, PolicyStatement? DenyStatement,
    Tri DirectAllow, PolicyStatement? DirectAllowStatement,
    Tri AccountAllow, PolicyStatement? AccountAllowStatement)
{
    /// <summary>True when every part of the answer is determined.</summary>
    public bool IsDetermined => Deny != Tri.Unknown && DirectAllow != Tri.Unknown && AccountAllow != Tri.Unknown;

    /// <summary>A statement other than the account-root delegation surely allows the caller.</summary>
    public bool NamesCaller => DirectAllow == Tri.True;

    /// <summary>The root delegation surely applies.</summary>
    public bool RootDelegationApplies => AccountAllow == Tri.True;
}
