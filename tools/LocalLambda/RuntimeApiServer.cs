using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Auditor.LocalLambda;

/// <summary>
/// The Lambda Runtime API as documented (<c>/2018-06-01/runtime/invocation/next</c>, <c>…/{id}/response</c>,
/// <c>…/{id}/error</c>, <c>init/error</c>), on 127.0.0.1 only: <see cref="InvokeAsync"/> queues an event and completes
/// with what the runtime answered. Ported from the integration tests' emulator (tests/Auditor.Integration.Tests).
/// </summary>
public sealed class RuntimeApiServer : IDisposable
{
    private const string Base = "/2018-06-01/runtime/";
    private readonly HttpListener _listener = new();
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<string, Pending> _inFlight = new();
    private readonly TaskCompletionSource<RuntimeAnswer> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serve;

    public RuntimeApiServer(string functionArn)
    {
        FunctionArn = functionArn;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serve = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public string FunctionArn { get; }

    /// <summary>The value for <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Completes when the runtime reports an init error.</summary>
    public Task<RuntimeAnswer> InitError => _initError.Task;

    /// <summary>Completes when the runtime first asks for an event (its init is done).</summary>
    public Task FirstNextRequest => _firstNext.Task;

    /// <summary>Queues an event with a deadline <paramref name="timeout"/> from when it is handed out.</summary>
    public Task<RuntimeAnswer> InvokeAsync(string payload, TimeSpan timeout)
    {
        var pending = new Pending(Guid.NewGuid().ToString(), payload, timeout);
        _inFlight[pending.RequestId] = pending;
        _queue.Writer.TryWrite(pending);
        return pending.Answer.Task;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        try
        {
            if (!path.StartsWith(Base, StringComparison.Ordinal)) { Answer(context, 404, "{}"); return; }
            var route = path[Base.Length..];
            if (request.HttpMethod == "GET" && route == "invocation/next")
            {
                _firstNext.TrySetResult();
                Pending next;
                try
                {
                    next = await _queue.Reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    context.Response.Abort();
                    return;
                }
                var response = context.Response;
                response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
                response.Headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.Add(next.Timeout).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
                response.Headers["Lambda-Runtime-Trace-Id"] = $"Root=1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{next.RequestId.Replace("-", "", StringComparison.Ordinal)[..24]};Sampled=0";
                Answer(context, 200, next.Payload);
                return;
            }

            var body = await new StreamReader(request.InputStream, Encoding.UTF8).ReadToEndAsync().ConfigureAwait(false);
            if (request.HttpMethod == "POST" && route == "init/error")
            {
                _initError.TrySetResult(new RuntimeAnswer(true, body, request.Headers["Lambda-Runtime-Function-Error-Type"]));
                Answer(context, 202, """{"status":"OK"}""");
                return;
            }
            if (request.HttpMethod == "POST" && route.StartsWith("invocation/", StringComparison.Ordinal))
            {
                var parts = route.Split('/');
                if (parts.Length == 3 && (parts[2] is "response" or "error") && _inFlight.TryRemove(Uri.UnescapeDataString(parts[1]), out var pending))
                {
                    Answer(context, 202, """{"status":"OK"}""");
                    pending.Answer.TrySetResult(new RuntimeAnswer(parts[2] == "error", body, request.Headers["Lambda-Runtime-Function-Error-Type"]));
                    return;
                }
                Answer(context, 400, """{"errorMessage":"invalid request id","errorType":"InvalidRequestID"}""");
                return;
            }
            Answer(context, 404, "{}");
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (HttpListenerException)
        {
            // The runtime went away mid-request (it was stopped): nothing to answer.
        }
    }

    private static void Answer(HttpListenerContext context, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    /// <summary>A port the OS says is free now, on 127.0.0.1.</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _listener.Stop(); } catch (ObjectDisposedException) { }
        _listener.Close();
        foreach (var p in _inFlight.Values) p.Answer.TrySetCanceled();
        try { _serve.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }

    private sealed record Pending(string RequestId, string Payload, TimeSpan Timeout)
    {
        public TaskCompletionSource<RuntimeAnswer> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>What the runtime answered: a response body, or an error body with its type header.</summary>
public sealed record RuntimeAnswer(bool IsError, string Body, string? ErrorType);
