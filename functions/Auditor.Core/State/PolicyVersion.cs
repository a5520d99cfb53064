namespace Auditor.Core.State;

/// <summary>Where the auditor learned a key policy.</summary>
public enum PolicySource
{
    CreateKey,
    DefaultPolicy,
    PutKeyPolicy,
    Inventory,
}

/// <summary>A key policy and the moment it took effect.</summary>
public sealed record PolicyVersion(DateTimeOffset EffectiveAt, string PolicyJson, PolicySource Source, string? EventId)
{
    /// <summary>Words for explanations: "the policy set by PutKeyPolicy at …".</summary>
    public string Describe() => Source switch
    {
        PolicySource.CreateKey => $"the policy given at CreateKey ({EventId})",
        PolicySource.DefaultPolicy => $"the default key policy (CreateKey without a policy, {EventId})",
        PolicySource.PutKeyPolicy => $"the policy set by PutKeyPolicy {EventId} at {EffectiveAt:u}",
        _ => $"the policy in the inventory snapshot of {EffectiveAt:u}",
    };
}
