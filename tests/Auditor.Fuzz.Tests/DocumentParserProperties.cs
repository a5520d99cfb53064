using System.Text;
using Auditor.Core.Baselines;
using Auditor.Core.Inventory;
using Auditor.Core.Policy;
using Auditor.Fuzz;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Auditor.Fuzz.Tests;

/// <summary>
/// Policies, baselines and inventories are untrusted too. On any mutation of a real document each parser throws only
/// its own documented format exception (which the CLI turns into a named error), never anything else.
/// </summary>
public class DocumentParserProperties
{
    private const string Policy = """{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","111122223333"]},"Action":"kms:*","Resource":"*"},{"Sid":"Allow use","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/App","Service":"s3.amazonaws.com"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com","kms:CallerAccount":"111122223333"},"ForAnyValue:StringLike":{"kms:EncryptionContextKeys":["aws:s3:*"]},"Bool":{"kms:GrantIsForAWSResource":true},"NumericLessThanEquals":{"kms:RecipientAttestation:Foo":5},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"StringLikeIfExists":{"aws:PrincipalArn":"arn:aws:iam::*:role/${aws:username}"}}},{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/Admin"},"NotAction":"kms:Describe*","NotResource":"arn:aws:kms:*:111122223333:key/*"}]}""";

    private const string BaselineDoc = """{"keys":{"arn:aws:kms:us-east-1:111122223333:key/k1":{"principals":["arn:aws:iam::111122223333:role/app-*"]},"alias/app":{"principals":[]}},"default":{"principals":["arn:aws:iam::111122223333:role/Admin"]}}""";

    private static readonly byte[] Inventory = File.ReadAllBytes(Path.Combine(RepoLocator.Root, "tests", "fixtures", "inventory", "hand-assembled.json"));

    private static readonly Gen<(int Seed, int Rounds)> Mutations =
        from seed in Gen.Choose(0, int.MaxValue)
        from rounds in Gen.Choose(1, 6)
        select (seed, rounds);

    private static byte[] Mutate(byte[] input, (int Seed, int Rounds) m)
    {
        var mutator = new Mutator(new Random(m.Seed));
        var seeds = new[] { ("policy", Encoding.UTF8.GetBytes(Policy)), ("baseline", Encoding.UTF8.GetBytes(BaselineDoc)) };
        for (int i = 0; i < m.Rounds; i++) input = mutator.Mutate(input, seeds).Bytes;
        return input;
    }

    private static string? Unexpected<TAllowed>(Action parse) where TAllowed : Exception
    {
        try { parse(); return null; }
        catch (TAllowed) { return null; }
        catch (Exception e) { return $"{e.GetType().Name}: {e.Message}\n{e.StackTrace}"; }
    }

    [Property(MaxTest = 2000)]
    public Property PolicyDocument_Parse_on_garbage_throws_only_PolicyFormatException() =>
        Prop.ForAll(Mutations.ToArbitrary(), m =>
        {
            // The policy reaches the parser as a .NET string (decoded from the trail), so decode leniently first.
            var text = Encoding.UTF8.GetString(Mutate(Encoding.UTF8.GetBytes(Policy), m));
            var problem = Unexpected<PolicyFormatException>(() => PolicyDocument.Parse(text));
            return (problem is null).Label(text + "\n" + problem);
        });

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("\"\\ud800\"")]
    [InlineData("{\"Statement\":\"\\ud800\"}")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"\\udc00\"},\"Action\":\"kms:*\"}]}")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::\"},\"Action\":\"kms:*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"1.2.3.4/999\"}}}]}")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[],\"Condition\":{\"ForAllValues:ForAnyValue:StringEquals\":{}}}]}")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[]},\"Action\":\"kms:*\",\"Condition\":{\"StringEquals\":{\"\":[[]]}}}]}")]
    public void PolicyDocument_Parse_on_hostile_documents_throws_only_PolicyFormatException(string json) =>
        Assert.Null(Unexpected<PolicyFormatException>(() => PolicyDocument.Parse(json)));

    [Property(MaxTest = 1000)]
    public Property BaselineReader_on_garbage_throws_only_FormatException() =>
        Prop.ForAll(Mutations.ToArbitrary(), m =>
        {
            var bytes = Mutate(Encoding.UTF8.GetBytes(BaselineDoc), m);
            var problem = Unexpected<FormatException>(() => BaselineReader.Read(new MemoryStream(bytes), "baseline.json"));
            return (problem is null).Label(Encoding.UTF8.GetString(bytes) + "\n" + problem);
        });

    [Fact]
    public void BaselineReader_names_the_file_when_a_key_is_invalid_utf8()
    {
        var bytes = "{\"keys\":{\"a\xff\":{\"principals\":[]}}}"u8.ToArray();
        bytes[10] = 0xff;
        var e = Assert.Throws<FormatException>(() => BaselineReader.Read(new MemoryStream(bytes), "baseline.json"));
        Assert.Contains("baseline.json", e.Message);
    }

    [Property(MaxTest = 1000)]
    public Property InventoryReader_on_garbage_throws_only_InventoryFormatException() =>
        Prop.ForAll(Mutations.ToArbitrary(), m =>
        {
            var bytes = Mutate(Inventory, m);
            var problem = Unexpected<InventoryFormatException>(() => InventoryReader.Read(new MemoryStream(bytes), "inventory.json"));
            return (problem is null).Label(problem ?? "");
        });

    [Fact]
    public void InventoryReader_reports_invalid_utf8_as_a_format_error()
    {
        var text = Encoding.UTF8.GetString(Inventory);
        int at = text.IndexOf("\"Description\"", StringComparison.Ordinal);
        Assert.True(at > 0);
        var bytes = Encoding.UTF8.GetBytes(text[..at] + "\"Description\":\"x?x\"," + text[at..]);
        bytes[Encoding.UTF8.GetByteCount(text[..at]) + 16] = 0xff;
        Assert.Null(Unexpected<InventoryFormatException>(() => InventoryReader.Read(new MemoryStream(bytes), "inventory.json")));
    }

    [Fact]
    public void An_inventory_gzip_bomb_is_refused_without_inflating_it()
    {
        using var bomb = new GeneratedStream("{\"capturedAt\":\"2024-01-01T00:00:00Z\",\"Keys\":["u8.ToArray(), 2L << 30, (byte)' ', "]}"u8.ToArray(), gzip: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InventoryFormatException>(() => InventoryReader.Read(bomb, "inventory.json.gz"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 700L << 20);
    }
}
