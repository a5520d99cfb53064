namespace Auditor.Core.Reporting;

/// <summary>
/// A key policy read the way an auditor reads it: who administers the key, who uses it, whether it
/// delegates to the account's IAM, which other accounts it names, and any statement open to everyone.
/// </summary>
public sealed record PolicySummary
{
    /// <summary>Principals allowed key-management actions (PutKeyPolicy, ScheduleKeyDeletion, Create*, Delete*, Disable*...).</summary>
    public IReadOnlyList<PolicyGrantee> Administrators { get; init; } = [];
    /// <summary>Principals allowed cryptographic operations (Encrypt, Decrypt, GenerateDataKey*, Sign...).</summary>
    public IReadOnlyList<PolicyGrantee> Users { get; init; } = [];
    /// <summary>Principals allowed to create grants (who can hand the key on).</summary>
    public IReadOnlyList<PolicyGrantee> GrantCreators { get; init; } = [];
    /// <summary>Statements that allow the key's own account (root): access is then decided by IAM policies.</summary>
    public IReadOnlyList<string> IamDelegation { get; init; } = [];
    /// <summary>Principals of accounts other than the key's, named by Allow statements.</summary>
    public IReadOnlyList<PolicyGrantee> ExternalAccounts { get; init; } = [];
    /// <summary>Allow statements for every principal (<c>*</c>, or NotPrincipal), with their conditions.</summary>
    public IReadOnlyList<PolicyGrantee> PublicStatements { get; init; } = [];
    /// <summary>Deny statements, which override everything above.</summary>
    public IReadOnlyList<PolicyGrantee> Denies { get; init; } = [];
    /// <summary>How the policy was learned (CreateKey, PutKeyPolicy, default policy, inventory) and when.</summary>
    public required string Source { get; init; }
    public int StatementCount { get; init; }
    /// <summary>Set when the policy text could not be parsed; the lists are then empty.</summary>
    public string? ParseError { get; init; }
}

/// <summary>A principal a statement names, with the statement, the actions that put it in this list, and its conditions.</summary>
public sealed record PolicyGrantee(string Principal, string Statement, IReadOnlyList<string> Actions, IReadOnlyList<string> Conditions)
{
    public string ConditionText => Conditions.Count == 0 ? "" : string.Join(" AND ", Conditions);
}
