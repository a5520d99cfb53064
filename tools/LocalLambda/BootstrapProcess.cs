using System.Collections.Concurrent;
using System.Diagnostics;

namespace Auditor.LocalLambda;

/// <summary>
/// The native <c>bootstrap</c> started as Lambda starts it: an empty environment plus the variables given (so no
/// AWS profile or credential of the machine leaks in), stdout and stderr kept in memory and copied to a log file.
/// </summary>
public sealed class BootstrapProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter? _log;

    public BootstrapProcess(string path, IReadOnlyDictionary<string, string> environment, string? logFile)
    {
        var psi = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/bin:/bin";
        psi.Environment["HOME"] = Path.GetTempPath();
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        if (logFile is not null) _log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.Exited += (_, _) => _exited.TrySetResult();
        StartedAt = Stopwatch.GetTimestamp();
        if (!_process.Start()) throw new InvalidOperationException($"could not start {path}");
        _process.OutputDataReceived += (_, e) => Keep(Stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(Stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the process ends.</summary>
    public Task Exited => _exited.Task;

    /// <summary>The operating-system process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>When the process was started (a <see cref="Stopwatch"/> timestamp).</summary>
    public long StartedAt { get; }

    public ConcurrentQueue<string> Stdout { get; } = new();
    public ConcurrentQueue<string> Stderr { get; } = new();

    private void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null) return;
        lines.Enqueue(line);
        lock (_process) _log?.WriteLine(line);
    }

    /// <summary>The last lines printed, for an error message.</summary>
    public string Tail(int lines = 20) => string.Join('\n', Stdout.TakeLast(lines)) + (Stderr.IsEmpty ? "" : "\n--- stderr ---\n" + string.Join('\n', Stderr.TakeLast(lines)));

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        lock (_process) _log?.Dispose();
    }
}
