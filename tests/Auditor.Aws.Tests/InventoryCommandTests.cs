using Auditor.Cli;
using Auditor.Core.Inventory;

namespace Auditor.Aws.Tests;

/// <summary><c>auditor inventory</c> end to end, in-process, against the loopback KMS.</summary>
public sealed class InventoryCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("auditor-inventory-");

    public InventoryCommandTests() => TestPaths.UseFakeEnvironmentCredentials();

    public void Dispose() => _dir.Delete(recursive: true);

    private (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string OutFile => Path.Combine(_dir.FullName, "nested", "inventory.json");

    [Fact]
    public async Task Writes_an_inventory_that_reads_back_and_exits_0()
    {
        await using var server = new FakeKmsServer(TestPaths.KmsApi("us-west-2.json"));
        var (exit, _, stderr) = Run("inventory", "--region", "us-west-2", "--endpoint-url", server.Url, "--out", OutFile);

        Assert.True(exit == CliConsole.Ok, stderr);
        var result = InventoryReader.ReadPath(OutFile);
        Assert.Empty(result.Errors);
        var snapshot = Assert.Single(result.Snapshots);
        Assert.Equal(3, snapshot.Keys.Count);
        Assert.InRange(snapshot.CapturedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
        Assert.Contains("3 keys (1 AWS-managed, 1 pending deletion), 3 grants, 3 aliases in 1 of 1 account/region scopes", stderr);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(OutFile)!, "*.tmp-*"));

        using var hand = File.OpenRead(TestPaths.Inventory("hand-assembled.json"));
        InventoryEquivalence.AssertSameKeys(InventoryReader.Read(hand, "hand-assembled.json"), snapshot);
    }

    [Fact]
    public async Task Exits_3_and_names_the_key_when_a_key_cannot_be_read()
    {
        await using var server = new FakeKmsServer(TestPaths.KmsApi("us-west-2.json"), TestPaths.KmsApi("us-west-2.denied-key.json"));
        var (exit, _, stderr) = Run("inventory", "--region", "us-west-2", "--endpoint-url", server.Url, "--out", OutFile);

        Assert.Equal(CliConsole.PartialInput, exit);
        Assert.Contains("arn:aws:kms:us-west-2:111122223333:key/4f5e6d7c-8b9a-4c3d-2e1f-0a9b8c7d6e5f: DescribeKey: AccessDeniedException", stderr);
        var snapshot = Assert.Single(InventoryReader.ReadPath(OutFile).Snapshots);
        Assert.Equal(4, snapshot.Keys.Count);
        Assert.Contains("AccessDeniedException", snapshot.Keys.Single(k => k.Error is not null).Error);
    }

    [Fact]
    public async Task Inventories_several_regions_in_one_run()
    {
        await using var server = new FakeKmsServer(TestPaths.KmsApi("us-west-2.json"), TestPaths.KmsApi("us-east-1.json"));
        var (exit, _, stderr) = Run("inventory", "--region", "us-west-2", "--region", "us-east-1", "--endpoint-url", server.Url, "--out", OutFile);
        Assert.True(exit == CliConsole.Ok, stderr);
        var snapshot = Assert.Single(InventoryReader.ReadPath(OutFile).Snapshots);
        Assert.Equal(["us-east-1", "us-west-2"], snapshot.Keys.Select(k => k.Region).Distinct().Order());
    }

    [Fact]
    public async Task Exits_3_when_one_region_of_several_cannot_be_listed()
    {
        await using var server = new FakeKmsServer(TestPaths.KmsApi("us-west-2.json"), TestPaths.KmsApi("us-east-1.json")) { DenyListKeysInRegion = "us-east-1" };
        var (exit, _, stderr) = Run("inventory", "--region", "us-west-2", "--region", "us-east-1", "--endpoint-url", server.Url, "--out", OutFile);

        Assert.Equal(CliConsole.PartialInput, exit);
        Assert.Contains("could not list default/us-east-1: AccessDeniedException", stderr);
        var snapshot = Assert.Single(InventoryReader.ReadPath(OutFile).Snapshots);
        Assert.Equal(3, snapshot.Keys.Count);
        Assert.Equal("default/us-east-1", Assert.Single(snapshot.Errors).Scope);
    }

    [Fact]
    public async Task Prints_a_progress_line_per_hundred_keys_when_stderr_is_not_a_terminal()
    {
        var fixture = Path.Combine(_dir.FullName, "many-keys.json");
        File.WriteAllText(fixture, ManyKeys(250));
        await using var server = new FakeKmsServer(fixture) { KeysPerPage = 100 };
        var (exit, _, stderr) = Run("inventory", "--region", "us-west-2", "--endpoint-url", server.Url, "--out", OutFile);

        Assert.True(exit == CliConsole.Ok, stderr);
        Assert.Equal(["auditor inventory: 100/250 keys read", "auditor inventory: 200/250 keys read"],
            stderr.Split('\n').Where(l => l.EndsWith("keys read", StringComparison.Ordinal)));
        Assert.Equal(3, server.Calls("ListKeys"));
        Assert.Equal(250, Assert.Single(InventoryReader.ReadPath(OutFile).Snapshots).Keys.Count);
    }

    private static string ManyKeys(int count)
    {
        var keys = Enumerable.Range(0, count).Select(i =>
        {
            var id = $"00000000-0000-4000-8000-{i:D12}";
            var arn = $"arn:aws:kms:us-west-2:111122223333:key/{id}";
            return $$$"""
                {"KeyId":"{{{id}}}",
                 "DescribeKey":{"KeyMetadata":{"AWSAccountId":"111122223333","KeyId":"{{{id}}}","Arn":"{{{arn}}}","CreationDate":1.6E9,"Enabled":true,"KeyState":"Enabled","KeyManager":"CUSTOMER","KeySpec":"SYMMETRIC_DEFAULT","KeyUsage":"ENCRYPT_DECRYPT","Origin":"AWS_KMS"}},
                 "GetKeyPolicy":{"Policy":"{\"Version\":\"2012-10-17\",\"Statement\":[]}","PolicyName":"default"}}
                """;
        });
        return $$"""{"Region":"us-west-2","Keys":[{{string.Join(",", keys)}}]}""";
    }

    [Fact]
    public async Task Exits_2_and_writes_nothing_without_any_access()
    {
        await using var server = new FakeKmsServer(TestPaths.KmsApi("us-west-2.json")) { DenyListKeys = true };
        var (exit, _, stderr) = Run("inventory", "--region", "us-west-2", "--endpoint-url", server.Url, "--out", OutFile);

        Assert.Equal(CliConsole.Usage, exit);
        Assert.Contains("could not list default/us-west-2: AccessDeniedException", stderr);
        Assert.Contains("no account or region could be listed", stderr);
        Assert.False(File.Exists(OutFile));
    }

    [Fact]
    public void Exits_2_without_out()
    {
        var (exit, _, stderr) = Run("inventory", "--region", "us-west-2");
        Assert.Equal(CliConsole.Usage, exit);
        Assert.Contains("--out FILE is required", stderr);
    }

    [Fact]
    public void Exits_2_on_a_role_arn_that_is_not_a_role()
    {
        var (exit, _, stderr) = Run("inventory", "--region", "us-west-2", "--role-arn", "arn:aws:iam::111122223333:user/bob", "--out", OutFile);
        Assert.Equal(CliConsole.Usage, exit);
        Assert.Contains("is not an IAM role ARN", stderr);
    }

    [Fact]
    public void Exits_2_on_an_unknown_profile()
    {
        var (exit, _, stderr) = Run("inventory", "--region", "us-west-2", "--profile", "no-such-profile", "--out", OutFile);
        Assert.Equal(CliConsole.Usage, exit);
        Assert.Contains("profile 'no-such-profile' not found", stderr);
    }

    [Fact]
    public async Task Honours_AWS_ENDPOINT_URL_KMS_when_no_endpoint_is_given()
    {
        await using var server = new FakeKmsServer(TestPaths.KmsApi("us-west-2.json"));
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_KMS", server.Url);
        try
        {
            var (exit, _, stderr) = Run("inventory", "--region", "us-west-2", "--out", OutFile);
            Assert.True(exit == CliConsole.Ok, stderr);
            Assert.True(server.Calls("ListKeys") > 0);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_KMS", null);
        }
    }
}
