using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Auditor.Testing;

/// <summary>
/// A loopback Lambda Runtime API (the documented routes under <c>/2018-06-01/runtime/</c>): the caller queues events
/// with <see cref="InvokeAsync"/> and gets back what the function answered. Listens on 127.0.0.1 only. The one
/// implementation: <c>tools/LocalLambda</c> serves the pipeline with it, and the tests and the Lambda bench link it.
/// </summary>
public sealed class RuntimeApiEmulator : IDisposable
{
    private const string Base = "/2018-06-01/runtime/";
    private readonly HttpListener _listener = new();
    private readonly Channel<PendingInvocation> _queue = Channel.CreateUnbounded<PendingInvocation>();
    private readonly ConcurrentDictionary<string, PendingInvocation> _inFlight = new();
    private readonly TaskCompletionSource<InvocationOutcome> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serve;

    public RuntimeApiEmulator()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serve = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The value for <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Every request the runtime made, in order: "METHOD path".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Completes when the runtime posts to <c>init/error</c>.</summary>
    public Task<InvocationOutcome> InitError => _initError.Task;

    /// <summary>Completes when the runtime first asks for an event (it is initialised).</summary>
    public Task FirstNextRequest => _firstNext.Task;

    /// <summary>Queues an event and waits for the runtime's response or error.</summary>
    public Task<InvocationOutcome> InvokeAsync(string payload, InvocationHeaders? headers = null)
    {
        var pending = new PendingInvocation(headers?.RequestId ?? Guid.NewGuid().ToString(), payload, headers ?? new InvocationHeaders());
        _inFlight[pending.RequestId] = pending;
        _queue.Writer.TryWrite(pending);
        return pending.Outcome.Task;
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
        Requests.Enqueue($"{request.HttpMethod} {path}");
        try
        {
            if (!path.StartsWith(Base, StringComparison.Ordinal)) { Answer(context, 404, "{}"); return; }
            var route = path[Base.Length..];
            if (request.HttpMethod == "GET" && route == "invocation/next")
            {
                _firstNext.TrySetResult();
                PendingInvocation next;
                try
                {
                    next = await _queue.Reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    context.Response.Abort();
                    return;
                }
                var h = next.Headers;
                var response = context.Response;
                response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
                var deadline = h.Deadline ?? DateTimeOffset.UtcNow.AddMinutes(5);
                response.Headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = h.FunctionArn;
                if (h.TraceId is not null) response.Headers["Lambda-Runtime-Trace-Id"] = h.TraceId;
                if (h.ClientContext is not null) response.Headers["Lambda-Runtime-Client-Context"] = h.ClientContext;
                if (h.CognitoIdentity is not null) response.Headers["Lambda-Runtime-Cognito-Identity"] = h.CognitoIdentity;
                next.DeliveredAt = DateTimeOffset.UtcNow;
                Answer(context, 200, next.Payload);
                return;
            }

            var body = await new StreamReader(request.InputStream, Encoding.UTF8).ReadToEndAsync().ConfigureAwait(false);
            if (request.HttpMethod == "POST" && route == "init/error")
            {
                _initError.TrySetResult(new InvocationOutcome(true, body, request.Headers["Lambda-Runtime-Function-Error-Type"], "init"));
                Answer(context, 202, """{"status":"OK"}""");
                return;
            }
            if (request.HttpMethod == "POST" && route.StartsWith("invocation/", StringComparison.Ordinal))
            {
                var parts = route.Split('/');
                if (parts.Length == 3 && _inFlight.TryRemove(Uri.UnescapeDataString(parts[1]), out var pending))
                {
                    bool isError = parts[2] == "error";
                    if (!isError && parts[2] != "response") { Answer(context, 404, "{}"); return; }
                    Answer(context, 202, """{"status":"OK"}""");
                    pending.Outcome.TrySetResult(new InvocationOutcome(isError, body, request.Headers["Lambda-Runtime-Function-Error-Type"], pending.RequestId));
                    return;
                }
                // Unknown or already answered request id: what Lambda answers is 400 InvalidRequestID.
                Answer(context, 400, """{"errorMessage":"invalid request id","errorType":"InvalidRequestID"}""");
                return;
            }
            Answer(context, 404, "{}");
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
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

    /// <summary>A port the OS says is free now (127.0.0.1).</summary>
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
        foreach (var p in _inFlight.Values) p.Outcome.TrySetCanceled();
        try { _serve.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }

    private sealed class PendingInvocation(string requestId, string payload, InvocationHeaders headers)
    {
        public string RequestId { get; } = requestId;
        public string Payload { get; } = payload;
        public InvocationHeaders Headers { get; } = headers;
        public DateTimeOffset? DeliveredAt { get; set; }
        public TaskCompletionSource<InvocationOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Headers an emulated invocation carries.</summary>
public sealed record InvocationHeaders
{
    public string? RequestId { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public string FunctionArn { get; init; } = "arn:aws:lambda:us-east-1:111122223333:function:auditor-ingest";
    public string? TraceId { get; init; }
    public string? ClientContext { get; init; }
    public string? CognitoIdentity { get; init; }
}

/// <summary>What the runtime answered: a response, or an error with its type header.</summary>
public sealed record InvocationOutcome(bool IsError, string Body, string? ErrorTypeHeader, string RequestId);
