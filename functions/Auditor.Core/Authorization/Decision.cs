namespace Auditor.Core.Authorization;

/// <summary>What KMS decided (or would have decided) for a call, in the vocabulary of the conformance cases.</summary>
public enum Decision
{
    /// <summary>A key-policy statement naming the caller, a grant, or IAM policies together with the root statement allow it.</summary>
    Allow,
    /// <summary>Only the account-root statement applies and the caller's IAM policies are unknown: IAM decides.</summary>
    DelegatedToIam,
    /// <summary>Nothing allows it.</summary>
    ImplicitDeny,
    /// <summary>A Deny statement applies.</summary>
    ExplicitDeny,
    /// <summary>The outcome depends on something the auditor cannot know (an unknown condition key, an unknown policy).</summary>
    Undetermined,
}

/// <summary>What decided the call.</summary>
public enum AuthorizationPath
{
    KeyPolicy,
    Grant,
    IamDelegation,
    None,
    Unknown,
}

/// <summary>Wire names of <see cref="Decision"/> and <see cref="AuthorizationPath"/> (CONTRACT section 3).</summary>
public static class AuthorizationNames
{
    public static string Of(Decision d) => d.ToString();

    public static string Of(AuthorizationPath p) => p switch
    {
        AuthorizationPath.KeyPolicy => "key-policy",
        AuthorizationPath.Grant => "grant",
        AuthorizationPath.IamDelegation => "iam-delegation",
        AuthorizationPath.None => "none",
        _ => "unknown",
    };

    public static bool TryParseDecision(string? s, out Decision d) => Enum.TryParse(s, ignoreCase: false, out d);

    public static bool TryParsePath(string? s, out AuthorizationPath p)
    {
        p = s switch
        {
            "key-policy" => AuthorizationPath.KeyPolicy,
            "grant" => AuthorizationPath.Grant,
            "iam-delegation" => AuthorizationPath.IamDelegation,
            "none" => AuthorizationPath.None,
            "unknown" => AuthorizationPath.Unknown,
            _ => (AuthorizationPath)(-1),
        };
        return (int)p >= 0;
    }
}
