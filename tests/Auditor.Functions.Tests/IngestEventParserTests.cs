using System.Net;
using System.Text;
using Auditor.Functions.Ingest;
using Auditor.Testing;
using FsCheck;
using FsCheck.Xunit;

namespace Auditor.Functions.Tests;

public class IngestEventParserTests
{
    private static string Envelopes => Path.Combine(RepoPaths.RealTrails, "event-envelopes");

    /// <summary>
    /// What ingest must make of every documented envelope in ../shared/real-trails/event-envelopes, summarised as
    /// "Kind objects=[bucket/key,...] ignored=N", one "item" per SQS message, or "error" when the whole event must be refused.
    /// </summary>
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["aws-lambda-dotnet/cloudwatchevents-s3objectcreated.json"] = "EventBridge [objects=DOC-EXAMPLE-BUCKET1/example-key ignored=0]",
        ["aws-lambda-dotnet/cloudwatchevents-s3objectdeleted.json"] = "EventBridge [objects= ignored=1]",
        ["aws-lambda-dotnet/cloudwatchevents-s3objectrestore.json"] = "EventBridge [objects= ignored=1]",
        ["aws-lambda-dotnet/s3-event.json"] = "S3Notification [objects=sourcebucket/HappyFace.jpg,sourcebucket/New File.jpg ignored=0]",
        ["aws-s3-docs/UsingKMSEncryption_1.json.invalid"] = "error",
        ["aws-s3-docs/UsingKMSEncryption_2.json.invalid"] = "error",
        ["aws-s3-docs/_index.json"] = "error",
        ["aws-s3-docs/batch-ops-examples-event-bridge-cloud-trail_1.json"] = "error",
        ["aws-s3-docs/batch-ops-examples-event-bridge-cloud-trail_2.json"] = "error",
        ["aws-s3-docs/batch-ops-examples-event-bridge-cloud-trail_3.json"] = "EventBridge [objects= ignored=1]",
        ["aws-s3-docs/batch-ops-examples-event-bridge-cloud-trail_4.json"] = "EventBridge [objects= ignored=1]",
        ["aws-s3-docs/cloudtrail-logging-understanding-s3-entries_1.json"] = "error",
        ["aws-s3-docs/cloudtrail-logging-understanding-s3-entries_2.json"] = "error",
        ["aws-s3-docs/ev-events_1.json"] = "EventBridge [objects=DOC-EXAMPLE-BUCKET1/example-key ignored=0]",
        ["aws-s3-docs/ev-events_2.json"] = "EventBridge [objects= ignored=1]",
        ["aws-s3-docs/ev-events_3.json"] = "EventBridge [objects= ignored=1]",
        ["aws-s3-docs/ev-events_4.json"] = "EventBridge [objects= ignored=1]",
        ["aws-s3-docs/notification-content-structure_1.json"] = "S3Notification [objects= ignored=1]",
        ["aws-s3-docs/notification-content-structure_2.cleaned.json"] = "TestEvent [objects= ignored=1]",
        ["aws-s3-docs/notification-content-structure_2.json.invalid"] = "error",
        ["aws-s3-docs/notification-content-structure_3.cleaned.json"] = "S3Notification [objects=mybucket/HappyFace.jpg ignored=0]",
        ["aws-s3-docs/notification-content-structure_3.json.invalid"] = "error",
        ["boogy-cloudtrail-rs/eventbridge-object-annotation-created.json"] = "EventBridge [objects= ignored=1]",
        ["boogy-cloudtrail-rs/eventbridge-object-created-plus-key.json"] = "EventBridge [objects=ct-siem-sync/my+file.json.gz ignored=0]",
        ["boogy-cloudtrail-rs/eventbridge-object-created-unsupported-version.json"] = "EventBridge [objects=amzn-s3-demo-bucket1/example-key ignored=0]",
        ["boogy-cloudtrail-rs/eventbridge-object-created.json"] = "EventBridge [objects=amzn-s3-demo-bucket1/example-key ignored=0]",
        ["boogy-cloudtrail-rs/eventbridge-object-deleted.json"] = "EventBridge [objects= ignored=1]",
        ["boogy-cloudtrail-rs/eventbridge-object-restore-completed.json"] = "EventBridge [objects= ignored=1]",
        ["boogy-cloudtrail-rs/s3-event-object-created.json"] = "S3Notification [objects=lambda-artifacts-deafc19498e3f2df/b21b84d653bb07b05b1e6b33684dc11b ignored=0]",
        ["boogy-cloudtrail-rs/s3-event-urlencoded-key.json"] = "S3Notification [objects=ct-siem-sync/my file=a.json.gz ignored=0]",
        ["boogy-cloudtrail-rs/s3-test-event.json"] = "TestEvent [objects= ignored=1]",
        ["boogy-cloudtrail-rs/sns-s3-event.json"] = "SnsNotification [objects=lambda-artifacts-deafc19498e3f2df/b21b84d653bb07b05b1e6b33684dc11b ignored=0]",
        ["boogy-cloudtrail-rs/sns-s3-test-event.json"] = "SnsNotification [objects= ignored=1]",
        ["boogy-cloudtrail-rs/sqs-batch-partial-garbage.json"] =
            "SqsBatch [059f36b4-87a3-44ab-83d2-661975830a7d: objects=lambda-artifacts-deafc19498e3f2df/b21b84d653bb07b05b1e6b33684dc11b ignored=0]"
            + " [bad00000-0000-0000-0000-000000000002: error]"
            + " [2e1424d4-f796-459a-8184-9c92662be6da: objects=ct-siem-sync/second-sibling-object.json.gz ignored=0]",
        ["boogy-cloudtrail-rs/sqs-s3-event.json"] = "SqsBatch [059f36b4-87a3-44ab-83d2-661975830a7d: objects=lambda-artifacts-deafc19498e3f2df/b21b84d653bb07b05b1e6b33684dc11b ignored=0]",
        ["boogy-cloudtrail-rs/sqs-sns-event.json"] = "SqsBatch [2e1424d4-f796-459a-8184-9c92662be6da: objects=lambda-artifacts-deafc19498e3f2df/b21b84d653bb07b05b1e6b33684dc11b ignored=0]",
    };

    public static TheoryData<string> EnvelopeFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Envelopes, "*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".json.invalid", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Envelopes, f).Replace('\\', '/'));
        return data;
    }

    [Theory]
    [MemberData(nameof(EnvelopeFiles))]
    public void Every_documented_envelope_is_parsed_as_expected(string file)
    {
        Assert.True(Expected.TryGetValue(file, out var expected), $"no expectation written for {file}: add one");
        Assert.Equal(expected, Summarise(File.ReadAllBytes(Path.Combine(Envelopes, file))));
    }

    [Fact]
    public void Every_expectation_names_a_file_that_exists()
    {
        foreach (var file in Expected.Keys) Assert.True(File.Exists(Path.Combine(Envelopes, file)), file);
    }

    [Theory]
    [InlineData("New+File.jpg", "New File.jpg")]
    [InlineData("my+file%3Da.json.gz", "my file=a.json.gz")]
    [InlineData("c%2B%2B+notes.txt", "c++ notes.txt")]
    [InlineData("AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02/x.json.gz", "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02/x.json.gz")]
    [InlineData("r%C3%A9sum%C3%A9.json", "résumé.json")]
    public void Notification_keys_are_url_decoded_with_plus_as_space(string encoded, string key) =>
        Assert.Equal(key, S3KeyDecoder.DecodeNotificationKey(encoded));

    [Property]
    public bool Decoding_inverts_the_form_encoding_S3_applies(NonNull<string> key)
    {
        // S3 encodes keys form-style (space as '+'); whatever the key, decoding the encoded form gives it back.
        var k = key.Get;
        if (!IsWellFormedUtf16(k)) return true; // S3 keys are UTF-8: lone surrogates cannot occur
        return S3KeyDecoder.DecodeNotificationKey(WebUtility.UrlEncode(k)) == k;
    }

    [Fact]
    public void S3_notification_for_a_key_with_spaces_asks_for_the_stored_key()
    {
        var json = """{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"trail"},"object":{"key":"AWSLogs/1/CloudTrail/eu-west-1/2024/05/06/a+b%2Bc.json.gz"}}}]}""";
        var item = Assert.Single(IngestEventParser.Parse(Encoding.UTF8.GetBytes(json)).Items);
        Assert.Equal(new S3ObjectRef("trail", "AWSLogs/1/CloudTrail/eu-west-1/2024/05/06/a b+c.json.gz"), Assert.Single(item.Objects));
    }

    [Fact]
    public void Object_removed_notifications_are_ignored_not_audited()
    {
        var json = """{"Records":[{"eventSource":"aws:s3","eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"trail"},"object":{"key":"k"}}}]}""";
        var item = Assert.Single(IngestEventParser.Parse(Encoding.UTF8.GetBytes(json)).Items);
        Assert.Empty(item.Objects);
        Assert.Contains("ObjectRemoved:Delete", Assert.Single(item.Ignored));
    }

    [Fact]
    public void An_sqs_message_with_an_empty_body_fails_alone()
    {
        var json = """{"Records":[{"eventSource":"aws:sqs","messageId":"m1","body":""},{"eventSource":"aws:sqs","messageId":"m2","body":"{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}"}]}""";
        var request = IngestEventParser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(IngestEventKind.SqsBatch, request.Kind);
        Assert.NotNull(request.Items[0].Error);
        Assert.Null(request.Items[1].Error);
    }

    [Fact]
    public void A_message_nested_beyond_the_bound_is_refused()
    {
        string message = """{"Service":"Amazon S3","Event":"s3:TestEvent"}""";
        for (int i = 0; i < 6; i++)
            message = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["Type"] = "Notification", ["Message"] = message }, DictionaryContext.Default.DictionaryStringString);
        var item = IngestEventParser.ParseSqsMessage("m", message);
        Assert.Contains("nested", item.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("{\"Records\":[]}")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"}}}]}")]
    public void Events_that_are_not_ingest_events_are_refused_with_a_reason(string json)
    {
        var e = Assert.Throws<IngestEventException>(() => IngestEventParser.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    private static string Summarise(byte[] payload)
    {
        IngestRequest request;
        try
        {
            request = IngestEventParser.Parse(payload);
        }
        catch (IngestEventException)
        {
            return "error";
        }
        var items = request.Items.Select(i =>
        {
            var id = i.ItemIdentifier is null ? "" : i.ItemIdentifier + ": ";
            return i.Error is not null ? $"[{id}error]" : $"[{id}objects={string.Join(",", i.Objects.Select(o => o.Bucket + "/" + o.Key))} ignored={i.Ignored.Count}]";
        });
        return $"{request.Kind} {string.Join(" ", items)}";
    }

    private static bool IsWellFormedUtf16(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(s[i])) return false;
        }
        return true;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class DictionaryContext : System.Text.Json.Serialization.JsonSerializerContext;
