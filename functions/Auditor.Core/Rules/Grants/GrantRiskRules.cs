using Auditor.Core.Findings;
using Auditor.Core.Trail;

namespace Auditor.Core.Rules.Grants;

/// <summary>
/// Grants created directly by people or applications (not by an AWS service on their behalf), whose
/// shape widens access more than a reviewer would expect. Service-created grants (EBS, Lambda, RDS…)
/// are left alone: their shape is the service's, not a choice anyone in the account made.
/// </summary>
internal static class GrantShape
{
    public static bool CreatedByService(KmsEvent e) =>
        e.UserIdentity.InvokedBy is not null || e.UserIdentity.Type == "AWSService";

    public static bool IsDirectCreateGrant(KmsEvent e) => e.EventName == "CreateGrant" && e.Succeeded && !CreatedByService(e);
}

/// <summary><c>grant-allows-create-grant</c>: a grant that lets its grantee create further grants, so access can be re-delegated without the key owner.</summary>
public sealed class GrantAllowsCreateGrantRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "grant-allows-create-grant", Severity.Medium,
        "A grantee holding CreateGrant can hand the key's use to anyone else (within the grant's operations), outside any policy review.",
        "Remove CreateGrant from the grant's operations unless the grantee is a service that needs it; prefer grants scoped to the exact operations needed.");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (!GrantShape.IsDirectCreateGrant(e) || e.Request.Operations is not { } ops || !ops.Contains("CreateGrant")) return;
        output.Add(input.Finding(Descriptor,
            $"Grant on {input.KeyName} lets {e.Request.GranteePrincipal} create further grants",
            $"{input.Principal} created grant {e.Request.GrantId ?? "(id not recorded)"} on key {input.KeyName} for {e.Request.GranteePrincipal} with operations {string.Join(", ", ops)}; CreateGrant lets the grantee re-delegate use of the key.",
            discriminator: e.Request.GrantId));
    }
}

/// <summary><c>grant-without-constraints</c>: a directly created grant for cryptographic operations with no encryption-context constraint.</summary>
public sealed class GrantWithoutConstraintsRule : IRule
{
    private static readonly HashSet<string> ContextOperations = new(StringComparer.Ordinal)
    {
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
    };

    public RuleDescriptor Descriptor { get; } = new(
        "grant-without-constraints", Severity.Low,
        "Without an EncryptionContextSubset or EncryptionContextEquals constraint a grant allows its operations on any data under the key, not only the data it was meant for.",
        "Recreate the grant with an encryption-context constraint that pins it to the intended resource.");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        var r = e.Request;
        if (!GrantShape.IsDirectCreateGrant(e) || r.ConstraintEncryptionContextEquals is not null || r.ConstraintEncryptionContextSubset is not null) return;
        if (r.Operations is not { } ops || !ops.Any(ContextOperations.Contains)) return;
        output.Add(input.Finding(Descriptor,
            $"Unconstrained grant on {input.KeyName}",
            $"{input.Principal} created grant {r.GrantId ?? "(id not recorded)"} on key {input.KeyName} for {r.GranteePrincipal} allowing {string.Join(", ", ops)} with no encryption-context constraint.",
            discriminator: r.GrantId));
    }
}

/// <summary><c>grant-without-retiring-principal</c>: a directly created grant that nobody but the grantee (if allowed) and key administrators can retire.</summary>
public sealed class GrantWithoutRetiringPrincipalRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "grant-without-retiring-principal", Severity.Low,
        "Grants are meant to be temporary; without a retiring principal the grant stays until someone remembers to revoke it.",
        "Name a retiring principal (the application or automation that owns the grant's lifecycle) or revoke the grant when it is no longer needed.");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (!GrantShape.IsDirectCreateGrant(e) || e.Request.RetiringPrincipal is not null) return;
        output.Add(input.Finding(Descriptor,
            $"Grant on {input.KeyName} has no retiring principal",
            $"{input.Principal} created grant {e.Request.GrantId ?? "(id not recorded)"} on key {input.KeyName} for {e.Request.GranteePrincipal} without a retiring principal; only RevokeGrant by a key administrator (or RetireGrant by the grantee, if granted) will end it.",
            discriminator: e.Request.GrantId));
    }
}
