using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;

namespace Auditor.Testing;

/// <summary>
/// A real <c>s3rver@3.7.1</c> (npm) on 127.0.0.1 and a free port, with a fresh data directory, for one test run.
/// Found at <c>$AUDITOR_NODE_MODULES/s3rver</c>, <c>&lt;repo&gt;/.ci/node_modules/s3rver</c> or under <c>npm root -g</c>;
/// when it is in none of them the tests fail saying how to install it.
/// </summary>
public sealed class S3rverProcess : IDisposable
{
    /// <summary>s3rver's built-in credentials; it verifies signatures against them.</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly Process _process;
    private readonly string _dataDir;

    public S3rverProcess()
    {
        var script = FindS3rver();
        Port = RuntimeApiEmulator.FreePort();
        _dataDir = Directory.CreateTempSubdirectory("auditor-s3rver-").FullName;
        var psi = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "-d", _dataDir, "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--no-vhost-buckets" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("node could not be started (is Node.js installed?)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Errors.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilServing();
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";
    public List<string> Errors { get; } = [];

    /// <summary>A client for the tests' own puts and reads (path-style, plain bodies, as the function uses).</summary>
    public AmazonS3Client CreateClient() => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = Endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    private void WaitUntilServing()
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"s3rver exited at start ({_process.ExitCode}): {string.Join('\n', Errors)}");
            try
            {
                client.ListBucketsAsync().GetAwaiter().GetResult();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static string FindS3rver()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("AUDITOR_NODE_MODULES") is { Length: > 0 } nm) candidates.Add(nm);
        candidates.Add(Path.Combine(RepoPaths.Root, ".ci", "node_modules"));
        if (NpmRootGlobal() is { } global) candidates.Add(global);
        foreach (var dir in candidates)
        {
            var script = Path.Combine(dir, "s3rver", "bin", "s3rver.js");
            if (File.Exists(script)) return script;
        }
        throw new InvalidOperationException(
            "s3rver@3.7.1 (npm) is needed by the integration tests and was not found in: " + string.Join(", ", candidates) +
            $". Install it with `npm install --prefix {Path.Combine(RepoPaths.Root, ".ci")} s3rver@3.7.1`, or set AUDITOR_NODE_MODULES to a node_modules directory holding it.");
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
            return null; // npm not installed: the message above lists the other places
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
