using System.Text;
using System.Text.Json;
using Auditor.Functions.Ingest;
using Auditor.Functions.Observability;
using Auditor.Functions.Runtime;
using Auditor.Testing;

namespace Auditor.Functions.Tests;

public class IngestHandlerTests
{
    private readonly MemoryStream _logs = new();

    private IngestHandler Handler(ITrailObjectAuditor auditor)
    {
        var log = new FunctionLog(_logs) { RequestId = "req-test" };
        return new IngestHandler(auditor, log, new EmbeddedMetrics(log, "KmsTrailAuditor", "auditor-ingest"), parallelism: 2);
    }

    private static LambdaInvocation Invocation(string json) => new() { RequestId = "req-test", Payload = Encoding.UTF8.GetBytes(json) };

    private static string Envelope(string file) => File.ReadAllText(Path.Combine(RepoPaths.RealTrails, "event-envelopes", file));

    private static string[] FailedIds(byte[] response)
    {
        using var doc = JsonDocument.Parse(response);
        return doc.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(e => e.GetProperty("itemIdentifier").GetString()!).ToArray();
    }

    [Fact]
    public async Task A_garbage_sqs_message_fails_only_itself()
    {
        var auditor = new ScriptedAuditor(ScriptedAuditor.Ok);
        var response = await Handler(auditor).HandleAsync(Invocation(Envelope("boogy-cloudtrail-rs/sqs-batch-partial-garbage.json")), CancellationToken.None);

        Assert.Equal(["bad00000-0000-0000-0000-000000000002"], FailedIds(response));
        Assert.Equal(2, auditor.Calls.Count);
    }

    [Fact]
    public async Task A_message_whose_object_fails_is_the_only_batch_item_failure()
    {
        var auditor = new ScriptedAuditor((b, k) => k == "second-sibling-object.json.gz" ? ScriptedAuditor.Failed(b, k) : ScriptedAuditor.Ok(b, k));
        var response = await Handler(auditor).HandleAsync(Invocation(Envelope("boogy-cloudtrail-rs/sqs-batch-partial-garbage.json")), CancellationToken.None);

        Assert.Equal(["bad00000-0000-0000-0000-000000000002", "2e1424d4-f796-459a-8184-9c92662be6da"], FailedIds(response));
    }

    [Fact]
    public async Task A_fully_successful_batch_answers_an_empty_failure_list()
    {
        var response = await Handler(new ScriptedAuditor(ScriptedAuditor.Ok)).HandleAsync(Invocation(Envelope("boogy-cloudtrail-rs/sqs-sns-event.json")), CancellationToken.None);
        Assert.Equal("""{"batchItemFailures":[]}""", Encoding.UTF8.GetString(response));
    }

    [Fact]
    public async Task An_object_named_by_two_messages_is_audited_once_and_both_share_its_outcome()
    {
        var body = JsonSerializer.Serialize(Envelope("boogy-cloudtrail-rs/s3-event-object-created.json"), DictionaryContext.Default.String);
        var json = $$"""{"Records":[{"eventSource":"aws:sqs","messageId":"a","body":{{body}}},{"eventSource":"aws:sqs","messageId":"b","body":{{body}}}]}""";
        var auditor = new ScriptedAuditor(ScriptedAuditor.Failed);

        var response = await Handler(auditor).HandleAsync(Invocation(json), CancellationToken.None);

        Assert.Single(auditor.Calls);
        Assert.Equal(["a", "b"], FailedIds(response));
    }

    [Fact]
    public async Task A_direct_s3_invocation_with_a_failed_object_fails_the_invocation()
    {
        var auditor = new ScriptedAuditor((b, k) => k == "New File.jpg" ? ScriptedAuditor.Failed(b, k) : ScriptedAuditor.Ok(b, k));
        var e = await Assert.ThrowsAsync<FunctionException>(() => Handler(auditor).HandleAsync(Invocation(Envelope("aws-lambda-dotnet/s3-event.json")), CancellationToken.None));

        Assert.Equal("Auditor.ObjectsFailed", e.ErrorType);
        Assert.Contains("s3://sourcebucket/New File.jpg", e.Message);
        Assert.Equal(2, auditor.Calls.Count);
    }

    [Fact]
    public async Task A_test_event_audits_nothing_and_succeeds()
    {
        var auditor = new ScriptedAuditor(ScriptedAuditor.Ok);
        var response = await Handler(auditor).HandleAsync(Invocation(Envelope("boogy-cloudtrail-rs/s3-test-event.json")), CancellationToken.None);

        Assert.Empty(auditor.Calls);
        Assert.Equal("""{"objects":0,"findings":0,"ignored":1}""", Encoding.UTF8.GetString(response));
    }

    [Fact]
    public async Task An_event_that_is_not_an_ingest_event_is_an_invocation_error()
    {
        var e = await Assert.ThrowsAsync<FunctionException>(() => Handler(new ScriptedAuditor(ScriptedAuditor.Ok)).HandleAsync(Invocation("""{"hello":"world"}"""), CancellationToken.None));
        Assert.Equal("Auditor.UnrecognizedEvent", e.ErrorType);
    }

    [Fact]
    public async Task Each_object_emits_an_embedded_metric_document_with_the_documented_metrics()
    {
        var auditor = new ScriptedAuditor((b, k) => ScriptedAuditor.Ok(b, k) with { Findings = 3, FindingsBySeverity = new Dictionary<string, int> { ["high"] = 2, ["info"] = 1 }, LatencyMs = 12.5 });
        await Handler(auditor).HandleAsync(Invocation(Envelope("boogy-cloudtrail-rs/s3-event-object-created.json")), CancellationToken.None);

        var lines = Encoding.UTF8.GetString(_logs.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var emf = lines.Where(l => l.TryGetProperty("_aws", out _)).ToList();
        var main = emf.Single(l => l.TryGetProperty("EventsRead", out _));
        var names = main.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString());
        Assert.Equal(["EventsRead", "KmsEvents", "Findings", "ObjectsFailed", "ObjectLatencyMs"], names);
        Assert.Equal(3, main.GetProperty("EventsRead").GetInt64());
        Assert.Equal(12.5, main.GetProperty("ObjectLatencyMs").GetDouble());
        Assert.Equal("req-test", main.GetProperty("requestId").GetString());
        var bySeverity = emf.Where(l => l.TryGetProperty("Severity", out _)).ToDictionary(l => l.GetProperty("Severity").GetString()!, l => l.GetProperty("Findings").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["high"] = 2, ["info"] = 1 }, bySeverity);
        Assert.All(lines, l => Assert.Equal("req-test", l.GetProperty("requestId").GetString()));
    }
}
