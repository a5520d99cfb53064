using System.Diagnostics;

namespace Auditor.Cli.Tests;

/// <summary>An independent count of CloudTrail records with jq (and zcat), to check the reader against.</summary>
public static class Jq
{
    private const string Filter =
        "[if type==\"object\" and has(\"Records\") then .Records[] elif type==\"object\" and has(\"eventVersion\") and has(\"eventTime\") then . else empty end]" +
        " | \"\\(length) \\(map(select(.eventSource==\"kms.amazonaws.com\")) | length)\"";

    /// <summary>(records, KMS records) of one file, gzip or plain.</summary>
    public static (long Records, long Kms) Count(string file)
    {
        var psi = new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", "if [ \"$(head -c2 \"$1\" | od -An -tx1 | tr -d ' ')\" = 1f8b ]; then zcat \"$1\"; else cat \"$1\"; fi | jq -r \"$2\"", "count", file, Filter },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start bash");
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"jq failed on {file} (is jq installed?): {error}");
        var parts = output.Trim().Split(' ');
        return (long.Parse(parts[0]), long.Parse(parts[1]));
    }
}
