namespace Auditor.Functions.Ingest;

/// <summary>A CloudTrail log object to audit, with its key decoded to what S3 stores.</summary>
public sealed record S3ObjectRef(string Bucket, string Key)
{
    /// <inheritdoc />
    public override string ToString() => $"s3://{Bucket}/{Key}";
}

/// <summary>How the event reached the function; it decides how failures are answered.</summary>
public enum IngestEventKind
{
    /// <summary>An S3 event notification invoking the function directly (asynchronous invocation).</summary>
    S3Notification,
    /// <summary>An SQS batch: failures are answered per message in <c>batchItemFailures</c>.</summary>
    SqsBatch,
    /// <summary>An SNS delivery whose message is an S3 notification.</summary>
    SnsNotification,
    /// <summary>An EventBridge event from <c>aws.s3</c>.</summary>
    EventBridge,
    /// <summary><c>s3:TestEvent</c>, sent once when a notification is configured: nothing to do.</summary>
    TestEvent,
}

/// <summary>
/// One unit that succeeds or fails as a whole: an SQS message, or the whole event for the other kinds.
/// A message that cannot be understood carries <see cref="Error"/> and fails alone.
/// </summary>
public sealed record IngestWorkItem
{
    /// <summary>The SQS <c>messageId</c>; null when the event did not come through SQS.</summary>
    public string? ItemIdentifier { get; init; }
    public IReadOnlyList<S3ObjectRef> Objects { get; init; } = [];
    /// <summary>Notifications deliberately skipped (test events, deletions, restores), with what they were.</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];
    /// <summary>Why this item could not be understood at all.</summary>
    public string? Error { get; init; }
}

/// <summary>An invocation's event, parsed.</summary>
public sealed record IngestRequest(IngestEventKind Kind, IReadOnlyList<IngestWorkItem> Items);

/// <summary>An event (or SQS message) that is not one <c>ingest</c> understands; the message says what it is.</summary>
public sealed class IngestEventException(string message, Exception? inner = null) : Exception(message, inner);
