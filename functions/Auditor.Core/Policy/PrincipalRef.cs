using Auditor.Core.Authorization;

namespace Auditor.Core.Policy;

/// <summary>How a principal entry matched a caller.</summary>
public enum PrincipalMatchKind : byte
{
    /// <summary>The entry names the caller itself (its ARN, role, session, unique id, service principal, or <c>*</c>).</summary>
    Direct,
    /// <summary>
    /// The entry names the caller's account (<c>ACCOUNT</c> or <c>arn:aws:iam::ACCOUNT:root</c>), which
    /// delegates to that account's IAM policies rather than allowing anyone by itself.
    /// </summary>
    Account,
}

/// <summary>
/// One principal as a policy, grant or baseline names it, classified once: everyone, an account, a role,
/// an assumed-role session, another IAM ARN, a unique id (what a deleted principal turns into), a
/// service principal, or a principal id such as <c>111122223333:aws:ec2-infrastructure:i-…</c>.
/// IAM does not allow wildcards in principal ARNs (only <c>*</c> alone), so every other entry compares
/// whole (case-insensitively: IAM names are unique regardless of case).
/// </summary>
public sealed class PrincipalRef
{
    public enum RefKind : byte { Everyone, Account, Role, Session, Arn, UniqueId, Service, Other }

    public string Text { get; }
    public RefKind Kind { get; }
    /// <summary>The account of Account, Role, Session and Arn entries.</summary>
    public string? AccountId { get; }
    /// <summary>For a role: its name (the last path segment).</summary>
    public string? RoleName { get; }
    /// <summary>For a role: true when the ARN carries a path other than <c>/</c>.</summary>
    public bool RoleHasPath { get; }

    private PrincipalRef(string text, RefKind kind, string? account = null, string? roleName = null, bool roleHasPath = false)
    {
        Text = text;
        Kind = kind;
        AccountId = account;
        RoleName = roleName;
        RoleHasPath = roleHasPath;
    }

    public static PrincipalRef Parse(string text)
    {
        string t = text.Trim();
        if (t == "*") return new PrincipalRef(t, RefKind.Everyone);
        if (t.Length == 12 && t.All(char.IsAsciiDigit)) return new PrincipalRef(t, RefKind.Account, t);
        if (t.StartsWith("arn:", StringComparison.OrdinalIgnoreCase))
        {
            var parts = t.Split(':', 6);
            if (parts.Length == 6)
            {
                string service = parts[2], account = parts[4], resource = parts[5];
                if (service.Equals("iam", StringComparison.OrdinalIgnoreCase))
                {
                    if (resource.Equals("root", StringComparison.OrdinalIgnoreCase)) return new PrincipalRef(t, RefKind.Account, account);
                    if (resource.StartsWith("role/", StringComparison.OrdinalIgnoreCase))
                    {
                        int last = resource.LastIndexOf('/');
                        return new PrincipalRef(t, RefKind.Role, account, resource[(last + 1)..], last > "role".Length);
                    }
                    return new PrincipalRef(t, RefKind.Arn, account);
                }
                if (service.Equals("sts", StringComparison.OrdinalIgnoreCase) && resource.StartsWith("assumed-role/", StringComparison.OrdinalIgnoreCase))
                    return new PrincipalRef(t, RefKind.Session, account);
                return new PrincipalRef(t, RefKind.Arn, account);
            }
            return new PrincipalRef(t, RefKind.Other);
        }
        if (t.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase) || t.EndsWith(".amazonaws.com.cn", StringComparison.OrdinalIgnoreCase))
            return new PrincipalRef(t, RefKind.Service);
        // Unique ids of users (AIDA), roles (AROA), and others: 4 letters then alphanumerics, no separators.
        if (t.Length >= 16 && t.Length <= 128 && t.All(char.IsAsciiLetterOrDigit) && t.StartsWith("A", StringComparison.Ordinal))
            return new PrincipalRef(t, RefKind.UniqueId);
        return new PrincipalRef(t, RefKind.Other);
    }

    /// <summary>
    /// Whether this entry identifies <paramref name="caller"/>, and how. Roles: the caller's role ARN
    /// (from <c>sessionIssuer</c>) compares whole; when only a session ARN is known the role name and
    /// account are compared, and a role ARN with a path cannot be confirmed (the session ARN drops the
    /// path) so that is <see cref="Tri.Unknown"/>.
    /// </summary>
    public Tri Matches(CallerPrincipal caller, out PrincipalMatchKind kind)
    {
        kind = PrincipalMatchKind.Direct;
        switch (Kind)
        {
            case RefKind.Everyone:
                return Tri.True;
            case RefKind.Account:
                kind = PrincipalMatchKind.Account;
                if (caller.ServicePrincipal is not null && caller.AccountId is null) return Tri.False;
                string? acct = PrincipalArns.AccountOf(caller);
                return acct is null ? Tri.Unknown : TriLogic.Of(acct == AccountId);
            case RefKind.Role or RefKind.Session or RefKind.Arn when caller.IdentityUnknown && caller.Arn is null:
            {
                string? callerAccount = PrincipalArns.AccountOf(caller);
                return callerAccount is not null && callerAccount != AccountId ? Tri.False : Tri.Unknown;
            }
            case RefKind.Role:
                if (caller.RoleArn is not null) return TriLogic.Of(string.Equals(caller.RoleArn, Text, StringComparison.OrdinalIgnoreCase));
                if (PrincipalArns.TryParseSession(caller.Arn, out string sAcct, out string sRole, out _))
                {
                    if (sAcct != AccountId || !string.Equals(sRole, RoleName, StringComparison.OrdinalIgnoreCase)) return Tri.False;
                    return RoleHasPath ? Tri.Unknown : Tri.True;
                }
                return Tri.False;
            case RefKind.Session:
            case RefKind.Arn:
                return TriLogic.Of(string.Equals(caller.Arn, Text, StringComparison.OrdinalIgnoreCase));
            case RefKind.UniqueId:
            {
                string? id = caller.PrincipalId;
                if (id is null) return caller.IdentityUnknown ? Tri.Unknown : Tri.False;
                int colon = id.IndexOf(':');
                ReadOnlySpan<char> head = colon >= 0 ? id.AsSpan(0, colon) : id;
                return TriLogic.Of(head.Equals(Text, StringComparison.Ordinal));
            }
            case RefKind.Service:
                return TriLogic.Of(string.Equals(caller.ServicePrincipal, Text, StringComparison.OrdinalIgnoreCase));
            default:
                return TriLogic.Of(string.Equals(caller.PrincipalId, Text, StringComparison.Ordinal) ||
                                   string.Equals(caller.Arn, Text, StringComparison.OrdinalIgnoreCase));
        }
    }

    public override string ToString() => Text;
}

