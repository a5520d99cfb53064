using System.Diagnostics;

namespace Auditor.Testing;

/// <summary>
/// The native <c>bootstrap</c> under test: <c>AUDITOR_BOOTSTRAP_PATH</c> when set (a prebuilt binary, as CI may
/// provide), else published once per test run with <c>dotnet publish functions/Auditor.Functions -c Release -r linux-x64</c>
/// into a temporary directory.
/// </summary>
public sealed class BootstrapBinary : IDisposable
{
    private readonly string? _tempDir;

    public BootstrapBinary()
    {
        var prebuilt = Environment.GetEnvironmentVariable("AUDITOR_BOOTSTRAP_PATH");
        if (!string.IsNullOrEmpty(prebuilt))
        {
            if (!File.Exists(prebuilt)) throw new InvalidOperationException($"AUDITOR_BOOTSTRAP_PATH names '{prebuilt}', which does not exist");
            Path_ = prebuilt;
            return;
        }
        _tempDir = Directory.CreateTempSubdirectory("auditor-bootstrap-").FullName;
        var psi = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", Path.Combine(RepoPaths.Root, "functions", "Auditor.Functions", "Auditor.Functions.csproj"), "-c", "Release", "-r", "linux-x64", "-o", _tempDir, "-nologo" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        using var publish = Process.Start(psi)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        if (!publish.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            publish.Kill();
            throw new InvalidOperationException("dotnet publish of bootstrap took more than 10 minutes");
        }
        PublishOutput = stdout.Result + stderr.Result;
        if (publish.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish of bootstrap failed ({publish.ExitCode}):\n{PublishOutput}");
        Path_ = System.IO.Path.Combine(_tempDir, "bootstrap");
        if (!File.Exists(Path_)) throw new InvalidOperationException($"dotnet publish wrote no bootstrap into {_tempDir}:\n{PublishOutput}");
    }

    /// <summary>The executable.</summary>
    public string Path_ { get; }

    /// <summary>What <c>dotnet publish</c> printed (empty for a prebuilt binary).</summary>
    public string PublishOutput { get; } = "";

    public void Dispose()
    {
        if (_tempDir is not null)
            try { Directory.Delete(_tempDir, recursive: true); } catch (IOException) { }
    }
}
