namespace Auditor.Core.Trail;

/// <summary>
/// One CloudTrail record whose <c>eventSource</c> is <c>kms.amazonaws.com</c>, materialised with the
/// fields the auditor needs. Everything else in the record is read past, not kept.
/// </summary>
public sealed record KmsEvent
{
    public required string EventId { get; init; }
    public required DateTimeOffset EventTime { get; init; }
    public required string EventName { get; init; }
    public string? EventVersion { get; init; }
    public string? AwsRegion { get; init; }
    public string? RecipientAccountId { get; init; }
    public string? SharedEventId { get; init; }
    public string? RequestId { get; init; }
    public string? EventType { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public bool? ReadOnly { get; init; }
    public UserIdentity UserIdentity { get; init; } = new();
    public string? SourceIpAddress { get; init; }
    public string? UserAgent { get; init; }
    public string? VpcEndpointId { get; init; }
    public KmsRequest Request { get; init; } = KmsRequest.Empty;
    public IReadOnlyList<TrailResource> Resources { get; init; } = [];
    /// <summary>Where the record was read (file or object name), for error messages and evidence.</summary>
    public string? Source { get; init; }

    /// <summary>A call that failed is never a successful use of a key.</summary>
    public bool Succeeded => string.IsNullOrEmpty(ErrorCode);

    /// <summary><c>kms:&lt;eventName&gt;</c>, the IAM action the call was authorized as.</summary>
    public string Action => "kms:" + EventName;

    /// <summary>The total order correlation uses: eventTime, then eventID, so results never depend on file or thread order.</summary>
    public static int CompareByTime(KmsEvent a, KmsEvent b)
    {
        int c = a.EventTime.UtcTicks.CompareTo(b.EventTime.UtcTicks);
        return c != 0 ? c : string.CompareOrdinal(a.EventId, b.EventId);
    }
}
