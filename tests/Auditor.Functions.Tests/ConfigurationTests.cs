using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Auditor.Aws.S3;
using Auditor.Functions.Hosting;
using Auditor.Functions.Ingest;
using Auditor.Functions.Observability;
using Auditor.Functions.Runtime;
using Auditor.Testing;

namespace Auditor.Functions.Tests;

public class ConfigurationTests
{
    private static DictionaryEnvironment Env(params (string, string)[] vars) => new(vars.ToDictionary(v => v.Item1, v => v.Item2));

    [Fact]
    public void S3_endpoint_override_selects_path_style_and_checksums_only_when_required()
    {
        var config = S3ClientFactory.CreateConfig(Env(("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:4569"), ("AWS_REGION", "eu-west-3")).Get);
        Assert.True(config.ForcePathStyle);
        Assert.Equal("http://127.0.0.1:4569/", config.ServiceURL);
        Assert.Equal("eu-west-3", config.AuthenticationRegion);
        Assert.Equal(RequestChecksumCalculation.WHEN_REQUIRED, config.RequestChecksumCalculation);
        Assert.Equal(ResponseChecksumValidation.WHEN_REQUIRED, config.ResponseChecksumValidation);
    }

    [Fact]
    public void The_s3_specific_endpoint_wins_over_the_general_one()
    {
        var config = S3ClientFactory.CreateConfig(Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:1"), ("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:2")).Get);
        Assert.Equal("http://127.0.0.1:2/", config.ServiceURL);
    }

    [Fact]
    public void Without_an_override_the_region_endpoint_is_used_virtual_hosted()
    {
        var config = S3ClientFactory.CreateConfig(Env(("AWS_REGION", "eu-central-1")).Get);
        Assert.False(config.ForcePathStyle);
        Assert.Equal("eu-central-1", config.RegionEndpoint.SystemName);
    }

    [Fact]
    public void Findings_puts_are_plain_bodies_and_carry_the_expected_owner_when_configured()
    {
        using var s3 = new Amazon.S3.AmazonS3Client(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), S3ClientFactory.CreateConfig(Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:9")).Get));
        using var body = new MemoryStream();
        var owned = new S3FindingsSink(s3, "findings", "111122223333").BuildRequest("findings/dt=2024-01-01/x.jsonl", body, "application/x-ndjson");
        var unowned = new S3FindingsSink(s3, "findings", null).BuildRequest("k", body, "application/x-ndjson");

        Assert.Equal("111122223333", owned.ExpectedBucketOwner);
        Assert.False(owned.UseChunkEncoding);
        Assert.Equal("findings", owned.BucketName);
        Assert.Null(unowned.ExpectedBucketOwner);
    }

    [Fact]
    public void Ingest_settings_default_the_prefix_and_require_the_bucket()
    {
        var s = IngestSettings.From(Env(("AUDITOR_FINDINGS_BUCKET", "f"), ("AUDITOR_STATE_TABLE", "state")));
        Assert.Equal("findings/", s.FindingsPrefix);
        Assert.Null(s.ExpectedBucketOwner);
        Assert.Equal("state", s.StateTable);
        Assert.False(s.CreateStateTable);
        var e = Assert.Throws<FunctionException>(() => IngestSettings.From(Env()));
        Assert.Equal("Runtime.InvalidConfiguration", e.ErrorType);
        Assert.Contains("AUDITOR_FINDINGS_BUCKET", e.Message);
    }

    [Fact]
    public void Ingest_settings_require_the_state_table()
    {
        var e = Assert.Throws<FunctionException>(() => IngestSettings.From(Env(("AUDITOR_FINDINGS_BUCKET", "f"))));
        Assert.Equal("Runtime.InvalidConfiguration", e.ErrorType);
        Assert.Contains("AUDITOR_STATE_TABLE", e.Message);
    }

    [Theory]
    [InlineData("AUDITOR_CREATE_STATE_TABLE", "yes")]
    [InlineData("AUDITOR_EXPECTED_BUCKET_OWNER", "12345")]
    [InlineData("AUDITOR_EXPECTED_BUCKET_OWNER", "arn:aws:iam::111122223333:root")]
    [InlineData("AUDITOR_INGEST_PARALLELISM", "0")]
    [InlineData("AUDITOR_INGEST_PARALLELISM", "many")]
    public void Bad_settings_are_init_errors_naming_the_variable(string name, string value)
    {
        var e = Assert.Throws<FunctionException>(() => IngestSettings.From(Env(("AUDITOR_FINDINGS_BUCKET", "f"), ("AUDITOR_STATE_TABLE", "state"), (name, value))));
        Assert.Contains(name, e.Message);
    }

    [Theory]
    [InlineData(null, "Runtime.NoHandler")]
    [InlineData("ingest.Handler", "Runtime.UnknownHandler")]
    [InlineData("snapshot", "Runtime.InvalidConfiguration")]
    public void Handler_selection_refuses_what_this_build_cannot_serve(string? handler, string errorType)
    {
        var vars = handler is null ? Env() : Env(("_HANDLER", handler));
        var e = Assert.Throws<FunctionException>(() => HandlerFactory.Create(vars, new FunctionLog(Stream.Null)));
        Assert.Equal(errorType, e.ErrorType);
    }

    [Fact]
    public void Ingest_handler_is_built_from_the_environment()
    {
        var handler = HandlerFactory.Create(Env(("_HANDLER", "ingest"), ("AUDITOR_FINDINGS_BUCKET", "f"), ("AUDITOR_STATE_TABLE", "state"), ("AWS_REGION", "us-east-1")), new FunctionLog(Stream.Null));
        Assert.IsType<IngestHandler>(handler);
    }

    [Theory]
    [InlineData("128", 128UL * 1024 * 1024 * 8 / 10)]
    [InlineData("10240", 10240UL * 1024 * 1024 * 8 / 10)]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("lots", null)]
    [InlineData("0", null)]
    public void Heap_limit_is_a_share_of_the_function_memory(string? memoryMb, ulong? limit) =>
        Assert.Equal(limit, GcHeapLimit.ForMemorySize(memoryMb));

    [Fact]
    public void An_owner_set_heap_limit_is_left_alone() => Assert.Null(GcHeapLimit.Apply("512", ownerSetLimit: true));

    [Fact]
    public async Task An_unknown_handler_is_reported_to_init_error_and_the_process_exits()
    {
        using var api = new RuntimeApiEmulator();
        var stdout = new MemoryStream();
        var code = await FunctionHost.RunAsync(Env(("AWS_LAMBDA_RUNTIME_API", api.Address), ("_HANDLER", "nope")), stdout, CancellationToken.None);

        Assert.Equal(1, code);
        var init = await api.InitError.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Runtime.UnknownHandler", init.ErrorTypeHeader);
        using var body = JsonDocument.Parse(init.Body);
        Assert.Contains("nope", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Contains("init failed", Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Fact]
    public async Task Without_a_runtime_api_the_host_explains_and_exits()
    {
        var stdout = new MemoryStream();
        Assert.Equal(2, await FunctionHost.RunAsync(Env(("_HANDLER", "ingest")), stdout, CancellationToken.None));
        Assert.Contains("AWS_LAMBDA_RUNTIME_API is not set", Encoding.UTF8.GetString(stdout.ToArray()));
    }
}