/// <summary>Small helpers over IAM/STS ARNs.</summary>
public static class PrincipalArns
{
    /// <summary>Splits <c>arn:aws:sts::ACCT:assumed-role/ROLE/SESSION</c>.</summary>
    public static bool TryParseSession(string? arn, out string account, out string role, out string session)
    {
        account = role = session = "";
        if (arn is null) return false;
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || !parts[2].Equals("sts", StringComparison.OrdinalIgnoreCase)) return false;
        var res = parts[5].Split('/', 3);
        if (res.Length != 3 || !res[0].Equals("assumed-role", StringComparison.OrdinalIgnoreCase)) return false;
        account = parts[4];
        role = res[1];
        session = res[2];
        return true;
    }

    /// <summary>The account of an ARN (its fifth field), or null.</summary>
    public static string? AccountOfArn(string? arn)
    {
        var span = AccountSpanOfArn(arn);
        return span.IsEmpty ? null : span.ToString();
    }

    /// <summary>The account field of an ARN without allocating; empty when there is none.</summary>
    public static ReadOnlySpan<char> AccountSpanOfArn(string? arn)
    {
        if (arn is null || !arn.StartsWith("arn:", StringComparison.OrdinalIgnoreCase)) return default;
        int start = 0;
        for (int field = 0; field < 4; field++)
        {
            int colon = arn.IndexOf(':', start);
            if (colon < 0) return default;
            start = colon + 1;
        }
        int end = arn.IndexOf(':', start);
        return end < 0 ? default : arn.AsSpan(start, end - start);
    }

    /// <summary>The caller's account: recorded, else from its ARN or role ARN.</summary>
    public static string? AccountOf(CallerPrincipal caller) =>
        caller.AccountId ?? AccountOfArn(caller.Arn) ?? AccountOfArn(caller.RoleArn);

    /// <summary>The role ARN behind a session: recorded (with path), else derived from the session ARN (path unknown).</summary>
    public static string? RoleOf(CallerPrincipal caller)
    {
        if (caller.RoleArn is not null) return caller.RoleArn;
        return TryParseSession(caller.Arn, out var acct, out var role, out _) ? $"arn:aws:iam::{acct}:role/{role}" : null;
    }
}
