using BenchmarkDotNet.Running;
using Auditor.Bench.Micro;

// bench [BenchmarkDotNet args]  — the micro-benchmarks (reader, engine)
// profile <trail dir>            — where replay's time goes, stage by stage
if (args.Length >= 2 && args[0] == "profile") return StageProfile.Run(args[1]);
if (args.Length >= 1 && args[0] == "bench")
{
    BenchmarkSwitcher.FromAssembly(typeof(ReaderBenchmarks).Assembly).Run(args[1..]);
    return 0;
}
Console.Error.WriteLine("usage: Auditor.Bench.Micro bench [--filter *] | profile <trail dir>");
return 2;
