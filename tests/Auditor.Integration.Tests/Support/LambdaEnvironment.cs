namespace Auditor.Testing;

/// <summary>The shared published binary and s3rver, started once for every process-level test.</summary>
public sealed class LambdaEnvironment : IDisposable
{
    public LambdaEnvironment()
    {
        // s3rver first: when it is missing the suite says so at once instead of after a publish.
        S3 = new S3rverProcess();
        Dynamo = new DynaliteProcess();
        Bootstrap = new BootstrapBinary();
    }

    public S3rverProcess S3 { get; }
    public DynaliteProcess Dynamo { get; }
    public BootstrapBinary Bootstrap { get; }

    /// <summary>The environment Lambda would give an <c>ingest</c> function, pointed at the emulator and s3rver.</summary>
    public Dictionary<string, string> IngestEnvironment(RuntimeApiEmulator api, string findingsBucket, string? stateTable = null) => new()
    {
        ["AWS_LAMBDA_RUNTIME_API"] = api.Address,
        ["_HANDLER"] = "ingest",
        ["AWS_LAMBDA_FUNCTION_NAME"] = "auditor-ingest",
        ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256",
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = S3rverProcess.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = S3rverProcess.SecretKey,
        ["AWS_ENDPOINT_URL_S3"] = S3.Endpoint,
        ["AUDITOR_FINDINGS_BUCKET"] = findingsBucket,
        ["AWS_ENDPOINT_URL_DYNAMODB"] = Dynamo.Endpoint,
        ["AUDITOR_STATE_TABLE"] = stateTable ?? "state-" + findingsBucket,
        ["AUDITOR_CREATE_STATE_TABLE"] = "true",
    };

    public void Dispose()
    {
        Bootstrap.Dispose();
        Dynamo.Dispose();
        S3.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class LambdaCollection : ICollectionFixture<LambdaEnvironment>
{
    public const string Name = "lambda process";
}
