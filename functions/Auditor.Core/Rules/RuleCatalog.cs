namespace Auditor.Core.Rules;

/// <summary>Every rule the auditor runs, in one place, in the order findings are produced.</summary>
public static class RuleCatalog
{
    public static IReadOnlyList<IRule> All() =>
    [
        new KeyDeletionScheduledRule(),
        new KeyDisabledRule(),
        new AccessDeniedBurstRule(),
        new GrantExternalPrincipalRule(),
    ];
}
