using System.Net;
using System.Text.Json;

namespace Auditor.Testing;

/// <summary>Events shaped as S3 and SQS deliver them (S3 URL-encodes the key, form style).</summary>
public static class Events
{
    public static string S3Notification(string bucket, string key) =>
        "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\",\"eventTime\":\"2022-01-03T19:20:00.000Z\","
        + "\"eventName\":\"ObjectCreated:Put\",\"userIdentity\":{\"principalId\":\"AWS:AROAEXAMPLE:cloudtrail\"},"
        + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"trail\",\"bucket\":{\"name\":" + Str(bucket) + ",\"arn\":" + Str("arn:aws:s3:::" + bucket) + "},"
        + "\"object\":{\"key\":" + Str(WebUtility.UrlEncode(key)) + ",\"size\":1,\"sequencer\":\"0A\"}}}]}";

    public static string SqsBatch(params (string MessageId, string Body)[] messages) =>
        "{\"Records\":[" + string.Join(",", messages.Select(m =>
            $$"""{"messageId":{{Str(m.MessageId)}},"receiptHandle":"r","body":{{Str(m.Body)}},"attributes":{"ApproximateReceiveCount":"1"},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:111122223333:trail-objects","awsRegion":"us-east-1"}""")) + "]}";

    private static string Str(string s) => JsonSerializer.Serialize(s);
}
