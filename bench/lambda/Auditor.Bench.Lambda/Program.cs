using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Auditor.LocalLambda;
using Auditor.Testing;

// bench/lambda: the native bootstrap's cold start and per-object latency, next to `auditor replay` and zcat of the
// same object, in one run. Started by bench/lambda/run.sh (which starts s3rver and dynalite on loopback).
var o = BenchOptions.Parse(args);
var inv = CultureInfo.InvariantCulture;
const string TrailBucket = "bench-trail", FindingsBucket = "bench-findings";

using var s3 = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
{
    ServiceURL = o.S3, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
    RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
});
foreach (var b in new[] { TrailBucket, FindingsBucket }) await s3.PutBucketAsync(b);
string KeyOf(string file)
{
    var full = Path.GetFullPath(file).Replace('\\', '/');
    int at = full.IndexOf("/AWSLogs/", StringComparison.Ordinal);
    return at >= 0 ? full[(at + 1)..] : Path.GetFileName(full);
}
var bigKey = KeyOf(o.Object);
var smallKey = KeyOf(o.ColdObject);
foreach (var (key, file) in new[] { (bigKey, o.Object), (smallKey, o.ColdObject) })
    await s3.PutObjectAsync(new PutObjectRequest { BucketName = TrailBucket, Key = key, FilePath = file, UseChunkEncoding = false });
long uncompressed;
using (var gz = new GZipStream(File.OpenRead(o.Object), CompressionMode.Decompress)) uncompressed = Drain(gz);
long compressed = new FileInfo(o.Object).Length;

// One run with AUDITOR_CREATE_STATE_TABLE=true so the table exists, as it does in AWS; measured runs do not create it.
await using (var prep = await Function.StartAsync(o, create: true))
    await prep.InvokeAsync(S3Event(TrailBucket, smallKey));

var init = new List<double>();
var cold = new List<double>();
for (int i = 0; i < o.ColdRuns; i++)
{
    await using var f = await Function.StartAsync(o, create: false, firstPayload: S3Event(TrailBucket, smallKey));
    init.Add(f.InitMs);
    cold.Add(f.FirstAnswerMs);
    Console.Error.WriteLine(string.Create(inv, $"cold start {i + 1}/{o.ColdRuns}: init {f.InitMs:F1} ms, first invocation answered {f.FirstAnswerMs:F1} ms"));
}

var bigCold = new List<double>();
var bigWarm = new List<double>();
var bigInside = new List<double>();
long records = 0, kms = 0, rssKb = 0;
for (int i = 0; i < o.Runs; i++)
{
    await using var f = await Function.StartAsync(o, create: false, firstPayload: S3Event(TrailBucket, bigKey));
    bigCold.Add(f.FirstAnswerMs);
    for (int w = 0; w < o.Warm; w++) bigWarm.Add(await f.InvokeAsync(S3Event(TrailBucket, bigKey)));
    var audited = f.Logs("object audited");
    bigInside.AddRange(audited.Skip(1).Select(l => l.GetProperty("latencyMs").GetDouble()));
    records = audited[0].GetProperty("eventsRead").GetInt64();
    kms = audited[0].GetProperty("kmsEvents").GetInt64();
    rssKb = Math.Max(rssKb, f.PeakRssKb());
    Console.Error.WriteLine(string.Create(inv, $"5 MB object {i + 1}/{o.Runs}: cold {f.FirstAnswerMs:F0} ms, warm {string.Join(" ", bigWarm.TakeLast(o.Warm).Select(x => x.ToString("F0", inv)))} ms"));
}

var replay = new List<double>();
long replayRssKb = 0;
for (int i = 0; i < o.Runs; i++)
{
    var outDir = Directory.CreateTempSubdirectory("bench-replay-").FullName;
    var (ms, kb) = Timed("/usr/bin/time", ["-f", "%M", "dotnet", o.Auditor, "replay", o.Object, "--out", outDir, "--quiet"]);
    Directory.Delete(outDir, true);
    replay.Add(ms);
    replayRssKb = Math.Max(replayRssKb, kb);
    Console.Error.WriteLine(string.Create(inv, $"auditor replay {i + 1}/{o.Runs}: {ms:F0} ms"));
}
var zcat = new List<double>();
for (int i = 0; i < o.Runs; i++) zcat.Add(Timed("/bin/sh", ["-c", $"zcat '{o.Object}' > /dev/null"]).Ms);

