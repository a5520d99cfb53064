using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Auditor.Testing;

/// <summary>
/// A fault-injecting HTTP proxy in front of s3rver, on 127.0.0.1 and a free port: the function under test is pointed
/// at it with <c>AWS_ENDPOINT_URL_S3</c>. It forwards every request unchanged (the <c>Host</c> header included, so
/// SigV4 signatures still verify) unless a <see cref="FaultRule"/> matches: then it answers an S3 error itself
/// (<c>500 InternalError</c> or <c>503 SlowDown</c>), or delays the forwarded answer. It counts every request per
/// path, every fault injected, and lets a test act on a request before it is forwarded (to kill the function).
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream;
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serve;
    private readonly ConcurrentDictionary<(FaultRule Rule, string Path), int> _matched = new();
    private readonly List<FaultRule> _rules = [];

    public FaultProxy(string targetEndpoint)
    {
        _target = new Uri(targetEndpoint);
        _upstream = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
        Port = RuntimeApiEmulator.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serve = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Every request seen, in arrival order, with what the proxy did.</summary>
    public ConcurrentQueue<ProxiedRequest> Requests { get; } = new();

    /// <summary>
    /// Called with (method, URL-decoded path, <c>X-Amz-Target</c> or null) before a request is forwarded or faulted;
    /// may kill the client (throwing then drops the request unanswered).
    /// </summary>
    public Action<string, string, string?>? OnRequest { get; set; }

    /// <summary>Adds a rule; rules are tried in the order added, the first that still applies wins.</summary>
    public FaultProxy Add(FaultRule rule)
    {
        lock (_rules) _rules.Add(rule);
        return this;
    }

    /// <summary>Removes every rule: S3 is healthy again.</summary>
    public void Heal()
    {
        lock (_rules) _rules.Clear();
    }

    /// <summary>Faults answered by the proxy itself (error statuses, dropped connections).</summary>
    public int FaultsInjected => Requests.Count(r => r.Outcome is ProxyOutcome.InjectedError or ProxyOutcome.InjectedErrorAfterForward or ProxyOutcome.Dropped);

    /// <summary>Requests that were delayed and then forwarded.</summary>
    public int Delayed => Requests.Count(r => r.Outcome == ProxyOutcome.DelayedThenForwarded);

    /// <summary>Requests seen for a path (URL-decoded), by method.</summary>
    public int Count(string method, string pathSuffix) =>
        Requests.Count(r => r.Method == method && r.Path.EndsWith(pathSuffix, StringComparison.Ordinal));

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

    private FaultRule? Match(string method, string path)
    {
        lock (_rules)
        {
            // Every matching rule counts the request (per path, or across paths), so "the first 2 requests" means
            // the first two whatever earlier rules did with them; the first rule still within its count applies.
            FaultRule? applies = null;
            foreach (var rule in _rules)
            {
                if (!string.Equals(rule.Method, method, StringComparison.Ordinal) || !path.Contains(rule.PathContains, StringComparison.Ordinal)) continue;
                int seen = _matched.AddOrUpdate((rule, rule.PerPath ? path : ""), 1, (_, n) => n + 1);
                bool hit = rule.EveryNth > 0 ? seen % rule.EveryNth == 0 && seen / rule.EveryNth <= rule.FirstN : seen <= rule.FirstN;
                if (applies is null && hit) applies = rule;
            }
            return applies;
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var method = request.HttpMethod;
        var rawPath = request.Url!.AbsolutePath;
        var path = Uri.UnescapeDataString(rawPath);
        try
        {
            OnRequest?.Invoke(method, path, request.Headers["X-Amz-Target"]);
            var rule = Match(method, path);
            if (rule is { Status: { } ambiguous, AfterForward: true })
            {
                // The ambiguous fault: the server did the work (a write applied), the client is told it failed.
                await ForwardAsync(context, rawPath + request.Url.Query, discardAnswer: true).ConfigureAwait(false);
                Requests.Enqueue(new ProxiedRequest(method, path, ProxyOutcome.InjectedErrorAfterForward, ambiguous));
                await AnswerErrorAsync(context, ambiguous, path).ConfigureAwait(false);
                return;
            }
            if (rule is { Status: { } status })
            {
                Requests.Enqueue(new ProxiedRequest(method, path, ProxyOutcome.InjectedError, status));
                // Drain the body first: a client still sending a PutObject body would otherwise see a reset, not the status.
                await request.InputStream.CopyToAsync(Stream.Null).ConfigureAwait(false);
                await AnswerErrorAsync(context, status, path).ConfigureAwait(false);
                return;
            }
            if (rule is { Drop: true })
            {
                Requests.Enqueue(new ProxiedRequest(method, path, ProxyOutcome.Dropped, 0));
                context.Response.Abort();
                return;
            }
            if (rule is { Delay: var delay } && delay > TimeSpan.Zero)
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
            int forwarded = await ForwardAsync(context, rawPath + request.Url.Query).ConfigureAwait(false);
            Requests.Enqueue(new ProxiedRequest(method, path, rule is null ? ProxyOutcome.Forwarded : ProxyOutcome.DelayedThenForwarded, forwarded));
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is HttpListenerException or IOException or HttpRequestException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away (killed) or s3rver refused: drop this connection; the client sees a transport error.
            Requests.Enqueue(new ProxiedRequest(method, path, ProxyOutcome.ClientOrUpstreamGone, 0));
            try { context.Response.Abort(); } catch (ObjectDisposedException) { }
        }
    }

    /// <summary>An error as the service would send it: S3's XML, or DynamoDB's JSON (told by its X-Amz-Target header).</summary>
    private static async Task AnswerErrorAsync(HttpListenerContext context, int status, string path)
    {
        byte[] body;
        if (context.Request.Headers["X-Amz-Target"] is not null)
        {
            var type = status == 503 ? "ServiceUnavailable" : "InternalServerError";
            body = Encoding.UTF8.GetBytes($"{{\"__type\":\"com.amazonaws.dynamodb.v20120810#{type}\",\"message\":\"injected by the fault proxy\"}}");
            context.Response.ContentType = "application/x-amz-json-1.0";
        }
        else
        {
            var (code, message) = status == 503 ? ("SlowDown", "Please reduce your request rate.") : ("InternalError", "We encountered an internal error. Please try again.");
            body = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><Resource>{WebUtility.HtmlEncode(path)}</Resource><RequestId>fault-proxy</RequestId></Error>");
            context.Response.ContentType = "application/xml";
        }
        context.Response.StatusCode = status;
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        context.Response.Close();
    }

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Expect", "Proxy-Connection", "TE", "Trailer", "Upgrade", "Content-Length",
    };

    private async Task<int> ForwardAsync(HttpListenerContext context, string pathAndQuery, bool discardAnswer = false)
    {
        var request = context.Request;
        using var outgoing = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_target, pathAndQuery));
        var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body).ConfigureAwait(false);
        if (body.Length > 0 || request.HttpMethod is "PUT" or "POST")
        {
            body.Position = 0;
            outgoing.Content = new StreamContent(body);
        }
        foreach (string name in request.Headers.AllKeys!)
        {
            if (HopByHop.Contains(name)) continue;
            var value = request.Headers[name]!;
            if (!outgoing.Headers.TryAddWithoutValidation(name, value))
                outgoing.Content?.Headers.TryAddWithoutValidation(name, value);
        }
        // The signature covers the Host the client addressed (the proxy): keep it.
        outgoing.Headers.Host = request.Headers["Host"];

        using var answer = await _upstream.SendAsync(outgoing, HttpCompletionOption.ResponseHeadersRead, _stop.Token).ConfigureAwait(false);
        if (discardAnswer)
        {
            await answer.Content.ReadAsByteArrayAsync(_stop.Token).ConfigureAwait(false);
            return (int)answer.StatusCode;
        }
        var response = context.Response;
        response.StatusCode = (int)answer.StatusCode;
        foreach (var h in answer.Headers.Concat(answer.Content.Headers))
        {
            if (HopByHop.Contains(h.Key)) continue;
            response.Headers[h.Key] = string.Join(",", h.Value);
        }
        var bytes = await answer.Content.ReadAsByteArrayAsync(_stop.Token).ConfigureAwait(false);
        if (request.HttpMethod != "HEAD")
        {
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
        }
        else if (answer.Content.Headers.ContentLength is { } length)
        {
            response.ContentLength64 = length;
        }
        response.Close();
        return (int)answer.StatusCode;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _listener.Stop(); } catch (ObjectDisposedException) { }
        _listener.Close();
        try { _serve.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _upstream.Dispose();
        _stop.Dispose();
    }
}

