namespace Auditor.Cli.Replay;

/// <summary>A one-line progress display on stderr, only when stderr is a terminal and the run is long.</summary>
internal sealed class ReplayProgress(CliConsole console, int total, bool enabled)
{
    private int _done;
    private long _lastTick;

    public void FileDone()
    {
        int done = Interlocked.Increment(ref _done);
        if (!enabled) return;
        long now = Environment.TickCount64;
        long last = Interlocked.Read(ref _lastTick);
        if (now - last < 200 && done != total) return;
        if (Interlocked.CompareExchange(ref _lastTick, now, last) != last) return;
        lock (this) console.Error.Write($"\rreading {done:N0}/{total:N0} files ({100.0 * done / total:F0}%)   ");
    }

    public void Finish()
    {
        if (enabled) lock (this) console.Error.Write("\r" + new string(' ', 60) + "\r");
    }
}
