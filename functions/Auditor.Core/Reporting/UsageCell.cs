namespace Auditor.Core.Reporting;

/// <summary>
/// One cell of a key's principal × operation matrix: how many calls, when, and what authorized them. A
/// cell may hold several authorization paths (a grant for some calls, the key policy for others), each
/// with its own count.
/// </summary>
public sealed record UsageCell
{
    /// <summary>The key, or null for calls not tied to a key.</summary>
    public required string? KeyArn { get; init; }
    public required string Principal { get; init; }
    /// <summary>The KMS operation (the event name, e.g. <c>Decrypt</c>).</summary>
    public required string Operation { get; init; }
    /// <summary>All calls, successful or not.</summary>
    public required long Count { get; init; }
    /// <summary>Calls that returned an error (access denied, invalid state...).</summary>
    public required long Failed { get; init; }
    public required DateTimeOffset FirstSeen { get; init; }
    public required DateTimeOffset LastSeen { get; init; }
    /// <summary>The authorization of the calls, most frequent first.</summary>
    public required IReadOnlyList<AuthorizationTally> Authorizations { get; init; }

    /// <summary>The cell's paths in one line: <c>grant 1a2b… ×3; key-policy "Allow use" ×1</c>.</summary>
    public string AuthorizationText => string.Join("; ", Authorizations.Select(a => Authorizations.Count == 1 ? a.Describe() : $"{a.Describe()} ×{a.Count}"));
}

/// <summary>How many calls of a cell one authorization explains (CONTRACT section 3 vocabulary).</summary>
public sealed record AuthorizationTally(string Decision, string Path, string? StatementSid, string? GrantId, long Count)
{
    /// <summary><c>key-policy "Sid"</c>, <c>grant ID</c>, <c>iam-delegation</c>, with the decision when it is not Allow.</summary>
    public string Describe()
    {
        var what = Path;
        if (StatementSid is not null) what += $" \"{StatementSid}\"";
        if (GrantId is not null) what += $" {GrantId}";
        return Decision == "Allow" ? what : $"{what} ({Decision})";
    }
}
