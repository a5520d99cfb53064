using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace Auditor.Infra;

/// <summary>What distinguishes one of the three functions built from the same <c>bootstrap</c>.</summary>
/// <param name="Handler">The <c>_HANDLER</c> value: <c>ingest</c>, <c>snapshot</c> or <c>report</c>.</param>
/// <param name="Timeout">Function timeout.</param>
/// <param name="MemoryMiB">Memory, which also sets the CPU share and the GC heap cap.</param>
/// <param name="Environment">Variables beyond the ones every function gets.</param>
public sealed record AuditorFunctionOptions(
    string Handler, Duration Timeout, int MemoryMiB, IReadOnlyDictionary<string, string> Environment);

/// <summary>
/// One Lambda function on <c>provided.al2023</c>/arm64 with its own role and log group. The role starts empty: no
/// AWS-managed policy (AWSLambdaBasicExecutionRole allows log writes on every log group), only statements written here
/// and by the caller.
/// </summary>
public sealed class AuditorFunction : Construct
{
    /// <summary>Log retention: long enough to investigate a missed finding, short enough not to keep secrets around.</summary>
    public static readonly RetentionDays LogRetention = RetentionDays.THREE_MONTHS;

    /// <summary>Creates the function.</summary>
    public AuditorFunction(Construct scope, string id, AuditorFunctionOptions options, Code code)
        : base(scope, id)
    {
        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            Retention = LogRetention,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = $"KMS Trail Auditor '{options.Handler}' function: least privilege, hand-written statements only.",
        });

        // The log group exists (created above), so CreateLogGroup is not needed; the stream and events only in it.
        Role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "WriteOwnLogs",
            Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resources = [LogGroup.LogGroupArn],
        }));

        Function = new Function(this, "Function", new FunctionProps
        {
            Runtime = Runtime.PROVIDED_AL2023,
            Architecture = Architecture.ARM_64,
            Handler = options.Handler,
            Code = code,
            Role = Role,
            LogGroup = LogGroup,
            Timeout = options.Timeout,
            MemorySize = options.MemoryMiB,
            Environment = new Dictionary<string, string>(options.Environment),
            Description = $"KMS Trail Auditor: {options.Handler}",
        });
        // The policy must be in place before the function can be wired to event sources that test it on creation.
        Function.Node.AddDependency(Role);
    }

    /// <summary>The function.</summary>
    public Function Function { get; }

    /// <summary>Its execution role; callers add exactly the statements it needs.</summary>
    public Role Role { get; }

    /// <summary>Its log group.</summary>
    public LogGroup LogGroup { get; }
}
