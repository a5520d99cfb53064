using System.Diagnostics;
using System.Text.RegularExpressions;
using Auditor.Testing;

namespace Auditor.Integration.Tests;

/// <summary>The binary must load on provided.al2023, whose glibc is 2.34 (CONTRACT section 7).</summary>
[Collection(LambdaCollection.Name)]
public sealed partial class BinaryCompatibilityTests(LambdaEnvironment env)
{
    [Fact]
    public void Bootstrap_needs_no_glibc_symbol_newer_than_2_34()
    {
        string symbols;
        try
        {
            using var objdump = Process.Start(new ProcessStartInfo("objdump", ["-T", env.Bootstrap.Path_]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            symbols = objdump.StandardOutput.ReadToEnd();
            objdump.WaitForExit();
            Assert.True(objdump.ExitCode == 0, "objdump -T failed: " + objdump.StandardError.ReadToEnd());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("objdump is needed for this test: install the Debian package binutils");
        }

        var versions = GlibcVersion().Matches(symbols).Select(m => Version.Parse(m.Groups[1].Value)).Distinct().ToList();
        Assert.NotEmpty(versions); // a dynamically linked binary always names some: an empty list means the parse is wrong
        var newest = versions.Max()!;
        Assert.True(newest <= new Version(2, 34), $"bootstrap needs GLIBC_{newest}; Amazon Linux 2023 has 2.34");
    }

    [Fact]
    public void Bootstrap_is_a_native_executable_not_a_managed_assembly()
    {
        var head = new byte[4];
        using (var f = File.OpenRead(env.Bootstrap.Path_)) f.ReadExactly(head);
        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, head);
    }

    [Fact]
    public void Publishing_reports_no_trim_or_aot_warning()
    {
        // With AUDITOR_BOOTSTRAP_PATH the binary was published elsewhere and there is no output to inspect here.
        if (env.Bootstrap.PublishOutput.Length == 0) return;
        var warnings = env.Bootstrap.PublishOutput.Split('\n').Where(l => l.Contains(": warning ", StringComparison.Ordinal)).ToList();
        Assert.True(warnings.Count == 0, "dotnet publish warned:\n" + string.Join('\n', warnings));
    }

    [GeneratedRegex(@"GLIBC_(\d+\.\d+(?:\.\d+)?)")]
    private static partial Regex GlibcVersion();
}
