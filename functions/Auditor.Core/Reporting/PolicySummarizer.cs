using Auditor.Core.Policy;
using Auditor.Core.State;

namespace Auditor.Core.Reporting;

/// <summary>
/// Turns a key policy into a <see cref="PolicySummary"/>. A statement's actions are tested against the
/// real KMS action names (wildcards and NotAction included), so <c>kms:Create*</c> or <c>kms:*</c> show up
/// as what they allow, not as text.
/// </summary>
public static class PolicySummarizer
{
    /// <summary>
    /// Actions that manage the key rather than use it (the KMS "key administrators" set). RevokeGrant is left
    /// out: AWS's default policy gives it to key users too, for AWS services that attach persistent resources.
    /// </summary>
    public static readonly IReadOnlyList<string> AdminActions =
    [
        "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:DisableKey", "kms:EnableKey",
        "kms:DisableKeyRotation", "kms:EnableKeyRotation", "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias",
        "kms:UpdateKeyDescription", "kms:DeleteImportedKeyMaterial", "kms:ImportKeyMaterial",
        "kms:TagResource", "kms:UntagResource", "kms:CreateKey", "kms:ReplicateKey", "kms:UpdatePrimaryRegion",
    ];

    /// <summary>Cryptographic operations: what "using" a key means.</summary>
    public static readonly IReadOnlyList<string> UseActions =
    [
        "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext",
        "kms:Sign", "kms:Verify", "kms:GenerateMac", "kms:VerifyMac", "kms:DeriveSharedSecret",
    ];

    public static PolicySummary Summarize(PolicyVersion version, string? keyAccount)
    {
        PolicyDocument doc;
        try
        {
            doc = PolicyDocument.Parse(version.PolicyJson);
        }
        catch (PolicyFormatException e)
        {
            return new PolicySummary { Source = version.Describe(), ParseError = e.Message };
        }
        return Summarize(doc, keyAccount, version.Describe());
    }

    public static PolicySummary Summarize(PolicyDocument doc, string? keyAccount, string source)
    {
        var admins = new List<PolicyGrantee>();
        var users = new List<PolicyGrantee>();
        var grantCreators = new List<PolicyGrantee>();
        var delegation = new List<string>();
        var external = new List<PolicyGrantee>();
        var publicStatements = new List<PolicyGrantee>();
        var denies = new List<PolicyGrantee>();

        foreach (var s in doc.Statements)
        {
            var conditions = s.Conditions.Select(c => $"{c.Operator.Name} {c.Key} = {string.Join(" | ", c.Values.Select(v => v.Text))}").ToList();
            var principals = PrincipalTexts(s);
            if (s.Effect == PolicyEffect.Deny)
            {
                foreach (var p in principals) denies.Add(new PolicyGrantee(p, s.Label, ActionTexts(s), conditions));
                continue;
            }
            var adminActions = AdminActions.Where(s.CoversAction).ToList();
            var useActions = UseActions.Where(s.CoversAction).ToList();
            bool createsGrants = s.CoversAction("kms:CreateGrant");

            bool everyone = s.NotPrincipal is not null || (s.Principal?.NamesEveryone ?? s.NotPrincipal is null);
            if (everyone)
                publicStatements.Add(new PolicyGrantee(s.NotPrincipal is not null ? "NotPrincipal: " + string.Join(", ", principals) : "*", s.Label, ActionTexts(s), conditions));

            foreach (var r in References(s))
            {
                if (r.Kind == PrincipalRef.RefKind.Everyone) continue;
                if (r.Kind == PrincipalRef.RefKind.Account && r.AccountId == keyAccount)
                {
                    if (!delegation.Contains(s.Label)) delegation.Add(s.Label);
                    continue; // the root statement delegates; the principals are whoever IAM allows
                }
                if (adminActions.Count > 0) admins.Add(new PolicyGrantee(r.Text, s.Label, Shorten(adminActions, AdminActions, "every key-management action"), conditions));
                if (useActions.Count > 0) users.Add(new PolicyGrantee(r.Text, s.Label, Shorten(useActions, UseActions, "every cryptographic operation"), conditions));
                if (createsGrants) grantCreators.Add(new PolicyGrantee(r.Text, s.Label, ["kms:CreateGrant"], conditions));
                if (r.AccountId is { } acct && keyAccount is not null && acct != keyAccount)
                    external.Add(new PolicyGrantee(r.Text, s.Label, ActionTexts(s), conditions));
            }
        }
        return new PolicySummary
        {
            Administrators = admins, Users = users, GrantCreators = grantCreators, IamDelegation = delegation,
            ExternalAccounts = external, PublicStatements = publicStatements, Denies = denies,
            Source = source, StatementCount = doc.Statements.Count,
        };
    }

    private static IEnumerable<PrincipalRef> References(PolicyStatement s) =>
        s.Principal is { } p ? p.Aws.Concat(p.Service) : [];

    private static List<string> PrincipalTexts(PolicyStatement s)
    {
        var e = s.Principal ?? s.NotPrincipal;
        if (e is null) return ["*"];
        if (e.IsEveryone) return ["*"];
        return [.. e.Aws.Select(a => a.Text), .. e.Service.Select(a => a.Text), .. e.Federated, .. e.CanonicalUser];
    }

    private static IReadOnlyList<string> ActionTexts(PolicyStatement s) =>
        s.NotActions.Count > 0 ? [.. s.NotActions.Select(a => "NOT " + a.Text)] : [.. s.Actions.Select(a => a.Text)];

    // Long lists of covered actions read badly: kms:* covers them all, so say so.
    private static IReadOnlyList<string> Shorten(List<string> actions, IReadOnlyList<string> all, string allLabel) =>
        actions.Count == all.Count ? [allLabel] : actions;
}
