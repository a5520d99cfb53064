using Auditor.Core.Authorization;
using Auditor.Core.Conformance;

namespace Auditor.Core.Tests.Policy;

/// <summary>Small builders for requests in tests.</summary>
internal static class TestRequests
{
    public const string KeyArn = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    public static RequestContext For(string principal, string action, Dictionary<string, string[]>? context = null,
        string[]? unknownKeys = null, string? roleArn = null, Dictionary<string, string>? encryptionContext = null, string resource = KeyArn)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (context is not null) foreach (var (k, v) in context) values[k] = v;
        return new RequestContext
        {
            Action = action,
            Resource = resource,
            Caller = ConformanceCaseLoader.CallerOf(principal, null, roleArn, null, null),
            Values = values,
            UnknownKeys = new HashSet<string>(unknownKeys ?? [], StringComparer.OrdinalIgnoreCase),
            EncryptionContext = encryptionContext,
        };
    }

    /// <summary>Walks up from the test binary to the directory holding Auditor.sln.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Auditor.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Auditor.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>../shared next to the repository root (HELPERS.md).</summary>
    public static string SharedDir() => Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared"));
}
