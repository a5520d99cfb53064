namespace Auditor.Infra;

/// <summary>
/// Finds the directory holding the published native-AOT <c>bootstrap</c>, or stands in a placeholder so synthesis
/// (and the tests) work before anything is published.
/// </summary>
public static class FunctionCode
{
    /// <summary>The placeholder's message, also printed when it runs in Lambda.</summary>
    public const string PlaceholderMessage =
        "KMS Trail Auditor: this function was deployed with a placeholder bootstrap. Publish the functions first: "
        + "dotnet publish functions/Auditor.Functions -c Release -r linux-arm64 -o functions/Auditor.Functions/bin/publish-arm64 "
        + "(see docs/deploy.md), then deploy again.";

    /// <summary>The outcome: the asset directory and whether it is the placeholder.</summary>
    /// <param name="Directory">The directory to package as the functions' code.</param>
    /// <param name="IsPlaceholder">True when the real publish output was not found.</param>
    public sealed record Resolution(string Directory, bool IsPlaceholder);

    /// <summary>
    /// Returns <paramref name="publishDirectory"/> when it holds a <c>bootstrap</c>; otherwise writes a placeholder
    /// directory under <paramref name="scratchDirectory"/> and warns on <paramref name="warnings"/>.
    /// </summary>
    public static Resolution Resolve(string publishDirectory, string scratchDirectory, TextWriter warnings)
    {
        if (File.Exists(Path.Combine(publishDirectory, "bootstrap")))
        {
            return new Resolution(publishDirectory, IsPlaceholder: false);
        }

        var reason = Directory.Exists(publishDirectory)
            ? $"'{publishDirectory}' has no 'bootstrap'"
            : $"'{publishDirectory}' does not exist";
        warnings.WriteLine(
            $"warning: {reason}; the functions are synthesized with a PLACEHOLDER bootstrap that fails every invocation. "
            + "Publish first: dotnet publish functions/Auditor.Functions -c Release -r linux-arm64 "
            + "-o functions/Auditor.Functions/bin/publish-arm64 (or set context functionAsset).");

        var placeholder = Path.Combine(scratchDirectory, "placeholder-bootstrap");
        Directory.CreateDirectory(placeholder);
        var script = Path.Combine(placeholder, "bootstrap");
        // Fixed content, so the asset hash is stable; written through a temporary file so concurrent synths never see
        // half a script.
        var content = "#!/bin/sh\n"
            + $"echo '{PlaceholderMessage}' >&2\n"
            + "exit 1\n";
        if (!File.Exists(script) || File.ReadAllText(script) != content)
        {
            var temporary = script + "." + Environment.ProcessId + ".tmp";
            File.WriteAllText(temporary, content);
            File.Move(temporary, script, overwrite: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        return new Resolution(placeholder, IsPlaceholder: true);
    }
}
