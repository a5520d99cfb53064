using Auditor.Functions.Observability;

namespace Auditor.Functions.Runtime;

/// <summary>
/// The custom runtime's loop: <c>next</c> → handler → <c>response</c> or <c>error</c>, forever. A handler
/// exception is reported as that invocation's error and the loop goes on; only the Runtime API itself failing
/// (or cancellation) ends it, because then Lambda restarts the sandbox anyway.
/// </summary>
public sealed class LambdaRuntimeLoop(LambdaRuntimeClient client, ILambdaHandler handler, FunctionLog log, TimeProvider? clock = null)
{
    /// <summary>Margin kept before the deadline so a late handler can still answer (for SQS, with its partial failures).</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(1500);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Runs until <paramref name="stopping"/> fires; returns the number of invocations handled.</summary>
    public async Task<long> RunAsync(CancellationToken stopping)
    {
        long handled = 0;
        while (!stopping.IsCancellationRequested)
        {
            LambdaInvocation invocation;
            try
            {
                invocation = await client.NextInvocationAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }

            await HandleOneAsync(invocation, stopping).ConfigureAwait(false);
            handled++;
        }
        return handled;
    }

    private async Task HandleOneAsync(LambdaInvocation invocation, CancellationToken stopping)
    {
        log.RequestId = invocation.RequestId;
        // The X-Ray SDKs read the trace header from this variable; it is per invocation, so clear a stale one.
        Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var remaining = invocation.RemainingTime(_clock);
        if (remaining != Timeout.InfiniteTimeSpan)
            deadline.CancelAfter(remaining > DeadlineMargin ? remaining - DeadlineMargin : TimeSpan.Zero);

        byte[] response;
        try
        {
            response = await handler.HandleAsync(invocation, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.Error("invocation failed", e);
            await ReportErrorAsync(invocation.RequestId, LambdaError.From(e)).ConfigureAwait(false);
            return;
        }

        try
        {
            // Once the work is done its answer must get through: posting is not interrupted by the stop signal.
            await client.SendResponseAsync(invocation.RequestId, response, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RuntimeApiException e) when (e.StatusCode is 413 or 400)
        {
            // The response was refused (too large, malformed): the invocation must still end, as an error.
            log.Error("the Runtime API refused the response", e);
            await ReportErrorAsync(invocation.RequestId, new LambdaError("Runtime.ResponseRefused", e.Message, [])).ConfigureAwait(false);
        }
    }

    private async Task ReportErrorAsync(string requestId, LambdaError error)
    {
        try
        {
            await client.SendInvocationErrorAsync(requestId, error, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RuntimeApiException e)
        {
            // Nothing more can be done for this invocation; the next one must still be served.
            log.Error("the Runtime API refused the error report", e);
        }
    }
}
