using System.Globalization;

namespace Auditor.TrailGen;

/// <summary>What to generate. Every default is chosen to look like a busy multi-account organization's trail.</summary>
public sealed record GeneratorOptions
{
    public long Events { get; init; } = 100_000;
    public string OutDir { get; init; } = "trail";
    public int Seed { get; init; } = 1;
    /// <summary>Log files delivered per hour per account and region (CloudTrail delivers about every five minutes).</summary>
    public int FilesPerHour { get; init; } = 12;
    /// <summary>Mean records per log file; each file gets between a quarter and 1.75 times this.</summary>
    public int EventsPerFile { get; init; } = 3000;
    public int Accounts { get; init; } = 3;
    public int Regions { get; init; } = 2;
    /// <summary>Customer-managed keys per account and region, each created with a policy and an alias.</summary>
    public int KeysPerRegion { get; init; } = 3;
    public double KmsShare { get; init; } = 0.15;
    public double DeniedShare { get; init; } = 0.03;
    public DateTimeOffset Start { get; init; } = new(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Mean uncompressed bytes per record of the default mix, measured; turns <c>--size</c> into an event count.</summary>
    public const double MeanRecordBytes = 1560;

    public const string Usage = """
        usage: trailgen [--events N | --size 1G] [--out DIR] [--seed S] [--files-per-hour F] [--events-per-file E]
                        [--accounts A] [--regions R] [--keys K] [--kms-share 0.15] [--denied-share 0.03]
                        [--start 2024-05-01T00:00:00Z] [--parallel P]
          Writes AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz
          and DIR/manifest.json (records, KMS records, uncompressed and compressed bytes). Same options, same bytes.
        """;

    public static GeneratorOptions Parse(string[] args)
    {
        var o = new GeneratorOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--events" or "-n" => o with { Events = long.Parse(Next(), CultureInfo.InvariantCulture) },
                "--size" => o with { Events = (long)(ParseSize(Next()) / MeanRecordBytes) },
                "--out" or "-o" => o with { OutDir = Next() },
                "--seed" => o with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--files-per-hour" => o with { FilesPerHour = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--events-per-file" => o with { EventsPerFile = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--accounts" => o with { Accounts = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--regions" => o with { Regions = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--keys" => o with { KeysPerRegion = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--kms-share" => o with { KmsShare = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--denied-share" => o with { DeniedShare = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--start" => o with { Start = DateTimeOffset.Parse(Next(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) },
                "--parallel" => o with { Parallelism = int.Parse(Next(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        if (o.Events < 1) throw new ArgumentException("--events must be at least 1");
        if (o.Accounts is < 1 or > 50 || o.Regions < 1 || o.Regions > World.AllRegions.Length) throw new ArgumentException($"--accounts 1..50, --regions 1..{World.AllRegions.Length}");
        if (o.FilesPerHour is < 1 or > 60 || o.EventsPerFile < 10 || o.KeysPerRegion < 1) throw new ArgumentException("--files-per-hour 1..60, --events-per-file >= 10, --keys >= 1");
        return o;
    }

    private static double ParseSize(string s)
    {
        char unit = char.ToUpperInvariant(s[^1]);
        double mult = unit == 'K' ? 1e3 : unit == 'M' ? 1e6 : unit == 'G' ? 1e9 : 1;
        return double.Parse(mult == 1 ? s : s[..^1], CultureInfo.InvariantCulture) * mult;
    }
}
