using Auditor.Core.Grants;

namespace Auditor.Core.State;

/// <summary>How a grant ended.</summary>
public enum GrantEnd
{
    Retired,
    Revoked,
}

/// <summary>
/// A grant with its lifetime. Retirement and creation may arrive in any order (log files are delivered
/// late and out of order), so either half can exist alone: a retirement of a grant the auditor never saw
/// created still closes it.
/// </summary>
public sealed class GrantRecord
{
    public required string GrantId { get; init; }
    private Grant? _grant;
    private string? _granteeToken;
    private bool _tokenKnown;

    /// <summary>The grant as created (null while only its retirement is known).</summary>
    public Grant? Grant
    {
        get => _grant;
        set { _grant = value; _tokenKnown = false; }
    }

    /// <summary>The grantee's pre-filter token (<see cref="GranteeTokens"/>), computed once per grant.</summary>
    public string? GranteeToken
    {
        get
        {
            if (!_tokenKnown) { _granteeToken = GranteeTokens.Of(_grant?.GranteePrincipal); _tokenKnown = true; }
            return _granteeToken;
        }
    }
    public DateTimeOffset? CreatedAt { get; set; }
    public string? CreatedEventId { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public GrantEnd? End { get; set; }
    public string? EndedEventId { get; set; }
    public string? EndedBy { get; set; }

    /// <summary>Active at <paramref name="t"/>: created at or before it and not yet retired or revoked.</summary>
    public bool IsActiveAt(DateTimeOffset t) =>
        Grant is not null && (CreatedAt is null || CreatedAt <= t) && (EndedAt is null || EndedAt > t);

    public bool EndedBefore(DateTimeOffset t) => EndedAt is { } e && e <= t;
}
