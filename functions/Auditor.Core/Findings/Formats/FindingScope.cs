using Auditor.Core.State;

namespace Auditor.Core.Findings.Formats;

/// <summary>
/// Where a finding lives in AWS terms — account, region, partition — derived from its key ARN first (the
/// resource the finding is about), then the caller's account and the event's region. Exporters need these
/// as separate fields; the finding itself carries them only inside ARNs.
/// </summary>
internal readonly record struct FindingScope(string? AccountId, string? Region, string Partition)
{
    public static FindingScope Of(Finding f)
    {
        string? keyAccount = Arns.Account(f.KeyArn);
        string? account = keyAccount is not null && Arns.IsAccountId(keyAccount) ? keyAccount : Arns.PrincipalAccount(f.Principal);
        string? region = Arns.Region(f.KeyArn) is { Length: > 0 } r ? r : f.AwsRegion;
        string partition = f.KeyArn is not null && f.KeyArn.StartsWith("arn:", StringComparison.Ordinal) ? Arns.KeyArnPartition(f.KeyArn)
            : region is not null && region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
            : region is not null && region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
        return new FindingScope(account, region, partition);
    }

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="max"/> characters, never inside a surrogate pair, marking the cut with an ellipsis.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max) return text;
        int cut = max - 1;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
        return string.Concat(text.AsSpan(0, cut), "…");
    }

    /// <summary>The remediation text of the rule that raised the finding, when the rule is in the catalog.</summary>
    public static string? RemediationOf(string rule) => Rules.RuleCatalog.All().FirstOrDefault(r => r.Descriptor.Id == rule)?.Descriptor.Remediation;
}
