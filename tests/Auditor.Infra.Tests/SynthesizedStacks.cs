using System.Text.Json;
using Amazon.CDK.Assertions;
using Auditor.Infra;

// One jsii kernel (a node process) serves the whole assembly; synthesizing in parallel through it gains nothing and has
// been a source of flaky failures, so the tests of this assembly run one at a time and share synthesized stacks.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Auditor.Infra.Tests;

/// <summary>One synthesized variant of the stack: its CDK objects, an assertions Template and the raw template JSON.</summary>
public sealed class SynthesizedStack
{
    public SynthesizedStack(IReadOnlyDictionary<string, object> context)
    {
        Outdir = Directory.CreateTempSubdirectory("auditor-infra-test-").FullName;
        Warnings = new StringWriter();
        Built = AuditorApp.Create(RepositoryRoot.Path, context, Outdir, Warnings);
        var assembly = Built.App.Synth();
        var templatePath = Path.Combine(assembly.Directory, Built.Stack.TemplateFile);
        Json = JsonDocument.Parse(File.ReadAllText(templatePath));
        Template = Template.FromStack(Built.Stack);
    }

    public AuditorApp.Built Built { get; }

    public string Outdir { get; }

    public StringWriter Warnings { get; }

    public JsonDocument Json { get; }

    public Template Template { get; }

    public JsonElement Resources => Json.RootElement.GetProperty("Resources");

    /// <summary>The resources of one CloudFormation type, by logical id.</summary>
    public IEnumerable<(string Id, JsonElement Properties)> OfType(string type) =>
        Resources.EnumerateObject()
            .Where(r => r.Value.GetProperty("Type").GetString() == type)
            .Select(r => (r.Name, r.Value.TryGetProperty("Properties", out var p) ? p : default));

    /// <summary>The single Lambda function whose Handler is <paramref name="handler"/>.</summary>
    public JsonElement Function(string handler) =>
        OfType("AWS::Lambda::Function").Single(f =>
            f.Properties.TryGetProperty("Handler", out var h) && h.GetString() == handler).Properties;

    /// <summary>The logical id of the function with that handler.</summary>
    public string FunctionId(string handler) =>
        OfType("AWS::Lambda::Function").Single(f =>
            f.Properties.TryGetProperty("Handler", out var h) && h.GetString() == handler).Id;
}

/// <summary>The variants the tests look at, synthesized once for the whole assembly.</summary>
public sealed class SynthesizedStacks : IDisposable
{
    public const string ExistingBucket = "org-trail-logs-111122223333";
    public const string TrailKeyArn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    public const string OrganizationId = "o-a1b2c3d4e5";

    public SynthesizedStacks()
    {
        // The default deployment: the stack creates its trail; S3 notification; no published bootstrap.
        NewTrail = new SynthesizedStack(new Dictionary<string, object>
        {
            ["functionAsset"] = Path.Combine(Path.GetTempPath(), "auditor-infra-test-no-such-publish-dir"),
        });
        // An existing organization trail bucket, SSE-KMS, which already notifies someone else: EventBridge.
        ExistingOrganizationTrail = new SynthesizedStack(new Dictionary<string, object>
        {
            ["trailBucketName"] = ExistingBucket,
            ["trailKeyPrefix"] = "cloudtrail/",
            ["trailKmsKeyArn"] = TrailKeyArn,
            ["organizationId"] = OrganizationId,
            ["trailNotification"] = "eventbridge",
            ["account"] = "111122223333",
            ["region"] = "eu-west-1",
            ["backfillMaxConcurrency"] = "200",
            ["alarmEmail"] = "secops@example.com",
            ["functionAsset"] = Path.Combine(Path.GetTempPath(), "auditor-infra-test-no-such-publish-dir"),
        });
    }

    public SynthesizedStack NewTrail { get; }

    public SynthesizedStack ExistingOrganizationTrail { get; }

    public IEnumerable<SynthesizedStack> All => [NewTrail, ExistingOrganizationTrail];

    public void Dispose()
    {
        foreach (var stack in All)
        {
            try
            {
                Directory.Delete(stack.Outdir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary directory is not worth failing the run for.
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SynthesizedStacksCollection : ICollectionFixture<SynthesizedStacks>
{
    public const string Name = "synthesized stacks";
}

/// <summary>The repository root (the directory holding Auditor.sln), found by walking up from the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } =
        AuditorApp.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"no Auditor.sln above {AppContext.BaseDirectory}");
}
