using Auditor.Functions.Observability;
using Auditor.Functions.Runtime;

namespace Auditor.Functions.Hosting;

/// <summary>
/// What <c>bootstrap</c> does: cap the GC heap, build the handler <c>_HANDLER</c> names (an init error goes to
/// <c>init/error</c>), then serve invocations until the Runtime API goes away.
/// </summary>
public static class FunctionHost
{
    /// <summary>Runs the function; returns the process exit code.</summary>
    public static async Task<int> RunAsync(IEnvironment env, Stream stdout, CancellationToken stopping)
    {
        var log = new FunctionLog(stdout);
        bool ownerSetLimit = env.Get("DOTNET_GCHeapHardLimit") is not null || env.Get("DOTNET_GCHeapHardLimitPercent") is not null;
        ulong? heapLimit = null;
        try
        {
            heapLimit = GcHeapLimit.Apply(env.Get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), ownerSetLimit);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            log.Warn("the GC heap limit could not be applied", ("reason", e.Message));
        }

        var runtimeApi = env.Get("AWS_LAMBDA_RUNTIME_API");
        if (runtimeApi is null)
        {
            log.Error("AWS_LAMBDA_RUNTIME_API is not set: bootstrap runs inside AWS Lambda or under a Runtime API emulator", null);
            return 2;
        }

        using var client = new LambdaRuntimeClient(runtimeApi);
        ILambdaHandler handler;
        try
        {
            handler = HandlerFactory.Create(env, log);
        }
        catch (FunctionException e)
        {
            log.Error("init failed", e, ("errorType", e.ErrorType));
            await client.SendInitErrorAsync(LambdaError.From(e), stopping).ConfigureAwait(false);
            return 1;
        }

        log.Info("ready", ("handler", env.Get("_HANDLER")), ("gcHeapHardLimit", heapLimit),
            ("gcTotalAvailableBytes", GC.GetGCMemoryInfo().TotalAvailableMemoryBytes));
        try
        {
            await new LambdaRuntimeLoop(client, handler, log).RunAsync(stopping).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is RuntimeApiException or HttpRequestException)
        {
            // The Runtime API is gone or refuses next: AWS documents that the runtime should exit then.
            log.Error("the Runtime API failed; exiting", e);
            return 1;
        }
    }
}
