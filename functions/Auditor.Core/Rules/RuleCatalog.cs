using Auditor.Core.Rules.Grants;
using Auditor.Core.Rules.Lifecycle;
using Auditor.Core.Rules.Policy;

namespace Auditor.Core.Rules;

/// <summary>Every rule the auditor runs, in one place. Each rule is one small class in this folder tree.</summary>
public static class RuleCatalog
{
    public static IReadOnlyList<IRule> All() =>
    [
        // CONTRACT section 6
        new UnexpectedPrincipalRule(),
        new RetiredGrantUseRule(),
        new GrantExternalPrincipalRule(),
        new PolicyPublicAccessRule(),
        new PolicyLockoutRiskRule(),
        new KeyDeletionScheduledRule(),
        new KeyDisabledRule(),
        new AccessDeniedBurstRule(),
        // The project's own
        new PolicyExternalAccountRule(),
        new GrantAllowsCreateGrantRule(),
        new GrantWithoutConstraintsRule(),
        new GrantWithoutRetiringPrincipalRule(),
        new DirectGrantForAwsResourceRule(),
        new KeyRotationDisabledRule(),
        new KeyMaterialDeletedRule(),
        new KeyMaterialImportedRule(),
        new KeyUnusableCallsRule(),
        new RecentlyUsedKeyDeletionRule(),
        new AliasChangedInUseRule(),
    ];
}
