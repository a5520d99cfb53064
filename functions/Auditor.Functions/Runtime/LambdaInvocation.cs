namespace Auditor.Functions.Runtime;

/// <summary>
/// One event handed out by <c>GET /runtime/invocation/next</c>: the payload and the headers the Runtime API
/// documents (<c>Lambda-Runtime-Aws-Request-Id</c>, <c>-Deadline-Ms</c>, <c>-Invoked-Function-Arn</c>,
/// <c>-Trace-Id</c>, <c>-Client-Context</c>, <c>-Cognito-Identity</c>).
/// </summary>
public sealed record LambdaInvocation
{
    /// <summary>The request id every log line of this invocation carries.</summary>
    public required string RequestId { get; init; }
    /// <summary>When Lambda stops the invocation, as the Runtime API reports it (Unix epoch milliseconds).</summary>
    public DateTimeOffset? Deadline { get; init; }
    public string? InvokedFunctionArn { get; init; }
    /// <summary>The X-Ray trace header; also exported as <c>_X_AMZN_TRACE_ID</c> for the invocation.</summary>
    public string? TraceId { get; init; }
    public string? ClientContext { get; init; }
    public string? CognitoIdentity { get; init; }
    /// <summary>The event document, as sent.</summary>
    public required byte[] Payload { get; init; }

    /// <summary>Time left before the deadline (infinite when Lambda gave none, as the emulators may not).</summary>
    public TimeSpan RemainingTime(TimeProvider clock) =>
        Deadline is { } d ? d - clock.GetUtcNow() : Timeout.InfiniteTimeSpan;
}
