using System.Diagnostics;
using Auditor.Infra;

// Synthesizes the stack: `dotnet run --project infra/Auditor.Infra [-- -c key=value ...]`, or through the CDK CLI from
// infra/ (cdk.json). Needs no AWS account and no network: the jsii runtime runs on the machine's node.
var overrides = new Dictionary<string, object>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] is "-c" or "--context" && i + 1 < args.Length && args[i + 1].IndexOf('=') is > 0 and var equals)
    {
        overrides[args[i + 1][..equals]] = args[i + 1][(equals + 1)..];
        i++;
    }
    else
    {
        Console.Error.WriteLine($"error: unexpected argument '{args[i]}'; usage: dotnet run --project infra/Auditor.Infra [-- -c key=value]...");
        return 2;
    }
}

var root = AuditorApp.FindRepositoryRoot(Directory.GetCurrentDirectory())
    ?? AuditorApp.FindRepositoryRoot(AppContext.BaseDirectory);
if (root is null)
{
    Console.Error.WriteLine("error: cannot find the repository root (the directory holding Auditor.sln) above the current directory");
    return 2;
}

try
{
    var clock = Stopwatch.StartNew();
    var built = AuditorApp.Create(root, overrides, outdir: null, Console.Error);
    var assembly = built.App.Synth();
    Console.Error.WriteLine($"synthesized {built.Stack.StackName} into {assembly.Directory} in {clock.Elapsed.TotalSeconds:F1} s");
    return 0;
}
catch (InfraConfigurationException error)
{
    Console.Error.WriteLine($"error: {error.Message}");
    return 1;
}
