using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Auditor.Testing;

/// <summary>
/// <c>bootstrap</c> running as a separate process, as Lambda runs it: configured only through its environment
/// (which starts empty, so nothing of the developer's AWS setup leaks in), its stdout lines kept for assertions.
/// </summary>
public sealed class FunctionProcess : IDisposable
{
    private readonly Process _process;

    public FunctionProcess(string bootstrapPath, IReadOnlyDictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo(bootstrapPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/bin:/bin";
        psi.Environment["HOME"] = Path.GetTempPath();
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        StartedAt = Stopwatch.GetTimestamp();
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.Exited += (_, _) => _exited.TrySetResult();
        if (!_process.Start()) throw new InvalidOperationException($"could not start {bootstrapPath}");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) Stdout.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Stderr.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the process ends (a crash must fail a test at once, not after its timeout).</summary>
    public Task Exited => _exited.Task;

    /// <summary>When the process was started (a <see cref="Stopwatch"/> timestamp).</summary>
    public long StartedAt { get; }

    public ConcurrentQueue<string> Stdout { get; } = new();
    public ConcurrentQueue<string> Stderr { get; } = new();

    /// <summary>Stdout lines that are JSON objects (the function writes nothing else).</summary>
    public List<JsonElement> JsonLines() => Stdout.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    /// <summary>Log lines with this message.</summary>
    public List<JsonElement> Logs(string message) =>
        JsonLines().Where(l => l.TryGetProperty("message", out var m) && m.GetString() == message).ToList();

    public bool HasExited => _process.HasExited;

    /// <summary>The operating-system process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Unix): no handler runs, nothing is flushed.</summary>
    public void Kill() => _process.Kill();

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) throw new TimeoutException($"bootstrap did not exit within {timeout}");
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Everything the process printed, for failure messages.</summary>
    public string Transcript() => string.Join('\n', Stdout) + "\n--- stderr ---\n" + string.Join('\n', Stderr);

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
