using System.IO.Compression;
using System.Text.Json;
using Auditor.Core.Authorization;
using Auditor.Core.Policy;
using Auditor.Core.Trail;
using Xunit.Abstractions;

namespace Auditor.Core.Tests.Policy;

/// <summary>
/// Every KMS record in ../shared/real-trails gets a request context and an explanation against the default
/// key policy, without an exception: bare records, {"Records":[...]} files (plain or gzip), and the
/// <c>log</c> elements of panther-analysis test files.
/// </summary>
public class RealTrailContextTests(ITestOutputHelper output)
{
    private static IEnumerable<(string File, JsonElement Record)> KmsRecords(List<JsonDocument> keep)
    {
        string root = Path.Combine(TestRequests.SharedDir(), "real-trails");
        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (!file.EndsWith(".json", StringComparison.Ordinal) && !file.EndsWith(".json.gz", StringComparison.Ordinal)) continue;
            JsonDocument doc;
            try
            {
                using Stream s = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(File.OpenRead(file), CompressionMode.Decompress) : File.OpenRead(file);
                doc = JsonDocument.Parse(s);
            }
            catch (JsonException) { continue; }
            keep.Add(doc);
            foreach (var r in Candidates(doc.RootElement))
                if (TrailRecordParser.IsKms(r)) yield return (file, r);
        }
    }

    private static IEnumerable<JsonElement> Candidates(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Array) { foreach (var x in e.EnumerateArray()) foreach (var r in Candidates(x)) yield return r; yield break; }
        if (e.ValueKind != JsonValueKind.Object) yield break;
        if (e.TryGetProperty("Records", out var recs) && recs.ValueKind == JsonValueKind.Array) { foreach (var r in recs.EnumerateArray()) yield return r; yield break; }
        if (e.TryGetProperty("log", out var log) && log.ValueKind == JsonValueKind.Object) { yield return log; yield break; }
        if (e.TryGetProperty("eventSource", out _)) yield return e;
    }

    internal static string KeyArnOf(KmsEvent e)
    {
        foreach (var r in e.Resources)
            if (r.Arn is { } arn && arn.Contains(":key/", StringComparison.Ordinal)) return arn;
        string account = e.RecipientAccountId ?? e.UserIdentity.AccountId ?? "111122223333";
        string region = e.AwsRegion ?? "us-east-1";
        string? id = e.Request.KeyId ?? e.Request.CreatedKeyId;
        if (id is not null && id.StartsWith("arn:", StringComparison.Ordinal)) return id;
        return $"arn:aws:kms:{region}:{account}:key/{id ?? "unknown"}";
    }

    [Fact]
    public void Every_kms_record_gets_a_context_and_an_explanation()
    {
        var docs = new List<JsonDocument>();
        int evaluated = 0;
        var malformed = new List<string>();
        foreach (var (file, record) in KmsRecords(docs))
        {
            KmsEvent e;
            try { e = TrailRecordParser.Parse(record, file); }
            catch (TrailFormatException ex) { malformed.Add($"{Path.GetFileName(file)}: {ex.Message}"); continue; }
            string keyArn = KeyArnOf(e);
            var ctx = RequestContextBuilder.Build(e, keyArn);
            Assert.StartsWith("kms:", ctx.Action, StringComparison.Ordinal);
            Assert.Equal(keyArn, ctx.Resource);
            var policy = DefaultKeyPolicy.For(PrincipalArns.AccountOfArn(keyArn)!);
            var result = AuthorizationEvaluator.Evaluate(policy, [], null, ctx);
            Assert.False(string.IsNullOrEmpty(result.Describe()));
            evaluated++;
        }
        foreach (var d in docs) d.Dispose();
        output.WriteLine($"{evaluated} KMS records evaluated; {malformed.Count} rejected by the reader: {string.Join("; ", malformed)}");
        Assert.True(evaluated >= 80, $"only {evaluated} KMS records evaluated");
        // The only records skipped are those the reader itself rejects for lacking eventID, eventName or eventTime
        // (a panther-analysis test record has no eventID): without them there is no event to explain.
        Assert.All(malformed, m => Assert.Matches("has no (eventID|eventName|eventTime)", m));
        Assert.True(malformed.Count <= 2, string.Join("\n", malformed));
    }

    [Fact]
    public void Same_account_user_under_the_default_policy_is_delegated_to_iam()
    {
        var docs = new List<JsonDocument>();
        var (file, record) = KmsRecords(docs).First(r => r.File.EndsWith("ct-decrypt_1.json", StringComparison.Ordinal));
        var e = TrailRecordParser.Parse(record, file);
        var ctx = RequestContextBuilder.Build(e, KeyArnOf(e));
        var result = AuthorizationEvaluator.Evaluate(DefaultKeyPolicy.For(PrincipalArns.AccountOfArn(ctx.Resource)!), [], null, ctx);
        Assert.Equal(Decision.DelegatedToIam, result.Decision);
        Assert.Equal(DefaultKeyPolicy.Sid, result.StatementSid);
        foreach (var d in docs) d.Dispose();
    }
}
