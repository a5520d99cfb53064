using System.Text.Json.Serialization;

namespace Auditor.Functions.Reporting;

// The shapes `report` is invoked with: an EventBridge scheduled event ("Scheduled Event" from "aws.events", whose
// `time` is when the schedule fired), or a direct request {"from","to","format"} (also what a schedule's constant
// input sends). One permissive type covers both; unknown fields are ignored, times are kept as text so a bad one
// is reported with the value the caller sent.

/// <summary>An event the <c>report</c> function receives: a scheduled event or a direct period request.</summary>
public sealed class ReportInvocationEvent
{
    /// <summary>EventBridge: <c>aws.events</c> for a scheduled rule.</summary>
    public string? Source { get; set; }
    /// <summary>EventBridge: <c>Scheduled Event</c>.</summary>
    [JsonPropertyName("detail-type")]
    public string? DetailType { get; set; }
    /// <summary>EventBridge: when the rule fired (ISO 8601, UTC).</summary>
    public string? Time { get; set; }

    /// <summary>Direct: the start of the period (inclusive), ISO 8601 date or time.</summary>
    public string? From { get; set; }
    /// <summary>Direct: the end of the period (exclusive), ISO 8601 date or time.</summary>
    public string? To { get; set; }
    /// <summary><c>html</c>, <c>md</c>, <c>csv</c> or <c>json</c>.</summary>
    public string? Format { get; set; }

    /// <summary>Present when an S3/SQS/SNS event was routed here by mistake; such an event is refused.</summary>
    public System.Text.Json.JsonElement? Records { get; set; }
}

/// <summary>Source-generated (AOT-safe) metadata for <see cref="ReportInvocationEvent"/>.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, MaxDepth = 32)]
[JsonSerializable(typeof(ReportInvocationEvent))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
