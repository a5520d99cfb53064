namespace Auditor.TrailGen;

/// <summary>
/// The accounts, principals, buckets and keys every generated file draws from. Built from the seed alone, so
/// every file (generated on any thread, in any order) agrees on who exists and which keys they use.
/// </summary>
public sealed class World
{
    public static readonly string[] AllRegions = ["us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2", "eu-central-1", "ca-central-1"];

    public sealed record Role(string Account, string Name, string RoleId)
    {
        public string Arn => $"arn:aws:iam::{Account}:role/{Name}";
    }

    public sealed record User(string Account, string Name, string UserId, string AccessKey)
    {
        public string Arn => $"arn:aws:iam::{Account}:user/{Name}";
    }

    public sealed record Key(string Account, string Region, string KeyId, string Alias, Role UserRole, Role AdminRole)
    {
        public string Arn => $"arn:aws:kms:{Region}:{Account}:key/{KeyId}";
    }

    public sealed record Stream(int Index, string Account, string Region);

    public string[] Accounts { get; }
    public string[] Regions { get; }
    public Dictionary<string, Role[]> AppRoles { get; } = [];
    public Dictionary<string, User[]> Users { get; } = [];
    public Dictionary<string, string[]> Buckets { get; } = [];
    public Dictionary<(string Account, string Region), Key[]> Keys { get; } = [];
    /// <summary>One (account, region) pair per CloudTrail delivery stream.</summary>
    public List<Stream> Streams { get; } = [];
    /// <summary>A user whose calls are mostly denied: the probing credential a security team looks for.</summary>
    public Dictionary<string, User> Prober { get; } = [];

    public World(GeneratorOptions o)
    {
        var rng = new Random(o.Seed);
        Accounts = Enumerable.Range(0, o.Accounts).Select(_ => rng.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Regions = AllRegions[..o.Regions];
        string[] roleNames = ["app-orders-api", "app-billing-worker", "data-pipeline-etl", "ci-deploy", "lambda-thumbnailer", "ecs-task-reports", "analytics-athena"];
        string[] userNames = ["alice", "bob", "carol", "dave", "erin", "backup-svc"];
        foreach (var a in Accounts)
        {
            AppRoles[a] = roleNames.Select(n => new Role(a, n, "AROA" + Ids.Upper(rng, 17))).ToArray();
            Users[a] = userNames.Select(n => new User(a, n, "AIDA" + Ids.Upper(rng, 17), "AKIA" + Ids.Upper(rng, 16))).ToArray();
            Prober[a] = new User(a, "legacy-report-user", "AIDA" + Ids.Upper(rng, 17), "AKIA" + Ids.Upper(rng, 16));
            Buckets[a] = new[] { "orders-data", "billing-exports", "datalake-raw", "datalake-curated", "app-logs" }.Select(b => $"{b}-{a}").ToArray();
            foreach (var r in Regions)
            {
                var admin = new Role(a, "KeyAdministrators", "AROA" + Ids.Upper(rng, 17));
                Keys[(a, r)] = Enumerable.Range(0, o.KeysPerRegion)
                    .Select(i => new Key(a, r, Ids.Guid(rng), $"alias/{KeyPurpose(i)}", AppRoles[a][i % roleNames.Length], admin)).ToArray();
                Streams.Add(new Stream(Streams.Count, a, r));
            }
        }
    }

    private static string KeyPurpose(int i) => i switch { 0 => "orders", 1 => "billing", 2 => "datalake", 3 => "ebs-default", _ => $"app-{i}" };
}

/// <summary>Identifier shapes AWS uses, drawn from a seeded generator.</summary>
public static class Ids
{
    private const string UpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string Hex = "0123456789abcdef";

    public static string Upper(Random rng, int n) => string.Create(n, rng, (span, r) => { for (int i = 0; i < span.Length; i++) span[i] = UpperAlnum[r.Next(UpperAlnum.Length)]; });

    public static string HexString(Random rng, int n) => string.Create(n, rng, (span, r) => { for (int i = 0; i < span.Length; i++) span[i] = Hex[r.Next(16)]; });

    public static string Guid(Random rng)
    {
        Span<byte> b = stackalloc byte[16];
        rng.NextBytes(b);
        return new System.Guid(b).ToString();
    }
}