double rep = Median(replay), z = Median(zcat);
var md = new StringBuilder();
md.AppendLine(string.Create(inv, $"Object: `{Path.GetFileName(o.Object)}` — {uncompressed / 1e6:F2} MB uncompressed ({compressed / 1e6:F2} MB gzip), {records:N0} records, {kms:N0} KMS events. Cold starts: {o.ColdRuns} runs on `{Path.GetFileName(o.ColdObject)}` ({new FileInfo(o.ColdObject).Length:N0} B gzip); 5 MB object: {o.Runs} fresh processes × {o.Warm} warm invocations; replay and zcat: {o.Runs} runs each."));
md.AppendLine();
md.AppendLine("| measure | median ms | min ms | max ms | n | × zcat | × replay |");
md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
void Row(string name, List<double> xs) => md.AppendLine(string.Create(inv,
    $"| {name} | {Median(xs):F1} | {xs.Min():F1} | {xs.Max():F1} | {xs.Count} | {Median(xs) / z:F2} | {Median(xs) / rep:F2} |"));
Row("bootstrap init: process start → first `invocation/next`", init);
Row("bootstrap cold start: process start → first invocation answered (small object)", cold);
Row("5 MB object, bootstrap cold: process start → answered", bigCold);
Row("5 MB object, bootstrap warm: invocation → answered (Runtime API round trip)", bigWarm);
Row("5 MB object, bootstrap warm: inside the function (`latencyMs`: GetObject → findings PutObject)", bigInside);
Row("5 MB object, `auditor replay FILE` (process wall time, .NET JIT start included)", replay);
Row("5 MB object, `zcat FILE > /dev/null` (the floor)", zcat);
md.AppendLine();
md.AppendLine(string.Create(inv, $"Peak RSS: bootstrap {rssKb / 1024.0:F0} MB (VmHWM after {1 + o.Warm} invocations of the 5 MB object; GC heap capped at 80 % of 512 MB), `auditor replay` {replayRssKb / 1024.0:F0} MB."));
Console.WriteLine(md.ToString());
if (o.Out is not null) File.WriteAllText(o.Out, md.ToString());
return 0;

static double Median(List<double> xs)
{
    var s = xs.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}

static long Drain(Stream s)
{
    var buffer = new byte[1 << 16];
    long n = 0;
    int r;
    while ((r = s.Read(buffer)) > 0) n += r;
    return n;
}

