using Auditor.Aws.S3;
using Auditor.Functions.Hosting;
using Auditor.Functions.Observability;
using Auditor.Functions.Runtime;

namespace Auditor.Functions.Reporting;

/// <summary>Composes the <c>report</c> handler from the environment (called by <see cref="HandlerFactory"/>).</summary>
public static class ReportFunction
{
    /// <summary>The handler, with its S3 client, reader, writer and metrics.</summary>
    /// <exception cref="FunctionException">The configuration is invalid (<c>Runtime.InvalidConfiguration</c>).</exception>
    public static ReportHandler Create(IEnvironment env, FunctionLog log)
    {
        var settings = ReportSettings.From(env);
        Amazon.S3.AmazonS3Client s3;
        try
        {
            s3 = S3ClientFactory.Create(env.Get);
        }
        catch (ArgumentException e)
        {
            throw new FunctionException("Runtime.InvalidConfiguration", e.Message, e);
        }
        var store = new S3FindingsObjectStore(s3, settings.FindingsBucket, settings.ExpectedBucketOwner);
        var sink = new S3FindingsSink(s3, settings.FindingsBucket, settings.ExpectedBucketOwner);
        var metrics = new ReportMetrics(log, env.Get("AUDITOR_METRICS_NAMESPACE") ?? "KmsTrailAuditor", env.Get("AWS_LAMBDA_FUNCTION_NAME") ?? "report");
        log.Info("report configured", ("findings", $"s3://{settings.FindingsBucket}/{settings.FindingsPrefix}"),
            ("reports", $"s3://{settings.FindingsBucket}/{settings.ReportsPrefix}"), ("defaultFormat", ReportObjectKey.Extension(settings.DefaultFormat)),
            ("lateDays", settings.LateDays), ("expectedBucketOwner", settings.ExpectedBucketOwner is not null));
        return new ReportHandler(new FindingsCollector(store, settings.FindingsPrefix, settings.LateDays), sink, settings, log, metrics);
    }
}
