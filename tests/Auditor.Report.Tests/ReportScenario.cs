using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Auditor.Report.Tests;

/// <summary>
/// A trail written for the report tests, laid out as CloudTrail delivers it, replayed once and reported in
/// every format. Three log files on 2026-10-01, -02 and -04 (so 2026-10-03 has none), a digest file that
/// lists the first two (the second one's content was tampered with after delivery), the real AWS
/// documentation examples of ../shared/real-trails/aws-docs-kms, and one caller whose ARN is hostile markup.
/// </summary>
public sealed class ReportScenario : IDisposable
{
    public const string Account = "111122223333";
    public const string KeyId = "0b6a4e0c-5b8e-4f1a-9c2e-7d1f3a9b8c11";
    public const string KeyArn = $"arn:aws:kms:us-east-1:{Account}:key/{KeyId}";
    public const string AdminRole = $"arn:aws:iam::{Account}:role/KeyAdmin";
    public const string AppRole = $"arn:aws:iam::{Account}:role/payments-app";
    public const string WorkerRole = $"arn:aws:iam::{Account}:role/batch-worker";
    public const string GrantId = "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0";
    /// <summary>A caller ARN an attacker controls (a forged or crafted record): markup, a quote and a formula start.</summary>
    public const string HostileUser = $"arn:aws:iam::{Account}:user/<img src=x onerror=alert(1)>\"x'";
    public const string FormulaPrincipal = "=HYPERLINK(\"http://evil.example/\",\"click\")";

    public string Root { get; }
    public string TrailDir => Path.Combine(Root, "trail");
    public string ReplayOut => Path.Combine(Root, "replay-out");
    public string ReportDir => Path.Combine(Root, "reports");
    public string TamperedFile { get; private set; } = "";
    public string MatchedFile { get; private set; } = "";
    public string UncoveredFile { get; private set; } = "";
    public static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public CliRun Replay { get; }

