using System.Diagnostics;
using Auditor.Core.Authorization;
using BenchmarkDotNet.Running;

namespace Auditor.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Auditor.Benchmarks -- [BenchmarkDotNet args]</c>, e.g.
/// <c>--filter *Evaluator* --job short</c>. <c>--quick</c> instead runs a single-threaded Stopwatch loop and
/// prints decisions/s, for a fast figure on a busy machine.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--quick")) return Quick(args);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static int Quick(string[] args)
    {
        int seconds = 3;
        int i = Array.IndexOf(args, "--seconds");
        if (i >= 0 && i + 1 < args.Length) seconds = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
        var s = new EvaluatorScenario();
        var first = s.Evaluate();
        Console.WriteLine($"scenario decision: {AuthorizationNames.Of(first.Decision)} / {AuthorizationNames.Of(first.Path)} / {first.StatementSid}");
        for (int w = 0; w < 200_000; w++) s.Evaluate(); // warm-up: tiered JIT and PGO
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long n = 0;
        var sw = Stopwatch.StartNew();
        var budget = TimeSpan.FromSeconds(seconds);
        while (sw.Elapsed < budget)
        {
            for (int k = 0; k < 10_000; k++) s.Evaluate();
            n += 10_000;
        }
        sw.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Console.WriteLine($"decisions: {n:N0} in {sw.Elapsed.TotalSeconds:F2} s on one thread = {n / sw.Elapsed.TotalSeconds:N0} decisions/s; {(double)allocated / n:F1} bytes allocated per decision");
        return 0;
    }
}
