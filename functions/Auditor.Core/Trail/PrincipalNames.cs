namespace Auditor.Core.Trail;

/// <summary>
/// The principal a finding names for a caller (CONTRACT section 3): the role ARN for an assumed-role
/// session (the session ARN goes in <c>sessionArn</c>), the service principal for an AWS service, the
/// account root for Root and AWSAccount callers, else the recorded ARN.
/// </summary>
public static class PrincipalNames
{
    public static string Display(UserIdentity u)
    {
        switch (u.Type)
        {
            case "AssumedRole" when u.SessionIssuer?.Arn is { } role:
                return role;
            case "AssumedRole" when u.Arn is { } session:
                return RoleFromSession(session) ?? session;
            case "AWSService":
                return u.InvokedBy ?? u.PrincipalId ?? "unknown-service";
            case "Root":
            case "AWSAccount":
                return u.AccountId is { } a ? $"arn:aws:iam::{a}:root" : u.Arn ?? u.PrincipalId ?? "unknown";
        }
        return u.Arn ?? (u.AccountId is { } acct ? $"arn:aws:iam::{acct}:root" : u.PrincipalId ?? u.InvokedBy ?? "unknown");
    }

    /// <summary>The session ARN when the caller was an assumed-role session, else null.</summary>
    public static string? Session(UserIdentity u) => u.Type == "AssumedRole" ? u.Arn : null;

    /// <summary>
    /// <c>arn:aws:sts::ACCT:assumed-role/ROLE/SESSION</c> to <c>arn:aws:iam::ACCT:role/ROLE</c>. The role's
    /// path is not in a session ARN, so this is right only for roles without a path.
    /// </summary>
    public static string? RoleFromSession(string sessionArn)
    {
        const string marker = ":assumed-role/";
        int i = sessionArn.IndexOf(marker, StringComparison.Ordinal);
        if (i < 0 || !sessionArn.StartsWith("arn:", StringComparison.Ordinal)) return null;
        var head = sessionArn[..i]; // arn:aws:sts::ACCT
        var rest = sessionArn[(i + marker.Length)..];
        int slash = rest.IndexOf('/');
        var role = slash < 0 ? rest : rest[..slash];
        var parts = head.Split(':');
        return parts.Length < 5 ? null : $"arn:{parts[1]}:iam::{parts[4]}:role/{role}";
    }
}
