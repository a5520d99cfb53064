namespace Auditor.Core.Authorization;

/// <summary>
/// Everything policy evaluation sees of one request: the action, the key, the caller, the condition
/// keys with their values, and the condition keys whose value cannot be known (three-valued logic:
/// a statement that depends on an unknown key is undetermined, never silently true or false).
/// </summary>
public sealed class RequestContext : Policy.IConditionValueSource
{
    public required string Action { get; init; }
    /// <summary>The key ARN the request acted on.</summary>
    public required string Resource { get; init; }
    public required CallerPrincipal Caller { get; init; }
    /// <summary>Condition keys present in the request; key names compare case-insensitively, as AWS does.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
    /// <summary>Condition keys whose value the auditor cannot know (for example not recorded by CloudTrail).</summary>
    public IReadOnlySet<string> UnknownKeys { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    /// <summary>The raw encryption context, which grant constraints compare case-sensitively.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>RetireGrant/RevokeGrant: the grant the request names, when known.</summary>
    public string? TargetGrantId { get; init; }
    /// <summary>CreateGrant: the constraints of the grant being created (a grant's own constraints bound those of grants it creates).</summary>
    public Grants.GrantConstraints? RequestedGrantConstraints { get; init; }

    /// <summary>
    /// Whether a condition key's value is unknown: listed in <see cref="UnknownKeys"/>, or covered by a
    /// listed family such as <c>aws:PrincipalTag/*</c> or <c>kms:EncryptionContext:*</c>.
    /// </summary>
    public bool IsUnknown(string key)
    {
        if (UnknownKeys.Count == 0) return false;
        if (UnknownKeys.Contains(key)) return true;
        if (key.StartsWith("kms:EncryptionContext:", StringComparison.OrdinalIgnoreCase) && UnknownKeys.Contains("kms:EncryptionContext:*")) return true;
        int slash = key.IndexOf('/');
        return slash > 0 && UnknownKeys.Contains(string.Concat(key.AsSpan(0, slash + 1), "*"));
    }

    public bool TryGet(string key, out IReadOnlyList<string> values) => Values.TryGetValue(key, out values!);
}
