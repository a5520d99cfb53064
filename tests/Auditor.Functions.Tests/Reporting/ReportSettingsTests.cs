using Auditor.Core.Reporting;
using Auditor.Functions.Hosting;
using Auditor.Functions.Observability;
using Auditor.Functions.Reporting;
using Auditor.Functions.Runtime;

namespace Auditor.Functions.Tests.Reporting;

public class ReportSettingsTests
{
    private static DictionaryEnvironment Env(params (string, string)[] vars) => new(vars.ToDictionary(v => v.Item1, v => v.Item2));

    [Fact]
    public void Defaults_are_findings_reports_html_and_one_late_day()
    {
        var s = ReportSettings.From(Env(("AUDITOR_FINDINGS_BUCKET", "f")));
        Assert.Equal(new ReportSettings("f", "findings/", "reports/", null, ReportFormat.Html, 1), s);
    }

    [Fact]
    public void Prefixes_are_normalised_and_the_format_and_owner_read()
    {
        var s = ReportSettings.From(Env(("AUDITOR_FINDINGS_BUCKET", "f"), ("AUDITOR_FINDINGS_PREFIX", "audit/findings"), ("AUDITOR_REPORTS_PREFIX", "/audit/reports"),
            ("AUDITOR_REPORT_FORMAT", "CSV"), ("AUDITOR_EXPECTED_BUCKET_OWNER", "111122223333"), ("AUDITOR_REPORT_LATE_DAYS", "0")));
        Assert.Equal(new ReportSettings("f", "audit/findings/", "audit/reports/", "111122223333", ReportFormat.Csv, 0), s);
    }

    [Theory]
    [InlineData("AUDITOR_FINDINGS_BUCKET", "")]
    [InlineData("AUDITOR_EXPECTED_BUCKET_OWNER", "1111")]
    [InlineData("AUDITOR_REPORT_FORMAT", "pdf")]
    [InlineData("AUDITOR_REPORT_LATE_DAYS", "-1")]
    [InlineData("AUDITOR_REPORT_LATE_DAYS", "90")]
    [InlineData("AUDITOR_REPORTS_PREFIX", "findings/dt=reports/")]
    public void Bad_settings_are_init_errors_naming_the_variable(string name, string value)
    {
        var vars = new Dictionary<string, string> { ["AUDITOR_FINDINGS_BUCKET"] = "f", [name] = value };
        var e = Assert.Throws<FunctionException>(() => ReportSettings.From(new DictionaryEnvironment(vars)));
        Assert.Equal("Runtime.InvalidConfiguration", e.ErrorType);
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void The_report_handler_is_built_from_the_environment()
    {
        var handler = HandlerFactory.Create(Env(("_HANDLER", "report"), ("AUDITOR_FINDINGS_BUCKET", "f"), ("AWS_REGION", "us-east-1")), new FunctionLog(Stream.Null));
        Assert.IsType<ReportHandler>(handler);
    }

    [Fact]
    public void Listing_and_reading_carry_the_expected_owner_when_configured()
    {
        using var s3 = new Amazon.S3.AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            Aws.S3.S3ClientFactory.CreateConfig(Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:9")).Get));
        Assert.Equal("111122223333", new Aws.S3.S3FindingsObjectStore(s3, "f", "111122223333").BuildListRequest("findings/dt=2026-11-01/").ExpectedBucketOwner);
        Assert.Null(new Aws.S3.S3FindingsObjectStore(s3, "f", null).BuildListRequest("p").ExpectedBucketOwner);
    }
}
