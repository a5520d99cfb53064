using System.Text;
using System.Text.Json;
using Auditor.Core.Grants;
using Auditor.Core.Inventory;

namespace Auditor.Core.Tests.Inventory;

public class InventoryWriterTests
{
    private static string WriteToString(InventorySnapshot snapshot)
    {
        var stream = new MemoryStream();
        InventoryWriter.Write(snapshot, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static InventorySnapshot ReadString(string json) =>
        InventoryReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "written.json");

    [Fact]
    public void Writing_what_was_read_is_stable_and_reads_back_the_same_snapshot()
    {
        var path = InventoryFixtures.Path_("hand-assembled.json");
        using var stream = File.OpenRead(path);
        var original = InventoryReader.Read(stream, path);

        var first = WriteToString(original);
        var reread = ReadString(first);
        var second = WriteToString(reread);

        Assert.Equal(first, second);
        Assert.Equal(original.Keys.Count, reread.Keys.Count);
        foreach (var key in original.Keys)
        {
            var back = reread.Keys.Single(k => k.KeyArn == key.KeyArn);
            Assert.Equal(key.Policy, back.Policy);
            Assert.Equal(key.Metadata.CreationDate, back.Metadata.CreationDate);
            Assert.Equal(key.Metadata.KeyState, back.Metadata.KeyState);
            Assert.Equal(key.Grants.Select(g => g.GrantId).Order(), back.Grants.Select(g => g.GrantId).Order());
            Assert.Equal(key.Aliases.Select(a => a.AliasName), back.Aliases.Select(a => a.AliasName));
        }
    }

    [Fact]
    public void Writes_the_contract_shape_with_api_field_names_and_iso_dates()
    {
        var snapshot = new InventorySnapshot
        {
            CapturedAt = DateTimeOffset.FromUnixTimeSeconds(1709251200),
            Keys =
            [
                new InventoryKey
                {
                    Metadata = new KmsKeyMetadata
                    {
                        KeyId = "k1", Arn = "arn:aws:kms:eu-west-1:444455556666:key/k1", AWSAccountId = "444455556666",
                        CreationDate = DateTimeOffset.FromUnixTimeMilliseconds(1499288695918), Enabled = true,
                        KeyState = "Enabled", KeyManager = "CUSTOMER",
                    },
                    Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceArn":"a<b>&c"}}}]}""",
                    GrantEntries =
                    [
                        new InventoryGrant
                        {
                            Grant = new Grant
                            {
                                GrantId = "g1", KeyId = "arn:aws:kms:eu-west-1:444455556666:key/k1", Operations = ["Decrypt"],
                                Constraints = new GrantConstraints { EncryptionContextEquals = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" } },
                            },
                            SourceArnConstraint = "arn:aws:s3:::bucket",
                        },
                    ],
                    Aliases = [new InventoryAlias { AliasName = "alias/app", TargetKeyId = "k1" }],
                    Error = "ListResourceTags: AccessDeniedException: no",
                    RotationEnabled = true,
                    Tags = [new InventoryTag("Team", "payments")],
                    LastUsage = new KeyLastUsage { TrackingStartDate = DateTimeOffset.FromUnixTimeSeconds(1704067200), Operation = "Decrypt" },
                },
            ],
            Errors = [new InventoryCollectionError("444455556666/us-east-1", "AccessDeniedException: ListKeys")],
        };

        var json = WriteToString(snapshot);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("2024-03-01T00:00:00Z", root.GetProperty("capturedAt").GetString());
        var key = root.GetProperty("Keys")[0];
        Assert.Equal("2017-07-05T21:04:55.918Z", key.GetProperty("KeyMetadata").GetProperty("CreationDate").GetString());
        Assert.Equal(JsonValueKind.String, key.GetProperty("Policy").ValueKind);
        Assert.Equal(snapshot.Keys[0].Policy, key.GetProperty("Policy").GetString());
        Assert.Contains("a<b>&c", json); // not \u003C-escaped: diffable against get-key-policy output
        var constraints = key.GetProperty("Grants")[0].GetProperty("Constraints");
        Assert.Equal(["a", "b"], constraints.GetProperty("EncryptionContextEquals").EnumerateObject().Select(p => p.Name));
        Assert.Equal("arn:aws:s3:::bucket", constraints.GetProperty("SourceArn").GetString());
        Assert.Equal("alias/app", key.GetProperty("Aliases")[0].GetProperty("AliasName").GetString());
        Assert.True(key.GetProperty("RotationEnabled").GetBoolean());
        Assert.Equal("payments", key.GetProperty("Tags")[0].GetProperty("TagValue").GetString());
        Assert.Equal("Decrypt", key.GetProperty("LastUsage").GetProperty("KeyLastUsage").GetProperty("Operation").GetString());
        Assert.Equal("ListResourceTags: AccessDeniedException: no", key.GetProperty("Error").GetString());
        Assert.Equal("444455556666/us-east-1", root.GetProperty("Errors")[0].GetProperty("Scope").GetString());

        var back = Assert.Single(ReadString(json).Keys);
        Assert.Equal("arn:aws:s3:::bucket", back.GrantEntries[0].SourceArnConstraint);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1704067200), back.LastUsage!.TrackingStartDate);
        Assert.Equal("payments", back.Tags![0].TagValue);
    }

    [Fact]
    public void Writes_an_unreadable_policy_as_null_and_keys_in_arn_order()
    {
        static InventoryKey Key(string id) => new()
        {
            Metadata = new KmsKeyMetadata { KeyId = id, Arn = $"arn:aws:kms:eu-west-1:444455556666:key/{id}" },
            Error = "GetKeyPolicy: AccessDeniedException: denied",
        };
        var json = WriteToString(new InventorySnapshot { CapturedAt = DateTimeOffset.UnixEpoch, Keys = [Key("b"), Key("a")] });
        using var doc = JsonDocument.Parse(json);
        var keys = doc.RootElement.GetProperty("Keys");
        Assert.Equal("a", keys[0].GetProperty("KeyMetadata").GetProperty("KeyId").GetString());
        Assert.Equal(JsonValueKind.Null, keys[0].GetProperty("Policy").ValueKind);
        Assert.False(doc.RootElement.TryGetProperty("Errors", out _));
    }
}