/// <summary>
/// What to do with the first <see cref="FirstN"/> requests (per path) whose method is <see cref="Method"/> and whose
/// URL-decoded path contains <see cref="PathContains"/>: answer <see cref="Status"/>, drop the connection, or forward
/// after <see cref="Delay"/>. <c>FirstN = int.MaxValue</c> is a fault that never heals. Requests are counted per path
/// (each object gets its own first N), or across every matching path when <see cref="PerPath"/> is false. With
/// <see cref="EveryNth"/> &gt; 0 it is every Nth matching request instead (the first <see cref="FirstN"/> of those).
/// <see cref="AfterForward"/>: the request is forwarded (a write takes effect) and then answered with the error —
/// the ambiguous outcome a client can only resolve by retrying.
/// </summary>
public sealed record FaultRule(string Method, string PathContains, int FirstN, int? Status = null, TimeSpan Delay = default, bool Drop = false, bool PerPath = true,
    int EveryNth = 0, bool AfterForward = false);

/// <summary>What the proxy did with one request.</summary>
public enum ProxyOutcome { Forwarded, DelayedThenForwarded, InjectedError, InjectedErrorAfterForward, Dropped, ClientOrUpstreamGone }

/// <summary>One request the proxy saw and its outcome (<see cref="Status"/>: the status answered, 0 when none).</summary>
public sealed record ProxiedRequest(string Method, string Path, ProxyOutcome Outcome, int Status);
