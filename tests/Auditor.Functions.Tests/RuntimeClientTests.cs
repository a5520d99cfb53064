using System.Text;
using System.Text.Json;
using Auditor.Functions.Observability;
using Auditor.Functions.Runtime;
using Auditor.Testing;

namespace Auditor.Functions.Tests;

public sealed class RuntimeClientTests : IDisposable
{
    private readonly RuntimeApiEmulator _api = new();
    private readonly LambdaRuntimeClient _client;
    private readonly MemoryStream _logs = new();

    public RuntimeClientTests() => _client = new LambdaRuntimeClient(_api.Address);

    public void Dispose()
    {
        _client.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task Next_invocation_exposes_every_documented_header()
    {
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(3).ToUnixTimeMilliseconds());
        _ = _api.InvokeAsync("""{"hello":1}""", new InvocationHeaders
        {
            RequestId = "req-1", Deadline = deadline, TraceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
            ClientContext = """{"client":{}}""", CognitoIdentity = """{"identityId":"x"}""",
        });

        var inv = await _client.NextInvocationAsync(TestTimeout());

        Assert.Equal("req-1", inv.RequestId);
        Assert.Equal(deadline, inv.Deadline);
        Assert.Equal("arn:aws:lambda:us-east-1:111122223333:function:auditor-ingest", inv.InvokedFunctionArn);
        Assert.StartsWith("Root=1-5759e988", inv.TraceId);
        Assert.Equal("""{"client":{}}""", inv.ClientContext);
        Assert.Equal("""{"identityId":"x"}""", inv.CognitoIdentity);
        Assert.Equal("""{"hello":1}""", Encoding.UTF8.GetString(inv.Payload));
    }

    [Fact]
    public async Task Response_is_posted_to_the_invocations_response_route()
    {
        var outcome = _api.InvokeAsync("{}", new InvocationHeaders { RequestId = "abc-123" });
        var inv = await _client.NextInvocationAsync(TestTimeout());
        await _client.SendResponseAsync(inv.RequestId, """{"ok":true}"""u8.ToArray(), TestTimeout());

        var answered = await outcome.WaitAsync(TestTimeout());
        Assert.False(answered.IsError);
        Assert.Equal("""{"ok":true}""", answered.Body);
        Assert.Contains("POST /2018-06-01/runtime/invocation/abc-123/response", _api.Requests);
    }

