using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Auditor.Core.Trail;

namespace Auditor.Fuzz.Tests;

/// <summary>Realistic KMS records and helpers to read bytes with the trail reader.</summary>
public static class TrailRecords
{
    public const string KeyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    /// <summary>A full CloudTrail KMS record (CreateGrant, so grant fields, constraints and a response are present).</summary>
    public static string Kms(string id = "e1", string name = "CreateGrant") => $$$"""
        {"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:s","arn":"arn:aws:sts::111122223333:assumed-role/App/s","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/App","accountId":"111122223333","userName":"App"},"attributes":{"creationDate":"2024-01-01T00:00:00Z","mfaAuthenticated":"false"}},"invokedBy":"ec2.amazonaws.com"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"kms.amazonaws.com","eventName":"{{{name}}}","awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1","userAgent":"aws-cli","requestParameters":{"keyId":"{{{KeyArn}}}","granteePrincipal":"arn:aws:iam::111122223333:role/Worker","retiringPrincipal":"arn:aws:iam::111122223333:role/Admin","operations":["Decrypt","Encrypt"],"constraints":{"encryptionContextSubset":{"Department":"IT"}},"encryptionContext":{"aws:s3:arn":"arn:aws:s3:::bucket/key"},"policy":"{\"Statement\":[]}","grantId":"g-req","pendingWindowInDays":7},"responseElements":{"grantId":"g1","keyId":"{{{KeyArn}}}","deletionDate":"2024-02-01T00:00:00Z","keyMetadata":{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab","arn":"{{{KeyArn}}}"}},"additionalEventData":{"grantId":"g1"},"requestID":"r1","eventID":"{{{id}}}","readOnly":false,"resources":[{"accountId":"111122223333","type":"AWS::KMS::Key","ARN":"{{{KeyArn}}}"}],"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}
        """;

    public const string S3 = """{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventID":"s1","eventTime":"2024-01-01T00:00:00Z","eventName":"GetObject"}""";

    public static string Log(params string[] records) => "{\"Records\":[" + string.Join(",", records) + "]}";

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    public static (TrailReadResult Result, List<KmsEvent> Events) Read(Stream input, TrailReaderLimits? limits = null)
    {
        var events = new List<KmsEvent>();
        var result = new TrailReader(limits).Read(input, "hostile.json", events.Add);
        return (result, events);
    }

    public static (TrailReadResult Result, List<KmsEvent> Events) Read(byte[] bytes, TrailReaderLimits? limits = null) =>
        Read(new MemoryStream(bytes), limits);

    /// <summary>Every JSON path (objects only) in a record, for "wrong type in every field".</summary>
    public static IEnumerable<string[]> FieldPaths(JsonObject o, string[] prefix)
    {
        foreach (var (name, value) in o)
        {
            string[] path = [.. prefix, name];
            yield return path;
            if (value is JsonObject child)
                foreach (var p in FieldPaths(child, path)) yield return p;
        }
    }
}
