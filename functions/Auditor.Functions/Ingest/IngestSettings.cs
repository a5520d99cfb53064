using System.Globalization;
using Auditor.Functions.Hosting;
using Auditor.Functions.Runtime;

namespace Auditor.Functions.Ingest;

/// <summary>
/// <c>ingest</c>'s configuration, from the environment only (CONTRACT section 7): <c>AUDITOR_FINDINGS_BUCKET</c>
/// (required), <c>AUDITOR_FINDINGS_PREFIX</c> (default <c>findings/</c>), <c>AUDITOR_EXPECTED_BUCKET_OWNER</c> (the
/// account id that must own the findings bucket), <c>AUDITOR_INGEST_PARALLELISM</c> (objects audited at once),
/// <c>AUDITOR_STATE_TABLE</c> (required: the DynamoDB table of correlation state) and <c>AUDITOR_CREATE_STATE_TABLE</c>
/// (<c>true</c>: create it when missing, for local runs).
/// </summary>
public sealed record IngestSettings(string FindingsBucket, string FindingsPrefix, string? ExpectedBucketOwner, int Parallelism)
{
    /// <summary>The DynamoDB table holding the state shared across invocations.</summary>
    public string StateTable { get; init; } = "";

    /// <summary>Create <see cref="StateTable"/> when missing (local runs).</summary>
    public bool CreateStateTable { get; init; }

    /// <summary>Reads and checks the variables; a bad value is an init error naming the variable.</summary>
    public static IngestSettings From(IEnvironment env)
    {
        var bucket = env.Get("AUDITOR_FINDINGS_BUCKET")
            ?? throw Invalid("AUDITOR_FINDINGS_BUCKET is not set: ingest needs the bucket findings are written to");
        var owner = env.Get("AUDITOR_EXPECTED_BUCKET_OWNER");
        if (owner is not null && (owner.Length != 12 || !owner.All(char.IsAsciiDigit)))
            throw Invalid($"AUDITOR_EXPECTED_BUCKET_OWNER must be a 12-digit AWS account id, got '{owner}'");
        int parallelism = Math.Max(2, Environment.ProcessorCount);
        if (env.Get("AUDITOR_INGEST_PARALLELISM") is { } p)
        {
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out parallelism) || parallelism is < 1 or > 64)
                throw Invalid($"AUDITOR_INGEST_PARALLELISM must be a whole number from 1 to 64, got '{p}'");
        }
        var table = env.Get("AUDITOR_STATE_TABLE")
            ?? throw Invalid("AUDITOR_STATE_TABLE is not set: ingest keeps policies, grants and recent calls across invocations in that DynamoDB table");
        return new IngestSettings(bucket, Ingest.FindingsObjectKey.NormalizePrefix(env.Get("AUDITOR_FINDINGS_PREFIX") ?? "findings/"), owner, parallelism)
        {
            StateTable = table,
            CreateStateTable = CreateTableFlag(env),
        };
    }

    /// <summary><c>AUDITOR_CREATE_STATE_TABLE</c>: <c>true</c> or <c>false</c> (default).</summary>
    public static bool CreateTableFlag(IEnvironment env) => env.Get("AUDITOR_CREATE_STATE_TABLE") switch
    {
        null => false,
        var v when v.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        var v when v.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        var v => throw Invalid($"AUDITOR_CREATE_STATE_TABLE must be true or false, got '{v}'"),
    };

    internal static FunctionException Invalid(string message) => new("Runtime.InvalidConfiguration", message);
}
