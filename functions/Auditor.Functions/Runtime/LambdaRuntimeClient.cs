using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Auditor.Functions.Runtime;

/// <summary>
/// A client of the Lambda Runtime API (<c>http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/</c>), as documented in
/// "Using the Lambda runtime API for custom runtimes": <c>GET invocation/next</c>, <c>POST invocation/{id}/response</c>,
/// <c>POST invocation/{id}/error</c> and <c>POST init/error</c>.
/// </summary>
public sealed class LambdaRuntimeClient : IDisposable
{
    /// <summary>The header that carries an error's type on the two error routes.</summary>
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri _base;

    /// <param name="runtimeApi">The <c>host:port</c> from <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    /// <param name="handler">The transport; tests may supply their own.</param>
    public LambdaRuntimeClient(string runtimeApi, HttpMessageHandler? handler = null)
    {
        if (string.IsNullOrWhiteSpace(runtimeApi) || runtimeApi.Contains('/', StringComparison.Ordinal))
            throw new ArgumentException($"AWS_LAMBDA_RUNTIME_API must be host:port, got '{runtimeApi}'", nameof(runtimeApi));
        _base = new Uri($"http://{runtimeApi}/2018-06-01/runtime/");
        // No proxy (the Runtime API is local to the sandbox) and no client timeout: invocation/next is a long poll
        // that returns only when an event arrives, possibly minutes later.
        _http = new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Waits for the next event.</summary>
    /// <exception cref="RuntimeApiException">The Runtime API answered with an error status; the runtime should exit.</exception>
    public async Task<LambdaInvocation> NextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(_base, "invocation/next"), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new RuntimeApiException($"invocation/next answered {(int)response.StatusCode} {response.ReasonPhrase}");
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new RuntimeApiException("invocation/next answered without Lambda-Runtime-Aws-Request-Id");
        DateTimeOffset? deadline = null;
        if (Header(response, "Lambda-Runtime-Deadline-Ms") is { } ms && long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var epochMs))
            deadline = DateTimeOffset.FromUnixTimeMilliseconds(epochMs);
        return new LambdaInvocation
        {
            RequestId = requestId,
            Deadline = deadline,
            InvokedFunctionArn = Header(response, "Lambda-Runtime-Invoked-Function-Arn"),
            TraceId = Header(response, "Lambda-Runtime-Trace-Id"),
            ClientContext = Header(response, "Lambda-Runtime-Client-Context"),
            CognitoIdentity = Header(response, "Lambda-Runtime-Cognito-Identity"),
            Payload = payload,
        };
    }

    /// <summary>Sends an invocation's result.</summary>
    public Task SendResponseAsync(string requestId, byte[] body, CancellationToken cancellationToken) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", body, errorType: null, cancellationToken);

    /// <summary>Reports that an invocation failed.</summary>
    public Task SendInvocationErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", error.ToJson(), error.HeaderSafeType(), cancellationToken);

    /// <summary>Reports that the function could not start (bad configuration); Lambda then fails the invocation.</summary>
    public Task SendInitErrorAsync(LambdaError error, CancellationToken cancellationToken) =>
        PostAsync("init/error", error.ToJson(), error.HeaderSafeType(), cancellationToken);

    private async Task PostAsync(string path, byte[] body, string? errorType, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, path)) { Content = content };
        if (errorType is not null) request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // 202 Accepted is the documented success; 400/403/413 mean the body or the state was refused.
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new RuntimeApiException($"{path} answered {(int)response.StatusCode}: {Truncate(detail, 300)}", (int)response.StatusCode);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() is { Length: > 0 } v ? v : null : null;

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

/// <summary>The Runtime API refused a call. On <c>invocation/next</c> this is fatal for the runtime, as AWS documents.</summary>
public sealed class RuntimeApiException(string message, int? statusCode = null) : Exception(message)
{
    /// <summary>The HTTP status the Runtime API answered, when it answered.</summary>
    public int? StatusCode { get; } = statusCode;
}
