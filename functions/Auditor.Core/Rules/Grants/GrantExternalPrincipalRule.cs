using Auditor.Core.Findings;
using Auditor.Core.State;

namespace Auditor.Core.Rules.Grants;

/// <summary><c>grant-external-principal</c>: a CreateGrant whose grantee or retiring principal is in another account than the key.</summary>
public sealed class GrantExternalPrincipalRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "grant-external-principal", Severity.Medium,
        "A grant lets its grantee use the key without any key-policy change, so a grant to another account is a quiet way to share (or exfiltrate) the ability to decrypt.",
        "Confirm the other account is a trusted part of your organization and the grant is needed; otherwise revoke it with RevokeGrant and review who may call kms:CreateGrant.");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (e.EventName != "CreateGrant" || !e.Succeeded || input.Key?.AccountId is not { } keyAccount) return;
        var r = e.Request;
        var external = new List<string>();
        if (Arns.PrincipalAccount(r.GranteePrincipal) is { } ga && ga != keyAccount) external.Add($"grantee {r.GranteePrincipal} (account {ga})");
        if (Arns.PrincipalAccount(r.RetiringPrincipal) is { } ra && ra != keyAccount) external.Add($"retiring principal {r.RetiringPrincipal} (account {ra})");
        if (external.Count == 0) return;
        var ops = r.Operations is { Count: > 0 } o ? string.Join(", ", o) : "no listed operations";
        output.Add(input.Finding(Descriptor,
            $"Grant on {input.KeyName} to a principal in another account",
            $"{input.Principal} created grant {r.GrantId ?? "(id not recorded)"} on key {input.KeyName} (account {keyAccount}) for {string.Join(" and ", external)}, allowing {ops}.",
            discriminator: r.GrantId));
    }
}
