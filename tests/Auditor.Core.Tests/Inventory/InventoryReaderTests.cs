using System.IO.Compression;
using System.Text;
using Auditor.Core.Inventory;

namespace Auditor.Core.Tests.Inventory;

public class InventoryReaderTests
{
    private const string Key1Arn = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static InventorySnapshot ReadText(string json, string name = "inv.json") =>
        InventoryReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), name);

    private static InventoryFormatException Rejects(string json, string name = "inv.json") =>
        Assert.Throws<InventoryFormatException>(() => ReadText(json, name));

    private const string MinimalKey = """{"KeyMetadata":{"KeyId":"k1","Arn":"arn:aws:kms:eu-west-1:444455556666:key/k1"}}""";

    [Fact]
    public void Reads_an_inventory_assembled_from_aws_cli_output()
    {
        var path = InventoryFixtures.Path_("hand-assembled.json");
        using var stream = File.OpenRead(path);
        var snapshot = InventoryReader.Read(stream, path);

        Assert.Equal(DateTimeOffset.Parse("2024-03-01T00:00:00Z"), snapshot.CapturedAt);
        Assert.Equal(path, snapshot.Source);
        Assert.Equal(3, snapshot.Keys.Count);

        var key = snapshot.Keys.Single(k => k.KeyArn == Key1Arn);
        Assert.Equal("111122223333", key.AccountId);
        Assert.Equal("us-west-2", key.Region);
        Assert.False(key.IsAwsManaged);
        // The CLI prints local time with an offset; it is the same instant as the API's 1.499288695918E9.
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1499288695918), key.Metadata.CreationDate);
        Assert.Contains("\"Sid\" : \"Allow use of the key\"", key.Policy);
        Assert.Equal("alias/ExampleAlias", Assert.Single(key.Aliases).AliasName);

        Assert.Equal(3, key.Grants.Count);
        var grant = key.Grants.Single(g => g.GrantId.StartsWith("abcde123", StringComparison.Ordinal));
        Assert.Equal(Key1Arn, grant.KeyId);
        Assert.Equal("arn:aws:iam::111122223333:role/ExampleAppRole", grant.GranteePrincipal);
        Assert.Equal("arn:aws:iam::111122223333:role/adminRole", grant.RetiringPrincipal);
        Assert.Equal(["Encrypt", "Decrypt"], grant.Operations);
        Assert.Equal("IT", grant.Constraints!.EncryptionContextSubset!["Department"]);
        Assert.Null(grant.Constraints.EncryptionContextEquals);
        var equals = key.Grants.Single(g => g.Name == "report-writer").Constraints!.EncryptionContextEquals!;
        Assert.Equal("prod", equals["Stage"]);

        var awsManaged = snapshot.Keys.Single(k => k.Aliases.Any(a => a.AliasName == "alias/aws/ebs"));
        Assert.True(awsManaged.IsAwsManaged);

        var pending = snapshot.Keys.Single(k => k.Metadata.KeyState == "PendingDeletion");
        Assert.False(pending.Metadata.Enabled);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1703116800), pending.Metadata.DeletionDate);
    }

    [Fact]
    public void Accepts_epoch_second_dates_as_the_raw_api_returns_them()
    {
        var snapshot = ReadText("""
            {"capturedAt":1709251200,"Keys":[{"KeyMetadata":{"KeyId":"k1","Arn":"arn:aws:kms:eu-west-1:444455556666:key/k1",
              "CreationDate":1.499288695918E9},
              "Grants":[{"GrantId":"g1","KeyId":"arn:aws:kms:eu-west-1:444455556666:key/k1","CreationDate":1572216195.0,"Operations":["Decrypt"]}],
              "Aliases":[{"AliasName":"alias/a","TargetKeyId":"k1","CreationDate":1572216195,"LastUpdatedDate":1572216196}]}]}
            """);
        var key = Assert.Single(snapshot.Keys);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1709251200), snapshot.CapturedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1499288695918), key.Metadata.CreationDate);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1572216195), key.Grants[0].CreationDate);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1572216196), key.Aliases[0].LastUpdatedDate);
        Assert.Equal("444455556666", key.AccountId); // from the ARN: no AWSAccountId given
        Assert.Null(key.Policy); // absent policy is unknown, not empty
    }

    [Fact]
    public void Rejects_a_file_without_capturedAt_naming_the_file()
    {
        var e = Rejects("""{"Keys":[]}""", "inventories/prod.json");
        Assert.Equal("inventories/prod.json", e.FileName);
        Assert.Contains("missing capturedAt", e.Message);
        Assert.StartsWith("inventories/prod.json: ", e.Message);
    }

    [Fact]
    public void Rejects_Keys_that_is_not_an_array()
    {
        var e = Rejects("""{"capturedAt":"2024-01-01T00:00:00Z","Keys":{"KeyMetadata":{}}}""");
        Assert.Contains("Keys: expected an array, found an object", e.Message);
    }

    [Fact]
    public void Rejects_a_bad_date_naming_its_json_path()
    {
        var e = Rejects("""
            {"capturedAt":"2024-01-01T00:00:00Z","Keys":[{"KeyMetadata":{"KeyId":"k1","Arn":"arn:aws:kms:eu-west-1:444455556666:key/k1"},
              "Grants":[{"GrantId":"g1","CreationDate":"yesterday"}]}]}
            """);
        Assert.Contains("Keys[0].Grants[0].CreationDate: not a date", e.Message);
        Assert.Contains("'yesterday'", e.Message);
    }

    [Fact]
    public void Rejects_an_unparseable_capturedAt()
    {
        Assert.Contains("capturedAt: not a date", Rejects("""{"capturedAt":"soon","Keys":[]}""").Message);
    }

    [Fact]
    public void Rejects_a_policy_string_that_is_not_a_json_document()
    {
        var e = Rejects($$"""{"capturedAt":"2024-01-01T00:00:00Z","Keys":[{"KeyMetadata":{"KeyId":"k1","Arn":"arn:aws:kms:eu-west-1:444455556666:key/k1"},"Policy":"{\"Version\":"}]}""");
        Assert.Contains("Keys[0].Policy: the policy string is not a JSON document", e.Message);
    }

    [Fact]
    public void Accepts_a_policy_pasted_as_a_json_object()
    {
        var key = Assert.Single(ReadText("""
            {"capturedAt":"2024-01-01T00:00:00Z","Keys":[{"KeyMetadata":{"KeyId":"k1","Arn":"arn:aws:kms:eu-west-1:444455556666:key/k1"},
              "Policy":{"Version":"2012-10-17","Statement":[]}}]}
            """).Keys);
        Assert.Equal("""{"Version":"2012-10-17","Statement":[]}""", key.Policy);
    }

    [Fact]
    public void Rejects_a_key_without_an_arn()
    {
        var e = Rejects("""{"capturedAt":"2024-01-01T00:00:00Z","Keys":[{"KeyMetadata":{"KeyId":"k1"}}]}""");
        Assert.Contains("Keys[0].KeyMetadata: missing Arn", e.Message);
    }

    [Fact]
    public void Rejects_an_arn_that_is_not_a_kms_key()
    {
        var e = Rejects("""{"capturedAt":"2024-01-01T00:00:00Z","Keys":[{"KeyMetadata":{"KeyId":"k1","Arn":"arn:aws:kms:eu-west-1:444455556666:alias/a"}}]}""");
        Assert.Contains("not a KMS key ARN", e.Message);
    }

    [Fact]
    public void Rejects_the_same_key_twice_in_one_file()
    {
        var e = Rejects($$"""{"capturedAt":"2024-01-01T00:00:00Z","Keys":[{{MinimalKey}},{{MinimalKey}}]}""");
        Assert.Contains("Keys[1]: key arn:aws:kms:eu-west-1:444455556666:key/k1 appears twice", e.Message);
    }

    [Fact]
    public void Rejects_a_non_string_encryption_context_value()
    {
        var e = Rejects("""
            {"capturedAt":"2024-01-01T00:00:00Z","Keys":[{"KeyMetadata":{"KeyId":"k1","Arn":"arn:aws:kms:eu-west-1:444455556666:key/k1"},
              "Grants":[{"GrantId":"g1","Constraints":{"EncryptionContextSubset":{"n":1}}}]}]}
            """);
        Assert.Contains("Keys[0].Grants[0].Constraints.EncryptionContextSubset.n: expected a string, found the number 1", e.Message);
    }

    [Fact]
    public void Rejects_invalid_json_naming_the_file()
    {
        var e = Rejects("""{"capturedAt":""", "broken.json");
        Assert.StartsWith("broken.json: not valid JSON", e.Message);
    }

    [Fact]
    public void Joins_a_top_level_list_aliases_output_to_keys_by_target_key_id()
    {
        var snapshot = ReadText($$"""
            {"capturedAt":"2024-01-01T00:00:00Z","Keys":[{{MinimalKey}}],
             "Aliases":[{"AliasName":"alias/app","TargetKeyId":"k1"},{"AliasName":"alias/aws/s3"},{"AliasName":"alias/other","TargetKeyId":"k9"}]}
            """);
        Assert.Equal("alias/app", Assert.Single(Assert.Single(snapshot.Keys).Aliases).AliasName);
    }

    [Fact]
    public void Keeps_metadata_fields_it_does_not_interpret()
    {
        var key = Assert.Single(ReadText("""
            {"capturedAt":"2024-01-01T00:00:00Z","Keys":[{"KeyMetadata":{"KeyId":"mrk-1","Arn":"arn:aws:kms:eu-west-1:444455556666:key/mrk-1",
              "MultiRegion":true,"MultiRegionConfiguration":{"MultiRegionKeyType":"PRIMARY","ReplicaKeys":[]}}}]}
            """).Keys);
        var (name, value) = Assert.Single(key.Metadata.OtherFields);
        Assert.Equal("MultiRegionConfiguration", name);
        Assert.Equal("PRIMARY", value.GetProperty("MultiRegionKeyType").GetString());
    }

    [Fact]
    public void Reads_gzip_by_magic_bytes_not_by_name()
    {
        var bytes = new MemoryStream();
        using (var gzip = new GZipStream(bytes, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes($$"""{"capturedAt":"2024-01-01T00:00:00Z","Keys":[{{MinimalKey}}]}"""));
        }
        bytes.Position = 0;
        Assert.Single(InventoryReader.Read(bytes, "inventory.json").Keys);
    }

    [Fact]
    public void Reads_a_directory_naming_each_bad_file_and_reading_the_others()
    {
        var dir = Directory.CreateTempSubdirectory("inventory-read-");
        try
        {
            File.Copy(InventoryFixtures.Path_("hand-assembled.json"), Path.Combine(dir.FullName, "a-good.json"));
            File.WriteAllText(Path.Combine(dir.FullName, "b-bad.json"), """{"capturedAt":"2024-01-01T00:00:00Z","Keys":7}""");
            Directory.CreateDirectory(Path.Combine(dir.FullName, "sub"));
            File.WriteAllText(Path.Combine(dir.FullName, "sub", "c-good.json"), $$"""{"capturedAt":"2024-02-01T00:00:00Z","Keys":[{{MinimalKey}}]}""");
            File.WriteAllText(Path.Combine(dir.FullName, "notes.txt"), "not an inventory");

            var result = InventoryReader.ReadPath(dir.FullName);

            Assert.Equal(2, result.Snapshots.Count);
            Assert.Equal(3, result.Snapshots[0].Keys.Count);
            Assert.Single(result.Snapshots[1].Keys);
            var error = Assert.Single(result.Errors);
            Assert.EndsWith("b-bad.json", error.File);
            Assert.Contains("Keys: expected an array", error.Error);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Reports_a_missing_path_instead_of_throwing()
    {
        var result = InventoryReader.ReadPath("/nonexistent/inventory.json");
        Assert.Empty(result.Snapshots);
        Assert.Equal("no such file or directory", Assert.Single(result.Errors).Error);
    }
}
