namespace Auditor.Core.State;

/// <summary>Small, allocation-light readers of the ARN forms KMS and IAM use.</summary>
public static class Arns
{
    /// <summary>The account field of an ARN (<c>arn:partition:service:region:ACCOUNT:resource</c>), or null.</summary>
    public static string? Account(string? arn) => Field(arn, 4);

    public static string? Region(string? arn) => Field(arn, 3);

    public static bool IsKeyArn(string? s) => s is not null && s.StartsWith("arn:", StringComparison.Ordinal) && s.Contains(":key/", StringComparison.Ordinal);

    public static bool IsAliasArn(string? s) => s is not null && s.StartsWith("arn:", StringComparison.Ordinal) && s.Contains(":alias/", StringComparison.Ordinal);

    /// <summary>The key id part of a key ARN, or the input when it is already an id.</summary>
    public static string KeyIdOf(string keyOrArn)
    {
        int i = keyOrArn.IndexOf(":key/", StringComparison.Ordinal);
        return i < 0 ? keyOrArn : keyOrArn[(i + 5)..];
    }

    /// <summary>The partition of an ARN (aws, aws-cn, aws-us-gov), defaulting to aws.</summary>
    public static string KeyArnPartition(string arn) => Field(arn, 1) ?? "aws";

    public static string KeyArn(string partition, string region, string account, string keyId) => $"arn:{partition}:kms:{region}:{account}:key/{keyId}";

    /// <summary>The account a principal string belongs to: an ARN's account, a bare 12-digit account, or a service-created grantee <c>ACCOUNT:aws:...</c>.</summary>
    public static string? PrincipalAccount(string? principal)
    {
        if (string.IsNullOrEmpty(principal)) return null;
        if (principal.StartsWith("arn:", StringComparison.Ordinal)) return Account(principal) is { Length: > 0 } a ? a : null;
        if (principal.Length >= 12 && IsAccountId(principal.AsSpan(0, 12)) && (principal.Length == 12 || principal[12] == ':')) return principal[..12];
        return null;
    }

    public static bool IsAccountId(ReadOnlySpan<char> s)
    {
        if (s.Length != 12) return false;
        foreach (char c in s) if (c is < '0' or > '9') return false;
        return true;
    }

    private static string? Field(string? arn, int index)
    {
        if (arn is null || !arn.StartsWith("arn:", StringComparison.Ordinal)) return null;
        int start = 0;
        for (int i = 0; i < index; i++)
        {
            start = arn.IndexOf(':', start) + 1;
            if (start == 0) return null;
        }
        int end = arn.IndexOf(':', start);
        return end < 0 ? null : arn[start..end];
    }
}
