using System.IO.Compression;
using System.Text;
using Auditor.Core.Trail;

namespace Auditor.Core.Tests.Trail;

public class TrailReaderTests
{
    private const string KmsRecord = """{"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventID":"e1","eventTime":"2024-01-01T00:00:00Z","eventName":"Decrypt","awsRegion":"us-east-1","readOnly":"true","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/App/s","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/path/App"},"attributes":{"mfaAuthenticated":"false"}}},"requestParameters":{"keyId":"alias/app","encryptionContext":{"k":"v","n":1}},"resources":[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/k1","accountId":"111122223333","type":"AWS::KMS::Key"}]}""";
    private const string S3Record = """{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventID":"s1","eventTime":"2024-01-01T00:00:00Z","eventName":"GetObject","requestParameters":{"note":"kms.amazonaws.com appears only in a value"}}""";

    private static (TrailReadResult Result, List<KmsEvent> Events) Read(byte[] bytes, TrailReaderLimits? limits = null)
    {
        var events = new List<KmsEvent>();
        var result = new TrailReader(limits).Read(new MemoryStream(bytes), "test.json", events.Add);
        return (result, events);
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    [Fact]
    public void Counts_every_record_and_materialises_only_kms_ones()
    {
        var (r, events) = Read(Utf8($$"""{"Records":[{{S3Record}},{{KmsRecord}},{{S3Record}}]}"""));
        Assert.Null(r.Error);
        Assert.Equal(TrailFileKind.Log, r.Kind);
        Assert.Equal(3, r.RecordsRead);
        Assert.Equal(1, r.KmsRecords);
        var e = Assert.Single(events);
        Assert.Equal("e1", e.EventId);
        Assert.True(e.ReadOnly); // written as a string in real captures
        Assert.Equal("arn:aws:iam::111122223333:role/path/App", e.UserIdentity.SessionIssuer?.Arn);
        Assert.False(e.UserIdentity.MfaAuthenticated);
        Assert.Equal("1", e.Request.EncryptionContext!["n"]);
        Assert.Equal("alias/app", e.Request.KeyId);
    }

    [Fact]
    public void Detects_gzip_by_magic_bytes_whatever_the_name()
    {
        var (r, events) = Read(Gzip(Utf8($$"""{"Records":[{{KmsRecord}}]}""")));
        Assert.Null(r.Error);
        Assert.Single(events);
    }

    [Fact]
    public void Reads_records_larger_than_the_initial_buffer_across_refills()
    {
        var big = new string('x', 300_000);
        var json = $$"""{"Records":[{"eventSource":"ec2.amazonaws.com","pad":"{{big}}"},{{KmsRecord}}]}""";
        var (r, events) = Read(Gzip(Utf8(json)));
        Assert.Null(r.Error);
        Assert.Equal(2, r.RecordsRead);
        Assert.Single(events);
    }

    [Fact]
    public void Many_records_stream_through_without_error()
    {
        var sb = new StringBuilder("{\"Records\":[");
        for (int i = 0; i < 20_000; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(i % 10 == 0 ? KmsRecord.Replace("\"e1\"", $"\"e{i}\"") : S3Record);
        }
        sb.Append("]}");
        var (r, events) = Read(Gzip(Utf8(sb.ToString())));
        Assert.Null(r.Error);
        Assert.Equal(20_000, r.RecordsRead);
        Assert.Equal(2_000, events.Count);
    }

    [Fact]
    public void Truncated_gzip_is_an_error_and_keeps_the_records_before_it()
    {
        var sb = new StringBuilder("{\"Records\":[");
        for (int i = 0; i < 2000; i++) sb.Append(i > 0 ? "," : "").Append(KmsRecord.Replace("\"e1\"", $"\"e{i}\""));
        sb.Append("]}");
        var gz = Gzip(Utf8(sb.ToString()));
        var (r, events) = Read(gz[..(gz.Length / 2)]);
        Assert.NotNull(r.Error);
        Assert.NotEmpty(events);
        Assert.True(events.Count < 2000);
    }

    [Fact]
    public void Truncated_json_names_the_problem()
    {
        var (r, _) = Read(Utf8($$"""{"Records":[{{KmsRecord}},{"eventSource":"kms.amaz"""));
        Assert.NotNull(r.Error);
        Assert.Contains("truncated", r.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"Records\": 5}", "not an array")]
    [InlineData("{\"Records\":[{\"a\":1,}]}", "invalid JSON")]
    public void Bad_input_is_reported_with_its_reason(string content, string expected)
    {
        var (r, _) = Read(Utf8(content));
        Assert.NotNull(r.Error);
        Assert.Contains(expected, r.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_bare_documentation_record_is_one_record()
    {
        var (r, events) = Read(Utf8(KmsRecord));
        Assert.Null(r.Error);
        Assert.Equal(TrailFileKind.Log, r.Kind);
        Assert.Equal(1, r.RecordsRead);
        Assert.Single(events);
    }

    [Fact]
    public void Digest_files_are_classified_not_read()
    {
        var (r, events) = Read(Utf8("""{"awsAccountId":"111122223333","digestStartTime":"2024-01-01T00:00:00Z","logFiles":[]}"""));
        Assert.Null(r.Error);
        Assert.Equal(TrailFileKind.Digest, r.Kind);
        Assert.Empty(events);
    }

    [Fact]
    public void Other_json_is_not_cloudtrail()
    {
        var (r, _) = Read(Utf8("""{"Keys":[],"capturedAt":"2024-01-01T00:00:00Z"}"""));
        Assert.Null(r.Error);
        Assert.Equal(TrailFileKind.NotCloudTrail, r.Kind);
        Assert.Equal(0, r.RecordsRead);
    }

    [Fact]
    public void A_decompression_bomb_stops_at_the_limit()
    {
        var zeros = new byte[8 * 1024 * 1024];
        var json = Utf8("{\"Records\":[{\"pad\":\"").Concat(zeros.Select(_ => (byte)'a')).Concat(Utf8("\"}]}")).ToArray();
        var (r, _) = Read(Gzip(json), new TrailReaderLimits { MaxDecompressedBytes = 1024 * 1024 });
        Assert.NotNull(r.Error);
        Assert.Contains("decompressed size exceeds", r.Error);
        Assert.True(r.BytesRead <= 1024 * 1024 + 128 * 1024);
    }

    [Fact]
    public void An_oversized_record_is_refused()
    {
        var json = $$"""{"Records":[{"pad":"{{new string('a', 200_000)}}"}]}""";
        var (r, _) = Read(Utf8(json), new TrailReaderLimits { MaxRecordBytes = 100_000 });
        Assert.NotNull(r.Error);
        Assert.Contains("larger than the limit", r.Error);
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var json = "{\"Records\":[" + new string('[', 200) + new string(']', 200) + "]}";
        var (r, _) = Read(Utf8(json));
        Assert.NotNull(r.Error);
    }

    [Fact]
    public void A_kms_record_without_event_time_is_a_record_error_and_the_rest_continues()
    {
        var bad = KmsRecord.Replace("\"eventTime\":\"2024-01-01T00:00:00Z\",", "");
        var ok = KmsRecord.Replace("\"e1\"", "\"e2\"");
        var (r, events) = Read(Utf8($$"""{"Records":[{{bad}},{{ok}}]}"""));
        Assert.Null(r.Error);
        var err = Assert.Single(r.RecordErrors);
        Assert.Equal(0, err.RecordIndex);
        Assert.Contains("eventTime", err.Reason);
        Assert.Equal("e2", Assert.Single(events).EventId);
    }

    [Fact]
    public void A_value_mentioning_kms_does_not_make_a_record_kms()
    {
        var (r, events) = Read(Utf8($$"""{"Records":[{{S3Record}}]}"""));
        Assert.Equal(0, r.KmsRecords);
        Assert.Empty(events);
    }
}
