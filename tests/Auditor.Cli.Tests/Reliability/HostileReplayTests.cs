using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Auditor.Cli.Tests.Reliability;

/// <summary>
/// Issue 10, items 1 and 2, end to end: `auditor replay` in-process over hostile files and directories. Each bad input
/// is named (stderr and summary.json), the rest is processed, the exit code is 3, and no stack trace reaches stderr.
/// </summary>
public class HostileReplayTests
{
    private static readonly string GoodFile = Directory.EnumerateFiles(RepoPaths.RepoPath("sample-events"), "*.json.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();

    /// <summary>Runs the CLI and checks what must hold for every run: a contract exit code and no stack trace.</summary>
    internal static CliRun Run(params string[] args)
    {
        var run = CliRun.Of(args);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("   at ", run.Out);
        Assert.Contains(run.ExitCode, new[] { 0, 1, 2, 3 });
        return run;
    }

    private static JsonElement Summary(string outDir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))).RootElement;

    private static byte[] Gz(string s)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(s));
        return ms.ToArray();
    }

    public static TheoryData<string, byte[]> BadFiles()
    {
        var good = File.ReadAllBytes(GoodFile);
        return new()
        {
            { "zero-bytes.json", [] },
            { "zero-bytes.json.gz", [] },
            { "truncated.json.gz", good.AsSpan(0, good.Length / 2).ToArray() },
            { "garbage.json.gz", [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef] },
            { "records-not-array.json", Encoding.UTF8.GetBytes("{\"Records\":{\"eventSource\":\"kms.amazonaws.com\"}}") },
            { "truncated.json", Encoding.UTF8.GetBytes("{\"Records\":[{\"eventSource\":\"kms.amazonaws.com\",\"eventID\":\"x") },
            { "deep.json", Encoding.UTF8.GetBytes("{\"Records\":[" + new string('[', 5000) + new string(']', 5000) + "]}") },
            { "bad-time.json", Encoding.UTF8.GetBytes("{\"Records\":[{\"eventSource\":\"kms.amazonaws.com\",\"eventID\":\"t1\",\"eventName\":\"Decrypt\",\"eventTime\":\"yesterday\"}]}") },
            { "bad-utf8.json", [.. "{\"Records\":[{\"eventSource\":\"kms.amazonaws.com\",\"eventID\":\"u1\",\"eventName\":\"Dec"u8, 0xff, .. "rypt\",\"eventTime\":\"2024-01-01T00:00:00Z\"}]}"u8] },
            { "oversized-record.json.gz", Gz("{\"Records\":[{\"eventSource\":\"kms.amazonaws.com\",\"pad\":\"" + new string('x', 2 << 20) + "\"}]}") },
        };
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_is_named_and_the_good_one_is_still_processed_with_exit_3(string name, byte[] content)
    {
        var dir = CliRun.TempDir();
        var input = Directory.CreateDirectory(Path.Combine(dir, "in")).FullName;
        File.Copy(GoodFile, Path.Combine(input, "good.json.gz"));
        File.WriteAllBytes(Path.Combine(input, name), content);
        var outDir = Path.Combine(dir, "out");

        var run = Run("replay", input, "--out", outDir, "--quiet");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains(name, run.Error);
        var summary = Summary(outDir);
        Assert.Contains(summary.GetProperty("errors").EnumerateArray(), e => e.GetProperty("file").GetString()!.EndsWith(name, StringComparison.Ordinal));
        Assert.True(summary.GetProperty("eventsRead").GetInt64() > 0, "the good file was not processed");
    }

    [Fact]
    public void Twenty_thousand_small_files_are_all_read_and_counted()
    {
        var dir = CliRun.TempDir();
        var input = Directory.CreateDirectory(Path.Combine(dir, "in")).FullName;
        const int files = 20_000;
        for (int i = 0; i < files; i++)
        {
            var sub = Directory.CreateDirectory(Path.Combine(input, (i % 100).ToString("D2"))).FullName;
            File.WriteAllText(Path.Combine(sub, $"f{i:D5}.json"),
                $$$"""{"Records":[{"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventID":"ev-{{{i}}}","eventTime":"2024-01-01T00:00:00Z","eventName":"Decrypt","awsRegion":"us-east-1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/u","accountId":"111122223333"},"requestParameters":{"keyId":"arn:aws:kms:us-east-1:111122223333:key/k"}},{"eventSource":"s3.amazonaws.com","eventID":"s3-{{{i}}}","eventTime":"2024-01-01T00:00:00Z","eventName":"GetObject"}]}""");
        }
        File.WriteAllBytes(Path.Combine(input, "00", "empty.json"), []);
        var outDir = Path.Combine(dir, "out");

        var run = Run("replay", input, "--out", outDir, "--quiet");

        Assert.Equal(3, run.ExitCode);
        var summary = Summary(outDir);
        Assert.Equal(files, summary.GetProperty("filesRead").GetInt64());
        Assert.Equal(2 * files, summary.GetProperty("eventsRead").GetInt64());
        Assert.Equal(files, summary.GetProperty("kmsEvents").GetInt64());
        Assert.Equal(files, summary.GetProperty("byEventName").GetProperty("Decrypt").GetInt64()); // no event lost
        Assert.Single(summary.GetProperty("errors").EnumerateArray());
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void A_file_name_that_is_not_utf8_is_named_not_fatal()
    {
        var dir = CliRun.TempDir();
        var input = Directory.CreateDirectory(Path.Combine(dir, "in")).FullName;
        File.Copy(GoodFile, Path.Combine(input, "good.json.gz"));
        // .NET cannot create such a name itself; the shell can.
        Sh($"printf '{{}}' > \"$(printf '{input}/bad\\377name.json')\"");
        Assert.Equal(2, Directory.GetFiles(input).Length);
        var outDir = Path.Combine(dir, "out");

        var run = Run("replay", input, "--out", outDir, "--quiet");

        Assert.Contains(run.ExitCode, new[] { 0, 3 });
        Assert.True(Summary(outDir).GetProperty("eventsRead").GetInt64() > 0);
        if (run.ExitCode == 3) Assert.Contains("name.json", run.Error);
    }

    [Fact]
    public void An_unreadable_file_is_named_or_read_when_running_as_root()
    {
        var dir = CliRun.TempDir();
        var input = Directory.CreateDirectory(Path.Combine(dir, "in")).FullName;
        File.Copy(GoodFile, Path.Combine(input, "good.json.gz"));
        var locked = Path.Combine(input, "locked.json.gz");
        File.Copy(GoodFile, locked);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        File.SetUnixFileMode(locked, UnixFileMode.None);
        bool canStillRead;
        try { using (File.OpenRead(locked)) canStillRead = true; }
        catch (UnauthorizedAccessException) { canStillRead = false; }
        var outDir = Path.Combine(dir, "out");

        var run = Run("replay", input, "--out", outDir, "--quiet");

        if (canStillRead)
        {
            // Root (as in CI containers) ignores the mode bits: the file is simply read.
            Assert.Equal(0, run.ExitCode);
            Assert.Equal(2, Summary(outDir).GetProperty("filesRead").GetInt64());
        }
        else
        {
            Assert.Equal(3, run.ExitCode);
            Assert.Contains("locked.json.gz", run.Error);
        }
    }

    [Fact]
    public void Symbolic_link_loops_and_links_out_of_the_directory_are_not_followed()
    {
        var dir = CliRun.TempDir();
        var input = Directory.CreateDirectory(Path.Combine(dir, "in")).FullName;
        File.Copy(GoodFile, Path.Combine(input, "good.json.gz"));
        var outside = Path.Combine(dir, "secret.json");
        File.WriteAllText(outside, "{\"Records\":[{\"eventSource\":\"kms.amazonaws.com\",\"eventID\":\"outside\",\"eventName\":\"Decrypt\",\"eventTime\":\"2024-01-01T00:00:00Z\"}]}");
        File.CreateSymbolicLink(Path.Combine(input, "leak.json"), outside);
        Directory.CreateSymbolicLink(Path.Combine(input, "loop"), input);
        Directory.CreateSymbolicLink(Path.Combine(input, "up"), dir);
        File.CreateSymbolicLink(Path.Combine(input, "a.json"), Path.Combine(input, "b.json"));
        File.CreateSymbolicLink(Path.Combine(input, "b.json"), Path.Combine(input, "a.json"));
        var outDir = Path.Combine(dir, "out");

        var run = Run("replay", input, "--out", outDir, "--quiet");

        Assert.Contains(run.ExitCode, new[] { 0, 3 });
        var summary = Summary(outDir);
        Assert.Equal(1, summary.GetProperty("filesRead").GetInt64());
        var good = Run("replay", GoodFile, "--out", Path.Combine(dir, "out2"), "--quiet");
        Assert.Equal(Summary(Path.Combine(dir, "out2")).GetProperty("kmsEvents").GetInt64(), summary.GetProperty("kmsEvents").GetInt64());
        Assert.Equal(0, good.ExitCode);
    }

    [Fact]
    public async Task A_fifo_in_a_directory_does_not_hang_the_replay()
    {
        var dir = CliRun.TempDir();
        var input = Directory.CreateDirectory(Path.Combine(dir, "in")).FullName;
        File.Copy(GoodFile, Path.Combine(input, "good.json.gz"));
        var fifo = Path.Combine(input, "pipe.json");
        Sh($"mkfifo '{fifo}'");
        var outDir = Path.Combine(dir, "out");
        var task = Task.Run(() => CliRun.Of("replay", input, "--out", outDir, "--quiet"));
        bool finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(60))) == task;
        if (!finished)
        {
            using (var w = new FileStream(fifo, FileMode.Open, FileAccess.Write)) { } // release the blocked reader
        }
        var run = await task;
        Assert.True(finished, "replay blocked on a FIFO");
        Assert.Contains(run.ExitCode, new[] { 0, 3 });
    }

    [Fact]
    public void A_file_symlink_loop_and_a_link_out_of_the_directory_are_not_followed()
    {
        var dir = CliRun.TempDir();
        var input = Directory.CreateDirectory(Path.Combine(dir, "in")).FullName;
        File.Copy(GoodFile, Path.Combine(input, "good.json.gz"));
        var outside = Path.Combine(dir, "secret.json");
        File.WriteAllText(outside, "{\"Records\":[{\"eventSource\":\"kms.amazonaws.com\",\"eventID\":\"outside\",\"eventName\":\"Decrypt\",\"eventTime\":\"2024-01-01T00:00:00Z\"}]}");
        File.CreateSymbolicLink(Path.Combine(input, "leak.json"), outside);
        File.CreateSymbolicLink(Path.Combine(input, "a.json"), Path.Combine(input, "b.json"));
        File.CreateSymbolicLink(Path.Combine(input, "b.json"), Path.Combine(input, "a.json"));
        Directory.CreateSymbolicLink(Path.Combine(input, "self"), input); // one self-loop ends at ELOOP
        var outDir = Path.Combine(dir, "out");

        var run = Run("replay", input, "--out", outDir, "--quiet");

        Assert.Contains(run.ExitCode, new[] { 0, 3 });
        Assert.DoesNotContain("\"outside\"", File.ReadAllText(Path.Combine(outDir, "findings.jsonl")));
        Run("replay", GoodFile, "--out", Path.Combine(dir, "out2"), "--quiet");
        Assert.Equal(Summary(Path.Combine(dir, "out2")).GetProperty("kmsEvents").GetInt64(), Summary(outDir).GetProperty("kmsEvents").GetInt64());
    }

    [Fact]
    public void A_device_given_explicitly_is_an_error_not_a_hang()
    {
        var dir = CliRun.TempDir();
        var run = Run("replay", GoodFile, "/dev/zero", "--out", Path.Combine(dir, "out"), "--quiet");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("/dev/zero", run.Error);
    }

    internal static void Sh(string script)
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", script]) { RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"sh -c {script}: {p.StandardError.ReadToEnd()}");
    }
}
