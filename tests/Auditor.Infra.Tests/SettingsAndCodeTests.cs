using Amazon.CDK;
using Auditor.Infra;

namespace Auditor.Infra.Tests;

[Collection(SynthesizedStacksCollection.Name)]
public sealed class SettingsAndCodeTests
{
    private static InfraSettings Read(Dictionary<string, object> context) =>
        InfraSettings.FromContext(new App(new AppProps { Context = context }).Node, "/repo");

    [Theory]
    [InlineData("trailBucketName", "Not_A_Bucket")]
    [InlineData("organizationId", "org-1")]
    [InlineData("trailNotification", "sns")]
    [InlineData("ingestMaxConcurrency", "1")]
    [InlineData("backfillMaxConcurrency", "12.5")]
    [InlineData("account", "1234")]
    public void Rejects_a_malformed_value_naming_its_context_key(string key, string value)
    {
        var error = Assert.Throws<InfraConfigurationException>(() => Read(new Dictionary<string, object> { [key] = value }));
        Assert.Equal(key, error.ContextKey);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_trail_key_without_an_existing_bucket_and_an_alias_instead_of_a_key()
    {
        Assert.Equal("trailKmsKeyArn", Assert.Throws<InfraConfigurationException>(() => Read(new()
        {
            ["trailKmsKeyArn"] = SynthesizedStacks.TrailKeyArn,
        })).ContextKey);
        Assert.Equal("trailKmsKeyArn", Assert.Throws<InfraConfigurationException>(() => Read(new()
        {
            ["trailBucketName"] = "logs",
            ["trailKmsKeyArn"] = "arn:aws:kms:eu-west-1:111122223333:alias/trail",
        })).ContextKey);
    }

    [Theory]
    [InlineData("", null, "AWSLogs/")]
    [InlineData("audit", null, "audit/AWSLogs/")]
    [InlineData("/audit/logs/", "o-abcdefghij", "audit/logs/AWSLogs/o-abcdefghij/")]
    public void Trail_object_prefix_follows_CloudTrail_layout(string keyPrefix, string? organization, string expected)
    {
        var context = new Dictionary<string, object> { ["trailBucketName"] = "logs", ["trailKeyPrefix"] = keyPrefix };
        if (organization is not null)
        {
            context["organizationId"] = organization;
        }

        Assert.Equal(expected, Read(context).TrailObjectPrefix);
    }

    [Fact]
    public void Relative_function_asset_resolves_against_the_repository_root()
    {
        Assert.Equal(Path.GetFullPath("/repo/" + InfraSettings.DefaultFunctionAsset), Read(new()).FunctionAsset);
    }

    [Fact]
    public void A_published_bootstrap_is_used_as_is()
    {
        var publish = Directory.CreateTempSubdirectory("auditor-publish-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(publish, "bootstrap"), "ELF");
            var warnings = new StringWriter();
            var code = FunctionCode.Resolve(publish, Path.Combine(publish, "scratch"), warnings);
            Assert.False(code.IsPlaceholder);
            Assert.Equal(publish, code.Directory);
            Assert.Equal("", warnings.ToString());
        }
        finally
        {
            Directory.Delete(publish, recursive: true);
        }
    }

    [Fact]
    public void A_missing_publish_directory_gets_an_executable_placeholder_that_fails_with_instructions()
    {
        var scratch = Directory.CreateTempSubdirectory("auditor-scratch-").FullName;
        try
        {
            var warnings = new StringWriter();
            var code = FunctionCode.Resolve(Path.Combine(scratch, "missing"), scratch, warnings);
            Assert.True(code.IsPlaceholder);
            Assert.Contains("does not exist", warnings.ToString(), StringComparison.Ordinal);
            var script = Path.Combine(code.Directory, "bootstrap");
            Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute));
            var text = File.ReadAllText(script);
            Assert.StartsWith("#!/bin/sh", text, StringComparison.Ordinal);
            Assert.Contains("exit 1", text, StringComparison.Ordinal);
            Assert.Contains("dotnet publish functions/Auditor.Functions", text, StringComparison.Ordinal);

            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(script) { RedirectStandardError = true })!;
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(1, process.ExitCode);
            Assert.Contains("placeholder bootstrap", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
