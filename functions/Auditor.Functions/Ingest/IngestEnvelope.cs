using System.Text.Json.Serialization;

namespace Auditor.Functions.Ingest;

// The shapes `ingest` is invoked with, modelled from their documentation (S3 "Event message structure",
// Lambda "Using Lambda with Amazon SQS" / "with Amazon SNS", S3 "Using EventBridge"). One permissive top-level
// type covers them all because the envelope kind is only known after reading it; unknown fields are ignored.
// Fields whose documented examples use placeholder text of the wrong type (object size) are deliberately not
// modelled: the function never needs them.

/// <summary>Any event <c>ingest</c> may receive: an S3 notification, an SQS or SNS batch, an SNS message body, an EventBridge event or <c>s3:TestEvent</c>.</summary>
public sealed class IngestEnvelope
{
    /// <summary>S3 notification records, SQS messages or SNS deliveries.</summary>
    public List<EnvelopeRecord>? Records { get; set; }

    /// <summary><c>s3:TestEvent</c> on the message S3 sends when a notification is configured.</summary>
    public string? Event { get; set; }
    /// <summary>The bucket of an <c>s3:TestEvent</c>.</summary>
    public string? Bucket { get; set; }

    /// <summary><c>Notification</c> on an SNS message delivered to SQS without raw message delivery.</summary>
    public string? Type { get; set; }
    /// <summary>The SNS message (the S3 notification as a JSON string).</summary>
    public string? Message { get; set; }

    /// <summary>EventBridge: <c>aws.s3</c>.</summary>
    public string? Source { get; set; }
    /// <summary>EventBridge: <c>Object Created</c>, <c>Object Deleted</c>, …</summary>
    [JsonPropertyName("detail-type")]
    public string? DetailType { get; set; }
    /// <summary>EventBridge event detail.</summary>
    public EventBridgeS3Detail? Detail { get; set; }
}

/// <summary>One element of <c>Records</c>: an S3 notification record, an SQS message or an SNS delivery.</summary>
public sealed class EnvelopeRecord
{
    /// <summary><c>aws:s3</c>, <c>aws:sqs</c> or <c>aws:sns</c> (SNS spells it <c>EventSource</c>; matching is case-insensitive).</summary>
    public string? EventSource { get; set; }
    /// <summary>S3: <c>ObjectCreated:Put</c>, <c>ObjectRemoved:Delete</c>, …</summary>
    public string? EventName { get; set; }
    public string? EventTime { get; set; }
    /// <summary>S3: bucket and object.</summary>
    public S3Entity? S3 { get; set; }
    /// <summary>SQS: the id reported back in <c>batchItemFailures</c>.</summary>
    public string? MessageId { get; set; }
    /// <summary>SQS: the message body (an S3 notification, an SNS envelope or anything a sender put there).</summary>
    public string? Body { get; set; }
    /// <summary>SNS: the delivered message.</summary>
    public SnsMessage? Sns { get; set; }
}

/// <summary>The <c>s3</c> member of a notification record.</summary>
public sealed class S3Entity
{
    public S3BucketEntity? Bucket { get; set; }
    public S3ObjectEntity? Object { get; set; }
}

/// <summary>A bucket as notifications name it.</summary>
public sealed class S3BucketEntity
{
    public string? Name { get; set; }
    public string? Arn { get; set; }
}

/// <summary>An object as S3 notifications name it: the key is URL-encoded (a space is <c>+</c>).</summary>
public sealed class S3ObjectEntity
{
    public string? Key { get; set; }
    public string? VersionId { get; set; }
    public string? Sequencer { get; set; }
}

/// <summary>An SNS delivery inside a Lambda SNS event.</summary>
public sealed class SnsMessage
{
    public string? Type { get; set; }
    public string? MessageId { get; set; }
    public string? Message { get; set; }
}

/// <summary>The <c>detail</c> of an S3 EventBridge event.</summary>
public sealed class EventBridgeS3Detail
{
    public S3BucketEntity? Bucket { get; set; }
    public EventBridgeS3Object? Object { get; set; }
    public string? Reason { get; set; }
}

/// <summary>An object in an EventBridge event: the key is NOT URL-encoded there.</summary>
public sealed class EventBridgeS3Object
{
    public string? Key { get; set; }
    [JsonPropertyName("version-id")]
    public string? VersionId { get; set; }
}

/// <summary>Source-generated (AOT-safe) metadata for the envelopes.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow, MaxDepth = 32)]
[JsonSerializable(typeof(IngestEnvelope))]
internal sealed partial class IngestJsonContext : JsonSerializerContext;
