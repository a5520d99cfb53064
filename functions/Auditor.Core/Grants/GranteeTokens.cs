using Auditor.Core.Authorization;
using Auditor.Core.Policy;

namespace Auditor.Core.Grants;

/// <summary>
/// A cheap pre-filter for grant matching. Every grantee gets one token (or none, meaning "always check"), and every
/// caller a few; <see cref="GrantMatcher.PrincipalMatches"/> can answer anything but false only when the grant's
/// token is among the caller's. A key can hold hundreds of grants (EBS makes one per volume attachment, and ended
/// grants stay to judge late uses), so skipping the full match — which parses the grantee — for all the others
/// keeps judging a call from growing with the key's history. The tokens are a superset test: the full match
/// still decides.
/// </summary>
public static class GranteeTokens
{
    /// <summary>The grantee's token; null when the grantee must always be checked (an account, a service, "*", unparseable).</summary>
    public static string? Of(string? grantee)
    {
        if (string.IsNullOrEmpty(grantee)) return null;
        var r = PrincipalRef.Parse(grantee);
        return r.Kind switch
        {
            PrincipalRef.RefKind.Role or PrincipalRef.RefKind.Session or PrincipalRef.RefKind.Arn => ArnToken(grantee.Trim()),
            PrincipalRef.RefKind.UniqueId => "uid|" + grantee.Trim(),
            PrincipalRef.RefKind.Other => "x|" + grantee.Trim().ToLowerInvariant(),
            _ => null,
        };
    }

    /// <summary>Every token a grant naming this caller can carry; null when the caller is known only by its account (check every grant).</summary>
    public static HashSet<string>? Of(CallerPrincipal caller)
    {
        if (caller.IdentityUnknown && caller.Arn is null) return null;
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        foreach (var arn in new[] { caller.Arn, caller.RoleArn })
        {
            if (arn is null) continue;
            if (ArnToken(arn) is { } t) tokens.Add(t);
            tokens.Add("x|" + arn.ToLowerInvariant());
            // A session ARN also stands for its role (arn:aws:sts::A:assumed-role/ROLE/SESSION matches role ROLE).
            if (PrincipalArns.TryParseSession(arn, out var account, out var role, out _)) tokens.Add($"arn|{account}|{role.ToLowerInvariant()}");
        }
        if (caller.ServicePrincipal is { } service) tokens.Add("x|" + service.ToLowerInvariant());
        if (caller.PrincipalId is { } id)
        {
            int colon = id.IndexOf(':');
            tokens.Add("uid|" + (colon >= 0 ? id[..colon] : id));
            tokens.Add("x|" + id.ToLowerInvariant());
        }
        return tokens;
    }

    /// <summary>account|name of an IAM/STS ARN, lower-cased: the last segment of the resource (role or user name, session name).</summary>
    private static string? ArnToken(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6) return null;
        var resource = parts[5];
        int slash = resource.LastIndexOf('/');
        return $"arn|{parts[4]}|{(slash >= 0 ? resource[(slash + 1)..] : resource).ToLowerInvariant()}";
    }
}