static (double Ms, long PeakKb) Timed(string file, string[] arguments)
{
    var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (var a in arguments) psi.ArgumentList.Add(a);
    var sw = Stopwatch.StartNew();
    using var p = Process.Start(psi)!;
    var err = p.StandardError.ReadToEndAsync();
    p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    sw.Stop();
    var lines = err.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {p.ExitCode}: {err.Result}");
    long kb = lines.Length > 0 && long.TryParse(lines[^1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : 0;
    return (sw.Elapsed.TotalMilliseconds, kb);
}

static string S3Event(string bucket, string key) =>
    "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\",\"eventTime\":\"2024-05-01T00:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\","
    + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"bucket\":{\"name\":\"" + bucket + "\",\"arn\":\"arn:aws:s3:::" + bucket + "\"},\"object\":{\"key\":\"" + WebUtility.UrlEncode(key) + "\",\"size\":1}}}]}";

/// <summary>One bootstrap process under its own Runtime API; the first invocation is queued before the process starts.</summary>
internal sealed class Function : IAsyncDisposable
{
    private readonly RuntimeApiEmulator _api;
    private readonly BootstrapProcess _process;

    private Function(RuntimeApiEmulator api, BootstrapProcess process) => (_api, _process) = (api, process);

    public double InitMs { get; private set; }
    public double FirstAnswerMs { get; private set; }

    public static async Task<Function> StartAsync(BenchOptions o, bool create, string? firstPayload = null)
    {
        var api = new RuntimeApiEmulator();
        var first = firstPayload is null ? null : api.InvokeAsync(firstPayload, new InvocationHeaders { Deadline = DateTimeOffset.UtcNow.AddMinutes(5) });
        var env = new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = api.Address, ["_HANDLER"] = "ingest", ["AWS_LAMBDA_FUNCTION_NAME"] = "auditor-ingest",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512", ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
            ["AWS_ENDPOINT_URL_S3"] = o.S3, ["AWS_ENDPOINT_URL_DYNAMODB"] = o.Dynamo,
            ["AUDITOR_FINDINGS_BUCKET"] = "bench-findings", ["AUDITOR_STATE_TABLE"] = "bench-auditor-state",
            ["AUDITOR_CREATE_STATE_TABLE"] = create ? "true" : "false",
        };
        var process = new BootstrapProcess(o.Bootstrap, env, logFile: null);
        var f = new Function(api, process);
        var initTask = api.FirstNextRequest.ContinueWith(_ => Stopwatch.GetElapsedTime(process.StartedAt).TotalMilliseconds, TaskScheduler.Default);
        if (first is not null)
        {
            var answer = await f.Await(first);
            f.FirstAnswerMs = Stopwatch.GetElapsedTime(process.StartedAt).TotalMilliseconds;
            f.Check(answer);
        }
        f.InitMs = await initTask.WaitAsync(TimeSpan.FromSeconds(60));
        return f;
    }

    /// <summary>Invokes and returns the round trip in milliseconds.</summary>
    public async Task<double> InvokeAsync(string payload)
    {
        long t = Stopwatch.GetTimestamp();
        var answer = await Await(_api.InvokeAsync(payload, new InvocationHeaders { Deadline = DateTimeOffset.UtcNow.AddMinutes(5) }));
        double ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        Check(answer);
        return ms;
    }

    private async Task<InvocationOutcome> Await(Task<InvocationOutcome> answer)
    {
        var done = await Task.WhenAny(answer, _process.Exited, Task.Delay(TimeSpan.FromMinutes(5)));
        if (done != answer) throw new InvalidOperationException("the bootstrap did not answer:\n" + _process.Tail());
        return await answer;
    }

    private void Check(InvocationOutcome answer)
    {
        if (answer.IsError || answer.Body.Contains("\"objects\":0", StringComparison.Ordinal))
            throw new InvalidOperationException($"the invocation failed: {answer.ErrorTypeHeader} {answer.Body}\n{_process.Tail()}");
    }

    public List<JsonElement> Logs(string message) => _process.Stdout
        .Where(l => l.StartsWith('{'))
        .Select(l => JsonDocument.Parse(l).RootElement.Clone())
        .Where(l => l.TryGetProperty("message", out var m) && m.GetString() == message).ToList();

    /// <summary>VmHWM of the process (peak resident set), in kB.</summary>
    public long PeakRssKb()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.ProcessId}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        _api.Dispose();
        return ValueTask.CompletedTask;
    }
}

internal sealed record BenchOptions(string Bootstrap, string S3, string Dynamo, string Object, string ColdObject, string Auditor, int ColdRuns, int Runs, int Warm, string? Out)
{
    public static BenchOptions Parse(string[] args)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2) d[args[i]] = args[i + 1];
        string Req(string k) => d.TryGetValue(k, out var v) ? v : throw new ArgumentException($"{k} is required");
        int Int(string k, int dflt) => d.TryGetValue(k, out var v) ? Math.Clamp(int.Parse(v, CultureInfo.InvariantCulture), 1, 50) : dflt;
        return new BenchOptions(Req("--bootstrap"), Req("--s3"), Req("--dynamodb"), Req("--object"), Req("--cold-object"), Req("--auditor"),
            Int("--cold-runs", 9), Int("--runs", 5), Int("--warm", 3), d.GetValueOrDefault("--out"));
    }
}
