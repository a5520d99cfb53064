using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Auditor.Report.Tests;

/// <summary>
/// A headless Chromium driven over the DevTools protocol (System.Net.WebSockets, no extra package): opens a
/// page, records console messages, exceptions and network requests, evaluates expressions in the page, and
/// takes screenshots. Chromium is the Debian package <c>chromium</c>; <c>AUDITOR_CHROMIUM</c> overrides the path.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Generous bound for one protocol exchange; it only stops a hung browser from hanging the suite.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<int, TaskCompletionSource<JsonElement>> _pending = [];
    private readonly List<(string Method, TaskCompletionSource<JsonElement> Done)> _waiters = [];
    private Task _pump = Task.CompletedTask;
    private int _nextId;
    private string? _session;

    public List<string> ConsoleMessages { get; } = [];
    public List<string> Errors { get; } = [];
    public List<string> Requests { get; } = [];

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static string FindExecutable()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("AUDITOR_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" };
        foreach (var c in candidates)
            if (!string.IsNullOrEmpty(c) && File.Exists(c)) return c;
        throw new InvalidOperationException(
            "Chromium is not installed: this test renders the HTML report in headless Chromium. Install the Debian package " +
            "(`apt-get update && apt-get install -y chromium`; .ci/run does this) or set AUDITOR_CHROMIUM to a Chromium/Chrome binary.");
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        var exe = FindExecutable();
        var profile = Path.Combine(Path.GetTempPath(), "auditor-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--remote-debugging-address=127.0.0.1",
                     "--remote-debugging-port=0", $"--user-data-dir={profile}", "--window-size=1280,900", "about:blank" })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {exe}");
        var browser = new HeadlessChromium(process, profile);
        process.StandardOutput.ReadToEndAsync().ContinueWith(_ => { }, TaskScheduler.Default).Forget();

        // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" on stderr.
        string? wsUrl = null;
        var stderr = new StringBuilder();
        var deadline = DateTime.UtcNow + Patience;
        while (wsUrl is null && DateTime.UtcNow < deadline)
        {
            var lineTask = process.StandardError.ReadLineAsync();
            if (await Task.WhenAny(lineTask, Task.Delay(deadline - DateTime.UtcNow)) != lineTask) break;
            var line = await lineTask;
            if (line is null) break;
            stderr.AppendLine(line);
            var m = DevToolsUrl().Match(line);
            if (m.Success) wsUrl = m.Groups[1].Value;
        }
        if (wsUrl is null)
        {
            await browser.DisposeAsync();
            throw new InvalidOperationException($"{exe} did not open its DevTools endpoint; its stderr was:\n{stderr}");
        }
        process.StandardError.ReadToEndAsync().ContinueWith(_ => { }, TaskScheduler.Default).Forget();
        await browser._socket.ConnectAsync(new Uri(wsUrl), browser._stop.Token);
        browser._pump = Task.Run(browser.PumpAsync);
        return browser;
    }

    /// <summary>Opens a page target, enables the domains that report console, errors and network, and loads <paramref name="url"/>.</summary>
    public async Task OpenAsync(string url)
    {
        var target = await SendAsync("Target.createTarget", new { url = "about:blank" }, browserLevel: true);
        var attached = await SendAsync("Target.attachToTarget", new { targetId = target.GetProperty("targetId").GetString(), flatten = true }, browserLevel: true);
        _session = attached.GetProperty("sessionId").GetString();
        foreach (var domain in new[] { "Runtime.enable", "Log.enable", "Network.enable", "Page.enable" }) await SendAsync(domain, new { });
        await SendAsync("Emulation.setDeviceMetricsOverride", new { width = 1280, height = 900, deviceScaleFactor = 1, mobile = false });
        var loaded = WaitFor("Page.loadEventFired");
        await SendAsync("Page.navigate", new { url });
        await loaded.WaitAsync(Patience);
    }

    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var r = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true });
        if (r.TryGetProperty("exceptionDetails", out var ex)) throw new InvalidOperationException($"evaluating {expression}: {ex}");
        return r.GetProperty("result").GetProperty("value").Clone();
    }

    /// <summary>A PNG of the page from the top, <paramref name="maxHeight"/> pixels at most.</summary>
    public async Task<byte[]> ScreenshotAsync(int maxHeight)
    {
        var height = Math.Min(maxHeight, (await EvaluateAsync("document.documentElement.scrollHeight")).GetInt32());
        var shot = await SendAsync("Page.captureScreenshot", new
        {
            format = "png",
            captureBeyondViewport = true,
            clip = new { x = 0, y = 0, width = 1280, height, scale = 1 },
        });
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    private Task<JsonElement> WaitFor(string method)
    {
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters) _waiters.Add((method, tcs));
        return tcs.Task;
    }

    private async Task<JsonElement> SendAsync(string method, object parameters, bool browserLevel = false)
    {
        int id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending) _pending[id] = tcs;
        var message = new Dictionary<string, object?> { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (!browserLevel && _session is not null) message["sessionId"] = _session;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, _stop.Token);
        return await tcs.Task.WaitAsync(Patience);
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[1 << 20];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var r = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                using var doc = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                Dispatch(doc.RootElement.Clone());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
    }

    private void Dispatch(JsonElement m)
    {
        if (m.TryGetProperty("id", out var idElement))
        {
            TaskCompletionSource<JsonElement>? tcs;
            lock (_pending) _pending.Remove(idElement.GetInt32(), out tcs);
            if (tcs is null) return;
            if (m.TryGetProperty("error", out var err)) tcs.TrySetException(new InvalidOperationException(err.ToString()));
            else tcs.TrySetResult(m.TryGetProperty("result", out var res) ? res : default);
            return;
        }
        var method = m.GetProperty("method").GetString()!;
        var p = m.TryGetProperty("params", out var pp) ? pp : default;
        switch (method)
        {
            case "Runtime.consoleAPICalled":
                var text = string.Join(" ", p.GetProperty("args").EnumerateArray().Select(a => a.TryGetProperty("value", out var v) ? v.ToString() : a.GetProperty("type").GetString()));
                lock (ConsoleMessages) ConsoleMessages.Add($"console.{p.GetProperty("type").GetString()}: {text}");
                if (p.GetProperty("type").GetString() is "error" or "assert") lock (Errors) Errors.Add(text);
                break;
            case "Runtime.exceptionThrown":
                lock (Errors) Errors.Add("exception: " + p.GetProperty("exceptionDetails"));
                break;
            case "Log.entryAdded":
                var entry = p.GetProperty("entry");
                lock (ConsoleMessages) ConsoleMessages.Add($"log.{entry.GetProperty("level").GetString()}: {entry.GetProperty("text").GetString()}");
                if (entry.GetProperty("level").GetString() == "error") lock (Errors) Errors.Add(entry.GetProperty("text").GetString()!);
                break;
            case "Network.requestWillBeSent":
                lock (Requests) Requests.Add(p.GetProperty("request").GetProperty("url").GetString()!);
                break;
        }
        lock (_waiters)
            for (int i = _waiters.Count - 1; i >= 0; i--)
                if (_waiters[i].Method == method) { _waiters[i].Done.TrySetResult(p); _waiters.RemoveAt(i); }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await SendAsync("Browser.close", new { }, browserLevel: true).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or WebSocketException or OperationCanceledException) { }
        _stop.Cancel();
        try { await _pump; } catch (OperationCanceledException) { }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _socket.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsUrl();
}

internal static class TaskExtensions
{
    /// <summary>Background drains whose result nobody needs.</summary>
    public static void Forget(this Task task) => _ = task;
}
