using Auditor.Core.Trail;

namespace Auditor.Core.State;

/// <summary>
/// Works out which key a KMS record acted on, as a full key ARN where it can be derived: from the
/// record's <c>resources</c>, the key CreateKey returned, or <c>requestParameters.keyId</c> (an ARN, a bare
/// id completed with the record's region and account, or an alias resolved at the event's time).
/// </summary>
public static class KeyResolver
{
    public static string? Resolve(KmsEvent e, AliasBook aliases)
    {
        foreach (var r in e.Resources)
            if (Arns.IsKeyArn(r.Arn)) return r.Arn;
        if (Arns.IsKeyArn(e.Request.CreatedKeyArn)) return e.Request.CreatedKeyArn;
        var id = e.Request.KeyId ?? e.Request.SourceKeyId ?? e.Request.TargetKeyId;
        return id is null ? null : Complete(id, e, aliases);
    }

    /// <summary>Turns any KMS key identifier into a key ARN at the event's time and place, or returns it as seen.</summary>
    public static string Complete(string id, KmsEvent e, AliasBook aliases)
    {
        if (Arns.IsKeyArn(id)) return id;
        string? account = e.RecipientAccountId ?? e.UserIdentity.AccountId;
        string? region = e.AwsRegion;
        if (id.StartsWith("alias/", StringComparison.Ordinal) || Arns.IsAliasArn(id))
        {
            string aliasAccount = Arns.Account(id) ?? account ?? "";
            string aliasRegion = Arns.Region(id) ?? region ?? "";
            return aliases.Resolve(aliasAccount, aliasRegion, AliasBook.NormalizeName(id), e.EventTime) ?? id;
        }
        if (account is null || region is null) return id;
        return Arns.KeyArn(Partition(e), region, account, id);
    }

    public static string Partition(KmsEvent e) =>
        e.AwsRegion is { } r && r.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : e.AwsRegion is { } g && g.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
}
