using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Auditor.Testing;
using Xunit.Abstractions;

namespace Auditor.Integration.Tests;

/// <summary>
/// The published native bootstrap with <c>_HANDLER=report</c>, run as a process under the Runtime API emulator,
/// reading findings objects from a real s3rver and writing the report back to it.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class ReportFunctionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string KeyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private readonly LambdaEnvironment _env;
    private readonly ITestOutputHelper _output;
    private readonly AmazonS3Client _s3;
    private readonly RuntimeApiEmulator _api = new();
    private readonly string _bucket = "findings-" + Guid.NewGuid().ToString("N")[..10];
    private FunctionProcess? _function;

    public ReportFunctionTests(LambdaEnvironment env, ITestOutputHelper output)
    {
        _env = env;
        _output = output;
        _s3 = env.S3.CreateClient();
        _s3.PutBucketAsync(_bucket).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        if (_function is not null) _output.WriteLine(_function.Transcript());
        _function?.Dispose();
        _api.Dispose();
        _s3.Dispose();
    }

    private FunctionProcess Start(Action<Dictionary<string, string>>? configure = null)
    {
        var vars = _env.IngestEnvironment(_api, _bucket);
        vars["_HANDLER"] = "report";
        vars["AWS_LAMBDA_FUNCTION_NAME"] = "auditor-report";
        configure?.Invoke(vars);
        return _function = new FunctionProcess(_env.Bootstrap.Path_, vars);
    }

    private async Task<InvocationOutcome> Answered(Task<InvocationOutcome> outcome)
    {
        var function = _function ?? throw new InvalidOperationException("start the function first");
        var first = await Task.WhenAny(outcome, function.Exited, Task.Delay(Patience));
        if (first == outcome) return await outcome;
        throw new Xunit.Sdk.XunitException((first == function.Exited ? "bootstrap exited before answering" : $"no answer within {Patience}") + ":\n" + function.Transcript());
    }

    /// <summary>A finding line as ingest writes it (CONTRACT section 3).</summary>
    private static string Finding(string id, string rule, string eventTime, string severity = "high") =>
        $$"""{"id":"{{id}}","rule":"{{rule}}","severity":"{{severity}}","eventId":"ev-{{id}}","eventTime":"{{eventTime}}","eventName":"Decrypt","awsRegion":"us-east-1","keyArn":"{{KeyArn}}","principal":"arn:aws:iam::111122223333:role/app","sessionArn":null,"authorization":{"decision":"DelegatedToIam","path":"iam-delegation","statementSid":"Enable IAM User Permissions","grantId":null},"title":"Finding {{id}}","explanation":"The role app called Decrypt on the key; finding {{id}}.","evidence":[]}""";

    /// <summary>The key ingest gives the findings object of a trail object.</summary>
    private static string FindingsKey(string day, string trailKey, string extension = ".jsonl") =>
        $"findings/dt={day}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("trail-bucket/" + trailKey)))}{extension}";

    private async Task PutAsync(string key, byte[] content) =>
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false });

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(text));
        return buffer.ToArray();
    }

    private async Task<(string Body, string ContentType)> GetAsync(string key)
    {
        using var response = await _s3.GetObjectAsync(_bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return (await reader.ReadToEndAsync(), response.Headers.ContentType);
    }

    /// <summary>
    /// Two days of findings objects: on 2026-11-01 a plain object with a finding and a malformed line, and a gzip
    /// object written later repeating that finding (a redelivery); on 2026-11-02 two findings; on 2026-11-03 (a late
    /// partition, read but outside the period) one finding after the period and one just inside it.
    /// </summary>
    private async Task<string> PutTwoDaysAsync()
    {
        var malformedKey = FindingsKey("2026-11-01", "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/a.json.gz");
        await PutAsync(malformedKey, Encoding.UTF8.GetBytes(
            Finding("kta-dup", "key-disabled", "2026-11-01T08:00:00Z") + "\n" + "{\"id\":\"kta-broken\",\"rule\":" + "\n"));
        await PutAsync(FindingsKey("2026-11-01", "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/a-copy.json.gz", ".jsonl.gz"),
            Gzip(Finding("kta-dup", "key-disabled", "2026-11-01T08:00:00Z") + "\n"));
        await PutAsync(FindingsKey("2026-11-02", "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/b.json.gz"), Encoding.UTF8.GetBytes(
            Finding("kta-single", "key-deletion-scheduled", "2026-11-02T09:00:00Z") + "\n" + Finding("kta-third", "unexpected-principal", "2026-11-02T10:00:00Z", "medium") + "\n"));
        await PutAsync(FindingsKey("2026-11-03", "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/c.json.gz"), Encoding.UTF8.GetBytes(
            Finding("kta-late", "policy-lockout-risk", "2026-11-02T23:59:00Z") + "\n" + Finding("kta-after", "grant-external-principal", "2026-11-03T00:00:00Z") + "\n"));
        return malformedKey;
    }

    private static int Count(string text, string value)
    {
        int n = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    [Fact]
    public async Task A_requested_period_writes_the_html_report_with_each_finding_once_and_the_malformed_line_named()
    {
        var malformedKey = await PutTwoDaysAsync();
        var function = Start(v => v["AUDITOR_EXPECTED_BUCKET_OWNER"] = "111122223333");

        var outcome = await Answered(_api.InvokeAsync("""{"from":"2026-10-31","to":"2026-11-03","format":"html"}""", new InvocationHeaders { RequestId = "req-report-1" }));

        Assert.False(outcome.IsError, outcome.Body + function.Transcript());
        using var answer = JsonDocument.Parse(outcome.Body);
        Assert.Equal("reports/2026-10-31_2026-11-03.html", answer.RootElement.GetProperty("reportKey").GetString());
        Assert.Equal(4, answer.RootElement.GetProperty("findings").GetInt32());
        Assert.Equal(3, answer.RootElement.GetProperty("days").GetInt32());

        var (html, contentType) = await GetAsync("reports/2026-10-31_2026-11-03.html");
        Assert.StartsWith("text/html", contentType);
        foreach (var rule in new[] { "key-disabled", "key-deletion-scheduled", "unexpected-principal", "policy-lockout-risk" })
            Assert.Contains(rule, html);
        Assert.DoesNotContain("grant-external-principal", html); // at the period's exclusive end
        // The redelivered finding appears exactly as often as a finding delivered once.
        Assert.True(Count(html, "kta-single") > 0);
        Assert.Equal(Count(html, "kta-single"), Count(html, "kta-dup"));
        // Coverage gaps: the malformed line by object and line, and the day without findings objects.
        Assert.Contains($"s3://{_bucket}/{malformedKey}:2", html);
        var gapDays = html[html.IndexOf("id=\"gap-days\"", StringComparison.Ordinal)..];
        Assert.Contains("2026-10-31", gapDays[..gapDays.IndexOf("</li>", StringComparison.Ordinal)]);

        var warn = Assert.Single(function.Logs("findings input not read"));
        Assert.Equal($"s3://{_bucket}/{malformedKey}:2", warn.GetProperty("input").GetString());
        Assert.Equal("req-report-1", warn.GetProperty("requestId").GetString());
        var emf = function.JsonLines().Single(l => l.TryGetProperty("_aws", out _));
        Assert.Equal(4, emf.GetProperty("ReportFindings").GetInt32());
        Assert.Equal(4, emf.GetProperty("ReportObjectsRead").GetInt32());
        Assert.Equal(1, emf.GetProperty("ReportObjectsFailed").GetInt32());
    }

    [Fact]
    public async Task A_scheduled_event_reports_the_previous_day_and_a_rerun_overwrites_it()
    {
        await PutTwoDaysAsync();
        Start();
        const string Scheduled = """{"version":"0","id":"89d1a02d-5ec7-412e-82f5-13505f849b41","detail-type":"Scheduled Event","source":"aws.events","account":"111122223333","time":"2026-11-02T01:15:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:111122223333:rule/auditor-report"],"detail":{}}""";

        var first = await Answered(_api.InvokeAsync(Scheduled));
        var second = await Answered(_api.InvokeAsync(Scheduled));
        var json = await Answered(_api.InvokeAsync("""{"from":"2026-11-01","to":"2026-11-02","format":"json"}"""));

        Assert.False(first.IsError, first.Body);
        Assert.Equal(first.Body, second.Body);
        using var answer = JsonDocument.Parse(first.Body);
        Assert.Equal("reports/2026-11-01_2026-11-02.html", answer.RootElement.GetProperty("reportKey").GetString());
        Assert.Equal(1, answer.RootElement.GetProperty("findings").GetInt32());
        Assert.Equal(1, answer.RootElement.GetProperty("days").GetInt32());
        var reports = (await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "reports/" })).S3Objects.Select(o => o.Key);
        Assert.Equal(["reports/2026-11-01_2026-11-02.html", "reports/2026-11-01_2026-11-02.json"], reports.Order(StringComparer.Ordinal));

        Assert.False(json.IsError, json.Body);
        using var report = JsonDocument.Parse((await GetAsync("reports/2026-11-01_2026-11-02.json")).Body);
        Assert.Equal(["kta-dup"], report.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        Assert.Empty(report.RootElement.GetProperty("coverage").GetProperty("daysWithoutLogFiles").EnumerateArray());
    }

    [Fact]
    public async Task A_bad_request_is_an_invocation_error_and_the_function_keeps_serving()
    {
        var function = Start();

        var bad = await Answered(_api.InvokeAsync("""{"from":"2026-11-02","to":"2026-11-01"}"""));
        var good = await Answered(_api.InvokeAsync("""{"from":"2026-11-01","to":"2026-11-02","format":"md"}"""));

        Assert.True(bad.IsError);
        Assert.Equal("Auditor.InvalidReportRequest", bad.ErrorTypeHeader);
        Assert.Contains("is not before", bad.Body);
        Assert.False(good.IsError, good.Body);
        var (md, _) = await GetAsync("reports/2026-11-01_2026-11-02.md");
        Assert.Contains("2026-11-01", md);
        Assert.False(function.HasExited);
    }

    [Fact]
    public async Task Without_a_findings_bucket_the_report_function_fails_its_init()
    {
        var function = Start(v => v.Remove("AUDITOR_FINDINGS_BUCKET"));

        var init = await _api.InitError.WaitAsync(Patience);

        Assert.Equal("Runtime.InvalidConfiguration", init.ErrorTypeHeader);
        Assert.Contains("AUDITOR_FINDINGS_BUCKET", init.Body);
        Assert.Equal(1, function.WaitForExit(Patience));
    }
}