    public ReportScenario()
    {
        Root = Path.Combine(Path.GetTempPath(), "auditor-report-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        WriteTrail();
        Replay = CliRun.Of("replay", TrailDir, RepoPaths.SharedPath("real-trails", "aws-docs-kms"), "--out", ReplayOut, "--quiet");
    }

    /// <summary>Runs <c>auditor report</c> over the scenario into <paramref name="fileName"/>; returns the run and the file's text.</summary>
    public (CliRun Run, string Text) Report(string fileName, params string[] extra)
    {
        Directory.CreateDirectory(ReportDir);
        var outPath = Path.Combine(ReportDir, fileName);
        var run = CliRun.Of(["report", "--findings", ReplayOut, "--trail", TrailDir, "--trail", RepoPaths.SharedPath("real-trails", "aws-docs-kms"),
            "--out", outPath, "--generated-at", "2026-11-01T00:00:00Z", .. extra]);
        return (run, File.Exists(outPath) ? File.ReadAllText(outPath) : "");
    }

    private void WriteTrail()
    {
        var day1 = new[]
        {
            Record("e-0001", "2026-10-01T08:00:00Z", "CreateKey", Role(AdminRole, "admin-session"),
                request: $$"""{"policy": {{Json(Policy)}}, "keySpec": "SYMMETRIC_DEFAULT", "keyUsage": "ENCRYPT_DECRYPT", "origin": "AWS_KMS"}""",
                response: $$"""{"keyMetadata": {"keyId": "{{KeyId}}", "arn": "{{KeyArn}}", "AWSAccountId": "{{Account}}"} }""", resources: false),
            Record("e-0002", "2026-10-01T08:01:00Z", "CreateAlias", Role(AdminRole, "admin-session"),
                request: $$"""{"aliasName": "alias/payments", "targetKeyId": "{{KeyId}}"}"""),
            Record("e-0003", "2026-10-01T09:00:00Z", "Decrypt", Role(AppRole, "i-0abc"), request: """{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"tenant": "acme"}}"""),
            Record("e-0004", "2026-10-01T09:05:00Z", "Decrypt", Role(AppRole, "i-0abc"), request: """{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"tenant": "acme"}}"""),
            Record("e-0005", "2026-10-01T09:10:00Z", "GenerateDataKey", Role(AppRole, "i-0abc"), request: """{"keySpec": "AES_256", "encryptionContext": {"tenant": "acme"}}"""),
            Record("e-0006", "2026-10-01T10:00:00Z", "CreateGrant", Role(AdminRole, "admin-session"),
                request: $$"""{"granteePrincipal": "{{WorkerRole}}", "retiringPrincipal": "{{WorkerRole}}", "operations": ["Decrypt"], "constraints": {"encryptionContextSubset": {"tenant": "acme"} }, "name": "nightly-batch"}""",
                response: $$"""{"grantId": "{{GrantId}}"}"""),
        };
        var day2 = new[]
        {
            Record("e-0101", "2026-10-02T01:00:00Z", "Decrypt", Role(WorkerRole, "batch-1"), request: """{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"tenant": "acme"}}"""),
            Record("e-0102", "2026-10-02T01:30:00Z", "Decrypt", Role(WorkerRole, "batch-1"), request: """{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"tenant": "acme"}}"""),
            Record("e-0103", "2026-10-02T02:00:00Z", "RetireGrant", Role(WorkerRole, "batch-1"), request: $$"""{"grantId": "{{GrantId}}"}"""),
            Record("e-0104", "2026-10-02T03:00:00Z", "Decrypt", User(HostileUser), request: """{"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}""", error: "AccessDenied"),
            Record("e-0105", "2026-10-02T03:01:00Z", "Decrypt", User(FormulaPrincipal), request: """{"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}""", error: "AccessDenied"),
        };
        var day4 = new[]
        {
            Record("e-0301", "2026-10-04T12:00:00Z", "Encrypt", Role(AppRole, "i-0abc"), request: """{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"tenant": "acme"}}"""),
            Record("e-0302", "2026-10-04T18:00:00Z", "DisableKey", Role(AdminRole, "admin-session"), request: "{}"),
        };

        MatchedFile = WriteLog("2026/10/01", "20261001T1005Z_aaaa1111", day1, out var hash1, out var key1);
        TamperedFile = WriteLog("2026/10/02", "20261002T0305Z_bbbb2222", day2, out var hash2, out var key2);
        UncoveredFile = WriteLog("2026/10/04", "20261004T1805Z_cccc3333", day4, out _, out _);

        // The digest lists files 1 and 2 with the hashes CloudTrail computed at delivery...
        var digestKey = $"AWSLogs/{Account}/CloudTrail-Digest/us-east-1/2026/10/02/{Account}_CloudTrail-Digest_us-east-1_main_us-east-1_20261002T040000Z.json.gz";
        var digest = $$"""
            {"awsAccountId": "{{Account}}", "digestStartTime": "2026-10-01T04:00:00Z", "digestEndTime": "2026-10-02T04:00:00Z",
             "digestS3Bucket": "trail-bucket", "digestS3Object": "{{digestKey}}", "digestPublicKeyFingerprint": "31e8b5433410dfb61a9dc45cc65b22ff",
             "digestSignatureAlgorithm": "SHA256withRSA", "previousDigestS3Bucket": null, "previousDigestS3Object": null,
             "previousDigestHashValue": null, "previousDigestHashAlgorithm": null, "previousDigestSignature": null,
             "logFiles": [
               {"s3Bucket": "trail-bucket", "s3Object": "{{key1}}", "hashValue": "{{hash1}}", "hashAlgorithm": "SHA-256"},
               {"s3Bucket": "trail-bucket", "s3Object": "{{key2}}", "hashValue": "{{hash2}}", "hashAlgorithm": "SHA-256"}]}
            """;
        WriteGz(Path.Combine(TrailDir, digestKey), digest);

        // ...then someone edits file 2 in the bucket to hide where the denied calls came from: its content no longer matches.
        var tampered = Content(day2).Replace("\"errorCode\"", "\"sourceIPAddress\": \"203.0.113.9\", \"errorCode\"", StringComparison.Ordinal);
        WriteGz(TamperedFile, tampered);
    }

    private string WriteLog(string datePath, string stampAndId, string[] records, out string sha256, out string s3Key)
    {
        s3Key = $"AWSLogs/{Account}/CloudTrail/us-east-1/{datePath}/{Account}_CloudTrail_us-east-1_{stampAndId}.json.gz";
        var content = Content(records);
        sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
        var path = Path.Combine(TrailDir, s3Key);
        WriteGz(path, content);
        return path;
    }

    private static string Content(string[] records) => "{\"Records\":[" + string.Join(",", records) + "]}";

    private static void WriteGz(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var f = File.Create(path);
        using var gz = new GZipStream(f, CompressionLevel.Optimal);
        gz.Write(Encoding.UTF8.GetBytes(content));
    }

    private const string Policy = $$"""
        {"Version": "2012-10-17", "Id": "payments-key-policy", "Statement": [
          {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::{{Account}}:root"}, "Action": "kms:*", "Resource": "*"},
          {"Sid": "Allow administration of the key", "Effect": "Allow", "Principal": {"AWS": "{{AdminRole}}"},
           "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:TagResource", "kms:UntagResource"], "Resource": "*"},
          {"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": ["{{AppRole}}", "arn:aws:iam::444455556666:role/partner-reader"]},
           "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*"},
          {"Sid": "Allow attachment of persistent resources", "Effect": "Allow", "Principal": {"AWS": "{{AppRole}}"},
           "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"} } },
          {"Sid": "Describe for the organization", "Effect": "Allow", "Principal": "*", "Action": "kms:DescribeKey", "Resource": "*",
           "Condition": {"StringEquals": {"kms:CallerAccount": "{{Account}}"} } }
        ]}
        """;

    private static string Json(string s) => System.Text.Json.JsonSerializer.Serialize(s, Json8.Default.String);

    private static string Role(string roleArn, string session)
    {
        var name = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        return $$"""
            {"type": "AssumedRole", "principalId": "AROAEXAMPLE{{name.Length}}:{{session}}", "arn": "arn:aws:sts::{{Account}}:assumed-role/{{name}}/{{session}}",
             "accountId": "{{Account}}", "accessKeyId": "ASIAEXAMPLE", "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLE{{name.Length}}",
             "arn": "{{roleArn}}", "accountId": "{{Account}}", "userName": "{{name}}"}, "attributes": {"creationDate": "2026-10-01T00:00:00Z", "mfaAuthenticated": "false"} } }
            """;
    }

    private static string User(string arn) =>
        $$"""{"type": "IAMUser", "principalId": "AIDAEXAMPLEUSER", "arn": {{Json(arn)}}, "accountId": "{{Account}}", "userName": "someone"}""";

    private static string Record(string id, string time, string name, string identity, string request = "{}", string response = "null", string? error = null, bool resources = true) => $$"""
        {"eventVersion": "1.08", "userIdentity": {{identity}}, "eventTime": "{{time}}", "eventSource": "kms.amazonaws.com", "eventName": "{{name}}",
         "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7", "userAgent": "aws-sdk-go/1.44", {{(error is null ? "" : $"\"errorCode\": \"{error}\", \"errorMessage\": \"not authorized\",")}}
         "requestParameters": {{(name is "CreateKey" or "CreateAlias" or "CreateGrant" ? request : InsertKey(request))}}, "responseElements": {{response}},
         "requestID": "req-{{id}}", "eventID": "{{id}}", "readOnly": false,
         "resources": {{(resources ? $$"""[{"accountId": "{{Account}}", "type": "AWS::KMS::Key", "ARN": "{{KeyArn}}"}]""" : "[]")}},
         "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "{{Account}}", "eventCategory": "Management"}
        """;

    private static string InsertKey(string request) => request == "{}" ? $$"""{"keyId": "{{KeyArn}}"}""" : "{\"keyId\": \"" + KeyArn + "\", " + request.TrimStart()[1..];

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class Json8 : System.Text.Json.Serialization.JsonSerializerContext;
