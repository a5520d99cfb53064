using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Auditor.Testing;

/// <summary>
/// A real <c>dynalite@4.0.0</c> (npm; DynamoDB's API over LevelDB, in memory) on 127.0.0.1 and a free port. Found like
/// s3rver: <c>$AUDITOR_NODE_MODULES/dynalite</c>, <c>&lt;repo&gt;/.ci/node_modules/dynalite</c> or under <c>npm root -g</c>;
/// when it is in none of them the tests fail saying how to install it.
/// </summary>
public sealed class DynaliteProcess : IDisposable
{
    public const string AccessKey = "local";
    public const string SecretKey = "local";

    private readonly Process _process;

    public DynaliteProcess()
    {
        var script = NodeModules.Find("dynalite", Path.Combine("dynalite", "cli.js"), "dynalite@4.0.0");
        Port = RuntimeApiEmulator.FreePort();
        var psi = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--host", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--createTableMs", "50" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("node could not be started (is Node.js installed?)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (Errors) Errors.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var client = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"dynalite exited at start ({_process.ExitCode}): {string.Join('\n', Errors)}");
            try
            {
                client.ListTablesAsync(new ListTablesRequest()).GetAwaiter().GetResult();
                break;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";
    public List<string> Errors { get; } = [];
    public int ProcessId => _process.Id;

    public AmazonDynamoDBConfig Config() => new() { ServiceURL = Endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 3 };

    public AmazonDynamoDBClient CreateClient() => new(new BasicAWSCredentials(AccessKey, SecretKey), Config());

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}

/// <summary>Finds npm packages the tests run: <c>$AUDITOR_NODE_MODULES</c>, <c>&lt;repo&gt;/.ci/node_modules</c>, <c>npm root -g</c>.</summary>
public static class NodeModules
{
    public static string Find(string package, string relativeScript, string spec)
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("AUDITOR_NODE_MODULES") is { Length: > 0 } nm) candidates.Add(nm);
        candidates.Add(Path.Combine(RepoPaths.Root, ".ci", "node_modules"));
        if (NpmRootGlobal() is { } global) candidates.Add(global);
        foreach (var dir in candidates)
        {
            var script = Path.Combine(dir, relativeScript);
            if (File.Exists(script)) return script;
        }
        throw new InvalidOperationException(
            $"{spec} (npm) is needed by these tests and was not found in: " + string.Join(", ", candidates) +
            $". Install it with `npm install --prefix {Path.Combine(RepoPaths.Root, ".ci")} {spec}`, or set AUDITOR_NODE_MODULES to a node_modules directory holding {package}.");
    }

    private static string? NpmRootGlobal()
    {
        try
        {
            using var npm = Process.Start(new ProcessStartInfo("npm", "root -g") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (npm is null) return null;
            var output = npm.StandardOutput.ReadToEnd().Trim();
            npm.WaitForExit(10_000);
            return npm.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
