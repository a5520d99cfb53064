using System.Globalization;
using Auditor.LocalLambda;

// local-lambda: feeds the native ingest bootstrap the sample trails through a loopback Runtime API, against s3rver
// and dynalite, and prints the findings that appear. Started by tools/run-local.sh, which starts the servers.
LocalOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h")) { Console.WriteLine(LocalOptions.Usage); return 0; }
    options = LocalOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"local-lambda: {e.Message}");
    Console.Error.WriteLine(LocalOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
try
{
    return await new LocalPipeline(options, Console.Out).RunAsync(stop.Token);
}
catch (LocalPipelineException e)
{
    Console.Error.WriteLine($"local-lambda: {e.Message}");
    return 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("local-lambda: interrupted");
    return 130;
}

/// <summary>Command line of local-lambda.</summary>
internal sealed record LocalOptions
{
    public const string Usage = """
        usage: local-lambda --bootstrap PATH --s3 URL --dynamodb URL [--samples DIR] [--trail-bucket NAME]
                            [--findings-bucket NAME] [--state-table NAME] [--batch-size N] [--show N] [--log FILE]
                            [--compare FINDINGS.jsonl]
          Creates the buckets, uploads every *.json.gz under --samples (default sample-events) to the trail bucket
          under its AWSLogs/… key, runs the bootstrap with _HANDLER=ingest on a loopback Runtime API, invokes it with
          SQS batches of S3 notifications (--batch-size, default 10) and prints the findings objects that appeared.
          --compare: `auditor replay`'s findings.jsonl of the same trails; exit 1 unless the finding ids are the same.
        """;

    public string Bootstrap { get; init; } = "";
    public string S3Endpoint { get; init; } = "";
    public string DynamoEndpoint { get; init; } = "";
    public string Samples { get; init; } = "sample-events";
    public string TrailBucket { get; init; } = "local-trail";
    public string FindingsBucket { get; init; } = "local-findings";
    public string StateTable { get; init; } = "local-auditor-state";
    public int BatchSize { get; init; } = 10;
    public int Show { get; init; } = 5;
    public string? LogFile { get; init; }
    public string? CompareWith { get; init; }

    public static LocalOptions Parse(string[] args)
    {
        var o = new LocalOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"'{s}' is not a positive number");
            o = args[i] switch
            {
                "--bootstrap" => o with { Bootstrap = Next() },
                "--s3" => o with { S3Endpoint = Next() },
                "--dynamodb" => o with { DynamoEndpoint = Next() },
                "--samples" => o with { Samples = Next() },
                "--trail-bucket" => o with { TrailBucket = Next() },
                "--findings-bucket" => o with { FindingsBucket = Next() },
                "--state-table" => o with { StateTable = Next() },
                "--batch-size" => o with { BatchSize = Math.Min(Int(Next()), 10_000) },
                "--show" => o with { Show = Int(Next()) },
                "--log" => o with { LogFile = Next() },
                "--compare" => o with { CompareWith = Next() },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
            };
        }
        if (o.Bootstrap.Length == 0 || !File.Exists(o.Bootstrap)) throw new ArgumentException($"--bootstrap must name the published bootstrap (got '{o.Bootstrap}')");
        foreach (var (name, url) in new[] { ("--s3", o.S3Endpoint), ("--dynamodb", o.DynamoEndpoint) })
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || !u.IsLoopback)
                throw new ArgumentException($"{name} must be a loopback URL such as http://127.0.0.1:4569 (got '{url}'): this tool never talks to AWS");
        if (!Directory.Exists(o.Samples)) throw new ArgumentException($"--samples '{o.Samples}' is not a directory");
        return o;
    }
}
