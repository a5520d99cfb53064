using System.Diagnostics;
using System.Security.Cryptography;

namespace Auditor.Fuzz;

/// <summary>
/// The long-running fuzz driver: <c>dotnet run --project tools/fuzz -- --seconds 300 [--seed N] [--corpus DIR]</c>.
/// Every distinct failure is written to the corpus directory (default <c>tests/fuzz-corpus</c>) as
/// <c>&lt;oracle&gt;-&lt;sha256 prefix&gt;.bin</c> with a <c>.txt</c> beside it saying what broke; the fuzz tests
/// replay every corpus file, so a crash found here becomes a regression test once committed.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        double seconds = 60;
        int seed = Environment.TickCount;
        string corpus = RepoLocator.CorpusDir;
        long iterations = long.MaxValue;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds" when i + 1 < args.Length: seconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--seed" when i + 1 < args.Length: seed = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--corpus" when i + 1 < args.Length: corpus = args[++i]; break;
                case "--iterations" when i + 1 < args.Length: iterations = long.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine("usage: auditor-fuzz [--seconds N] [--seed N] [--iterations N] [--corpus DIR]");
                    return 2;
            }
        }

        var seeds = SeedCorpus.Load();
        Console.WriteLine($"fuzzing for {seconds:0}s with seed {seed} over {seeds.Count} seed files; failures go to {corpus}");
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        var stats = new FuzzCampaign(seed, seeds).Run(iterations, () => clock.Elapsed > deadline, failure =>
        {
            Directory.CreateDirectory(corpus);
            var name = $"{failure.Oracle}-{Convert.ToHexStringLower(SHA256.HashData(failure.Input))[..16]}";
            File.WriteAllBytes(Path.Combine(corpus, name + ".bin"), failure.Input);
            File.WriteAllText(Path.Combine(corpus, name + ".txt"), $"found by tools/fuzz, seed {seed}\n{failure.Problem}\n");
            Console.WriteLine($"FAIL [{failure.Oracle}] {name}: {failure.Problem.Split('\n')[0]}");
        });
        Console.WriteLine($"inputs {stats.Inputs:N0}, mutations {stats.Mutations:N0}, engine batches {stats.EngineBatches:N0}, events judged {stats.EventsJudged:N0}, distinct failures {stats.Failures.Count} in {clock.Elapsed.TotalSeconds:0.0}s");
        return stats.Failures.Count == 0 ? 0 : 1;
    }
}
