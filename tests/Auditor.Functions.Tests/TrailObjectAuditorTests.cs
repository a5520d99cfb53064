using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Auditor.Core.Trail;
using Auditor.Functions.Ingest;
using Auditor.Testing;

namespace Auditor.Functions.Tests;

public class TrailObjectAuditorTests
{
    private const string TrailBucket = "org-trail";
    // A real Control Tower capture with one KMS Decrypt among its records.
    private const string RealKey = "AWSLogs/650992545562/CloudTrail/us-west-2/2022/01/03/650992545562_CloudTrail_us-west-2_20220103T1915Z_LwA4RXRzImDPnQAL.json.gz";

    private readonly InMemoryObjectSource _source = new();
    private readonly RecordingSink _sink = new();

    private static byte[] RealObject() => File.ReadAllBytes(Path.Combine(RepoPaths.RealTrails, "cribl-controltower-2022", RealKey));

    private TrailObjectAuditor Auditor(Func<IReadOnlyList<KmsEvent>, IReadOnlyList<string>>? engine = null) =>
        new(_source, _sink, "findings/", new DelegateFindingsProducer(engine ?? (_ => [])));

    private static string ExpectedKey(string day, string bucket, string key) =>
        $"findings/dt={day}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bucket + "/" + key)))}.jsonl";

    [Fact]
    public async Task Writes_one_findings_object_named_after_the_source_object_with_the_readers_counts()
    {
        _source.Objects[(TrailBucket, RealKey)] = RealObject();
        IReadOnlyList<KmsEvent>? seen = null;

        var r = await Auditor(events => { seen = events; return ["""{"id":"f1","rule":"key-disabled","severity":"medium"}"""]; })
            .AuditAsync(TrailBucket, RealKey, CancellationToken.None);

        Assert.Null(r.Error);
        using var gz = new GZipStream(new MemoryStream(RealObject()), CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gz);
        var records = doc.RootElement.GetProperty("Records").EnumerateArray().ToList();
        Assert.Equal(records.Count, r.EventsRead);
        Assert.Equal(records.Count(x => x.GetProperty("eventSource").GetString() == "kms.amazonaws.com"), r.KmsEvents);
        Assert.Equal(r.KmsEvents, seen!.Count);
        var key = ExpectedKey("2022-01-03", TrailBucket, RealKey);
        Assert.Equal([key], _sink.Puts);
        Assert.Equal($"s3://findings-bucket/{key}", r.FindingsObject);
        Assert.Equal("{\"id\":\"f1\",\"rule\":\"key-disabled\",\"severity\":\"medium\"}\n", Encoding.UTF8.GetString(_sink.Objects[key]));
        Assert.Equal(new Dictionary<string, int> { ["medium"] = 1 }, r.FindingsBySeverity);
    }

    [Fact]
    public async Task Redelivery_overwrites_the_same_object_instead_of_adding_one()
    {
        _source.Objects[(TrailBucket, RealKey)] = RealObject();
        var auditor = Auditor(_ => ["""{"id":"f1","severity":"high"}"""]);

        await auditor.AuditAsync(TrailBucket, RealKey, CancellationToken.None);
        var first = _sink.Objects.ToDictionary();
        await auditor.AuditAsync(TrailBucket, RealKey, CancellationToken.None);

        Assert.Single(_sink.Objects);
        Assert.Equal(2, _sink.Puts.Count);
        Assert.Equal(first.Single().Value, _sink.Objects.Single().Value);
    }

    [Fact]
    public async Task A_missing_object_fails_with_its_name_and_writes_nothing()
    {
        var r = await Auditor().AuditAsync(TrailBucket, "AWSLogs/1/CloudTrail/us-east-1/2024/01/01/gone.json.gz", CancellationToken.None);
        Assert.Contains("s3://org-trail/AWSLogs/1/CloudTrail/us-east-1/2024/01/01/gone.json.gz", r.Error);
        Assert.Contains("NoSuchKey", r.Error);
        Assert.Empty(_sink.Puts);
    }

    [Fact]
    public async Task A_truncated_object_fails_after_writing_the_findings_of_what_was_read()
    {
        var bytes = RealObject();
        _source.Objects[(TrailBucket, RealKey)] = bytes[..(bytes.Length / 2)];

        var r = await Auditor().AuditAsync(TrailBucket, RealKey, CancellationToken.None);

        Assert.NotNull(r.Error);
        Assert.StartsWith($"s3://{TrailBucket}/{RealKey}: ", r.Error);
        Assert.Single(_sink.Puts);
    }

    [Fact]
    public async Task A_digest_file_is_skipped_without_failing()
    {
        const string key = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/01/111122223333_CloudTrail-Digest_us-east-1_x_20240101T000000Z.json.gz";
        _source.Objects[(TrailBucket, key)] = Encoding.UTF8.GetBytes("""{"awsAccountId":"111122223333","digestStartTime":"2024-01-01T00:00:00Z","logFiles":[]}""");

        var r = await Auditor().AuditAsync(TrailBucket, key, CancellationToken.None);

        Assert.Null(r.Error);
        Assert.Equal("CloudTrail digest file", r.Skipped);
        Assert.Empty(_sink.Puts);
    }

    [Fact]
    public async Task An_engine_fault_fails_that_object_only()
    {
        _source.Objects[(TrailBucket, RealKey)] = RealObject();
        var r = await Auditor(_ => throw new InvalidOperationException("engine bug")).AuditAsync(TrailBucket, RealKey, CancellationToken.None);
        Assert.Contains("engine bug", r.Error);
    }

    [Theory]
    [InlineData("{\"id\":1}\n{\"id\":2}")]
    [InlineData("not json")]
    [InlineData("[1]")]
    public void Findings_that_are_not_one_json_object_per_line_are_refused(string finding) =>
        Assert.Throws<InvalidOperationException>(() => TrailObjectAuditor.ToJsonLines([finding]));

    [Theory]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1/2024/02/29/x.json.gz", "2024-02-29")]
    [InlineData("prefix/AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2023/12/31/x.json.gz", "2023-12-31")]
    [InlineData("copied/x.json.gz", "2021-06-07")]
    public void Partition_date_comes_from_the_cloudtrail_path_else_the_first_event(string key, string day) =>
        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture),
            FindingsObjectKey.PartitionDate(key, new DateTimeOffset(2021, 6, 7, 23, 59, 0, TimeSpan.Zero), new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Partition_date_falls_back_to_the_objects_last_modified_day() =>
        Assert.Equal(new DateOnly(2020, 1, 1), FindingsObjectKey.PartitionDate("x.json", null, new DateTimeOffset(2020, 1, 1, 5, 0, 0, TimeSpan.Zero)));

    [Theory]
    [InlineData("findings", "findings/")]
    [InlineData("findings/", "findings/")]
    [InlineData("/a/b", "a/b/")]
    [InlineData("", "")]
    public void Prefix_is_normalised_to_end_with_one_slash(string prefix, string normalised) =>
        Assert.Equal(normalised, FindingsObjectKey.NormalizePrefix(prefix));

    [Fact]
    public void Different_source_objects_never_share_a_findings_object()
    {
        var day = new DateOnly(2024, 1, 1);
        // Bucket names cannot contain '/', so "bucket/key" identifies one object.
        Assert.NotEqual(FindingsObjectKey.For("f/", "bucket1", "k/1", day), FindingsObjectKey.For("f/", "bucket1", "k/2", day));
        Assert.NotEqual(FindingsObjectKey.For("f/", "bucket1", "k", day), FindingsObjectKey.For("f/", "bucket2", "k", day));
    }
}
