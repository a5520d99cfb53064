using System.Text.Json;
using Amazon.CDK;

namespace Auditor.Infra;

/// <summary>
/// Builds the CDK app the same way for <c>dotnet run</c>, the CDK CLI and the tests: context from <c>infra/cdk.json</c>
/// (unless the CLI already passes it), overrides, the output directory, the settings and the stack.
/// </summary>
public static class AuditorApp
{
    /// <summary>The id (and default name) of the stack.</summary>
    public const string StackId = "KmsTrailAuditor";

    /// <summary>What <see cref="Create"/> built.</summary>
    /// <param name="App">The app (not yet synthesized).</param>
    /// <param name="Stack">The stack.</param>
    /// <param name="Code">The function asset used, real or placeholder.</param>
    public sealed record Built(App App, AuditorStack Stack, FunctionCode.Resolution Code);

    /// <summary>Creates the app.</summary>
    /// <param name="repositoryRoot">The directory holding <c>Auditor.sln</c> and <c>infra/</c>.</param>
    /// <param name="overrides">Context values that win over <c>infra/cdk.json</c> (from <c>-c key=value</c> or a test).</param>
    /// <param name="outdir">Cloud assembly directory; null: <c>$CDK_OUTDIR</c>, else <c>infra/cdk.out</c>.</param>
    /// <param name="warnings">Where warnings go (stderr for the app).</param>
    public static Built Create(string repositoryRoot, IReadOnlyDictionary<string, object>? overrides, string? outdir, TextWriter warnings)
    {
        var fromCli = System.Environment.GetEnvironmentVariable("CDK_CONTEXT_JSON") is not null;
        var context = fromCli ? new Dictionary<string, object>() : ReadCdkJsonContext(Path.Combine(repositoryRoot, "infra", "cdk.json"));
        foreach (var (key, value) in overrides ?? new Dictionary<string, object>())
        {
            context[key] = value;
        }

        outdir ??= System.Environment.GetEnvironmentVariable("CDK_OUTDIR") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(repositoryRoot, "infra", "cdk.out");
        Directory.CreateDirectory(outdir);

        var app = new App(new AppProps { Context = context, Outdir = outdir });
        var settings = InfraSettings.FromContext(app.Node, repositoryRoot);
        // The placeholder is written next to (not inside) the cloud assembly, which CDK treats as its own.
        var code = FunctionCode.Resolve(settings.FunctionAsset, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outdir))!, ".auditor-scratch"), warnings);

        var props = new StackProps
        {
            StackName = settings.StackName,
            Description = "KMS Trail Auditor: audits every KMS call in CloudTrail against key policies and grants",
            Env = settings.Account is not null || settings.Region is not null
                ? new Amazon.CDK.Environment { Account = settings.Account, Region = settings.Region }
                : null,
        };
        var stack = new AuditorStack(app, StackId, settings, code.Directory, props);
        if (code.IsPlaceholder)
        {
            Annotations.Of(stack).AddWarning("Functions use a PLACEHOLDER bootstrap: " + FunctionCode.PlaceholderMessage);
        }

        Tags.Of(stack).Add("project", "kms-trail-auditor");
        return new Built(app, stack, code);
    }

    /// <summary>The directory holding <c>Auditor.sln</c>, found by walking up from <paramref name="start"/>.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Auditor.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>The <c>context</c> object of a <c>cdk.json</c>, as plain values jsii can marshal.</summary>
    public static Dictionary<string, object> ReadCdkJsonContext(string cdkJsonPath)
    {
        var context = new Dictionary<string, object>();
        if (!File.Exists(cdkJsonPath))
        {
            return context;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(cdkJsonPath));
        if (!document.RootElement.TryGetProperty("context", out var values))
        {
            return context;
        }

        foreach (var property in values.EnumerateObject())
        {
            context[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number => property.Value.GetDouble(),
                JsonValueKind.String => property.Value.GetString()!,
                _ => throw new InfraConfigurationException(property.Name, $"{cdkJsonPath}: only strings, numbers and booleans are supported"),
            };
        }

        return context;
    }
}