    [Fact]
    public async Task Error_report_carries_the_documented_body_and_error_type_header()
    {
        var outcome = _api.InvokeAsync("{}");
        var inv = await _client.NextInvocationAsync(TestTimeout());
        await _client.SendInvocationErrorAsync(inv.RequestId, new LambdaError("Auditor.ObjectsFailed", "1 of 1 objects failed", ["at A", "at B"]), TestTimeout());

        var answered = await outcome.WaitAsync(TestTimeout());
        Assert.True(answered.IsError);
        Assert.Equal("Auditor.ObjectsFailed", answered.ErrorTypeHeader);
        using var body = JsonDocument.Parse(answered.Body);
        Assert.Equal("1 of 1 objects failed", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("Auditor.ObjectsFailed", body.RootElement.GetProperty("errorType").GetString());
        Assert.Equal(["at A", "at B"], body.RootElement.GetProperty("stackTrace").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Init_error_is_posted_to_init_error()
    {
        await _client.SendInitErrorAsync(new LambdaError("Runtime.UnknownHandler", "no such handler", []), TestTimeout());
        var init = await _api.InitError.WaitAsync(TestTimeout());
        Assert.Equal("Runtime.UnknownHandler", init.ErrorTypeHeader);
        Assert.Contains("no such handler", init.Body);
    }

    [Fact]
    public async Task Runtime_api_refusal_is_reported_with_its_status()
    {
        // An id the Runtime API never handed out: Lambda answers 400, the client must surface it, not swallow it.
        var e = await Assert.ThrowsAsync<RuntimeApiException>(() => _client.SendResponseAsync("never-issued", "{}"u8.ToArray(), TestTimeout()));
        Assert.Equal(400, e.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://127.0.0.1:9001/")]
    public void Runtime_api_address_must_be_host_and_port(string address) =>
        Assert.Throws<ArgumentException>(() => new LambdaRuntimeClient(address));

    [Fact]
    public async Task Loop_reports_a_handler_exception_as_that_invocations_error_and_serves_the_next()
    {
        var handler = new ScriptedHandler(inv => Encoding.UTF8.GetString(inv.Payload) == "\"boom\""
            ? throw new InvalidOperationException("handler broke")
            : Task.FromResult("""{"done":true}"""u8.ToArray()));
        using var stop = new CancellationTokenSource();
        var loop = new LambdaRuntimeLoop(_client, handler, new FunctionLog(_logs));
        var running = loop.RunAsync(stop.Token);

        var first = await _api.InvokeAsync("\"boom\"").WaitAsync(TestTimeout());
        var second = await _api.InvokeAsync("\"fine\"").WaitAsync(TestTimeout());
        stop.Cancel();
        var handled = await running.WaitAsync(TestTimeout());

        Assert.True(first.IsError);
        Assert.Equal("System.InvalidOperationException", first.ErrorTypeHeader);
        Assert.Contains("handler broke", first.Body);
        Assert.False(second.IsError);
        Assert.Equal("""{"done":true}""", second.Body);
        Assert.Equal(2, handled);
    }

    [Fact]
    public async Task Loop_exports_the_trace_id_and_stamps_logs_with_the_request_id()
    {
        string? seenTrace = null;
        var log = new FunctionLog(_logs);
        var handler = new ScriptedHandler(_ =>
        {
            seenTrace = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID");
            log.Info("inside");
            return Task.FromResult("{}"u8.ToArray());
        });
        using var stop = new CancellationTokenSource();
        var running = new LambdaRuntimeLoop(_client, handler, log).RunAsync(stop.Token);

        await _api.InvokeAsync("{}", new InvocationHeaders { RequestId = "rid-42", TraceId = "Root=1-abc;Sampled=0" }).WaitAsync(TestTimeout());
        stop.Cancel();
        await running.WaitAsync(TestTimeout());

        Assert.Equal("Root=1-abc;Sampled=0", seenTrace);
        var line = Encoding.UTF8.GetString(_logs.ToArray()).Split('\n').Single(l => l.Contains("\"inside\""));
        using var doc = JsonDocument.Parse(line);
        Assert.Equal("rid-42", doc.RootElement.GetProperty("requestId").GetString());
        Assert.Equal("INFO", doc.RootElement.GetProperty("level").GetString());
    }

    [Fact]
    public async Task Handler_token_is_cancelled_before_the_invocation_deadline()
    {
        var handler = new ScriptedHandler(async (_, token) =>
        {
            // Waits for the deadline token; an answer proves the loop cancelled it in time to still respond.
            await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default);
            return token.IsCancellationRequested ? """{"cancelled":true}"""u8.ToArray() : "{}"u8.ToArray();
        });
        using var stop = new CancellationTokenSource();
        var running = new LambdaRuntimeLoop(_client, handler, new FunctionLog(_logs)).RunAsync(stop.Token);

        var outcome = await _api.InvokeAsync("{}", new InvocationHeaders { Deadline = DateTimeOffset.UtcNow.AddSeconds(3) }).WaitAsync(TestTimeout());
        stop.Cancel();
        await running.WaitAsync(TestTimeout());

        Assert.False(outcome.IsError);
        Assert.Equal("""{"cancelled":true}""", outcome.Body);
    }

    private static CancellationToken TestTimeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private sealed class ScriptedHandler(Func<LambdaInvocation, CancellationToken, Task<byte[]>> handle) : ILambdaHandler
    {
        public ScriptedHandler(Func<LambdaInvocation, Task<byte[]>> handle) : this((inv, _) => handle(inv)) { }

        public Task<byte[]> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken) => handle(invocation, cancellationToken);
    }
}
