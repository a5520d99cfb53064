using System.Text.Json;

namespace Auditor.Functions.Ingest;

/// <summary>
/// Turns the event <c>ingest</c> was invoked with into the objects to audit: S3 notifications (keys URL-decoded),
/// SQS batches of them (each message on its own, SNS-wrapped or raw), SNS deliveries, EventBridge
/// <c>Object Created</c> (keys as they are). <c>s3:TestEvent</c>, deletions and restores are ignored, not errors.
/// </summary>
public static class IngestEventParser
{
    // SQS → SNS → S3 is the deepest real nesting; a bound stops a message that wraps itself forever.
    private const int MaxNesting = 4;

    /// <summary>Parses an invocation payload.</summary>
    /// <exception cref="IngestEventException">The payload is not an event ingest handles (never thrown for one bad SQS message).</exception>
    public static IngestRequest Parse(ReadOnlySpan<byte> payload)
    {
        var envelope = Deserialize(payload, "the event");
        if (envelope.Records is { Count: > 0 } records && records.Exists(r => Is(r.EventSource, "aws:sqs")))
        {
            var items = new List<IngestWorkItem>(records.Count);
            for (int i = 0; i < records.Count; i++)
            {
                var record = records[i];
                if (!Is(record.EventSource, "aws:sqs") || string.IsNullOrEmpty(record.MessageId))
                    throw new IngestEventException($"record {i} of the SQS batch is not an SQS message with a messageId");
                items.Add(ParseSqsMessage(record.MessageId, record.Body));
            }
            return new IngestRequest(IngestEventKind.SqsBatch, items);
        }

        var kind = KindOf(envelope);
        var objects = new List<S3ObjectRef>();
        var ignored = new List<string>();
        Extract(envelope, objects, ignored, depth: 0);
        return new IngestRequest(kind, [new IngestWorkItem { Objects = objects, Ignored = ignored }]);
    }

    /// <summary>One SQS message: anything wrong with it fails this message only.</summary>
    internal static IngestWorkItem ParseSqsMessage(string messageId, string? body)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(body)) throw new IngestEventException("the message body is empty");
            var envelope = Deserialize(System.Text.Encoding.UTF8.GetBytes(body), "the message body");
            var objects = new List<S3ObjectRef>();
            var ignored = new List<string>();
            Extract(envelope, objects, ignored, depth: 1);
            return new IngestWorkItem { ItemIdentifier = messageId, Objects = objects, Ignored = ignored };
        }
        catch (IngestEventException e)
        {
            return new IngestWorkItem { ItemIdentifier = messageId, Error = e.Message };
        }
    }

    private static IngestEventKind KindOf(IngestEnvelope e)
    {
        if (IsTestEvent(e)) return IngestEventKind.TestEvent;
        if (e.Records is { Count: > 0 } r && r.TrueForAll(x => Is(x.EventSource, "aws:sns"))) return IngestEventKind.SnsNotification;
        if (e.Records is not null) return IngestEventKind.S3Notification;
        if (Is(e.Source, "aws.s3") && e.DetailType is not null) return IngestEventKind.EventBridge;
        if (Is(e.Type, "Notification")) return IngestEventKind.SnsNotification;
        throw NotAnIngestEvent();
    }

    private static void Extract(IngestEnvelope e, List<S3ObjectRef> objects, List<string> ignored, int depth)
    {
        if (depth > MaxNesting) throw new IngestEventException($"messages nested more than {MaxNesting} deep");

        if (IsTestEvent(e))
        {
            ignored.Add($"s3:TestEvent for bucket {e.Bucket ?? "(none)"}");
            return;
        }
        if (e.Records is not null)
        {
            if (e.Records.Count == 0) throw new IngestEventException("\"Records\" is empty");
            for (int i = 0; i < e.Records.Count; i++) ExtractRecord(e.Records[i], i, objects, ignored, depth);
            return;
        }
        if (Is(e.Type, "Notification") && e.Message is not null)
        {
            Extract(Deserialize(System.Text.Encoding.UTF8.GetBytes(e.Message), "the SNS message"), objects, ignored, depth + 1);
            return;
        }
        if (Is(e.Source, "aws.s3") && e.DetailType is not null)
        {
            ExtractEventBridge(e, objects, ignored);
            return;
        }
        throw NotAnIngestEvent();
    }

    private static void ExtractRecord(EnvelopeRecord r, int index, List<S3ObjectRef> objects, List<string> ignored, int depth)
    {
        if (Is(r.EventSource, "aws:s3"))
        {
            var bucket = r.S3?.Bucket?.Name;
            var key = r.S3?.Object?.Key;
            if (string.IsNullOrEmpty(bucket) || string.IsNullOrEmpty(key))
                throw new IngestEventException($"S3 record {index} has no s3.bucket.name or s3.object.key");
            var decoded = S3KeyDecoder.DecodeNotificationKey(key);
            if (r.EventName is { } name && name.StartsWith("ObjectCreated:", StringComparison.Ordinal))
                objects.Add(new S3ObjectRef(bucket, decoded));
            else
                ignored.Add($"{r.EventName ?? "(no eventName)"} on s3://{bucket}/{decoded}");
            return;
        }
        if (Is(r.EventSource, "aws:sns"))
        {
            var message = r.Sns?.Message ?? throw new IngestEventException($"SNS record {index} has no Sns.Message");
            Extract(Deserialize(System.Text.Encoding.UTF8.GetBytes(message), "the SNS message"), objects, ignored, depth + 1);
            return;
        }
        throw new IngestEventException($"record {index} has eventSource '{r.EventSource ?? "(none)"}'; ingest handles aws:s3, aws:sqs and aws:sns records");
    }

    private static void ExtractEventBridge(IngestEnvelope e, List<S3ObjectRef> objects, List<string> ignored)
    {
        var bucket = e.Detail?.Bucket?.Name;
        var key = e.Detail?.Object?.Key; // EventBridge keys are not URL-encoded: used as they are.
        if (e.DetailType != "Object Created")
        {
            ignored.Add($"EventBridge '{e.DetailType}'" + (bucket is null ? "" : $" on s3://{bucket}/{key}"));
            return;
        }
        if (string.IsNullOrEmpty(bucket) || string.IsNullOrEmpty(key))
            throw new IngestEventException("EventBridge 'Object Created' event has no detail.bucket.name or detail.object.key");
        objects.Add(new S3ObjectRef(bucket, key));
    }

    private static IngestEnvelope Deserialize(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json, IngestJsonContext.Default.IngestEnvelope)
                ?? throw new IngestEventException($"{what} is JSON null");
        }
        catch (JsonException e)
        {
            throw new IngestEventException($"{what} is not an event ingest understands: {FirstSentence(e.Message)}", e);
        }
    }

    private static bool IsTestEvent(IngestEnvelope e) => e.Event == "s3:TestEvent";

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.Ordinal);

    private static IngestEventException NotAnIngestEvent() =>
        new("not an S3 event notification, an SQS or SNS batch of them, an EventBridge S3 event or s3:TestEvent");

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(" Path:", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }
}
