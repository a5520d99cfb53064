using System.Security.Cryptography;
using System.Text;

namespace Auditor.Core.Findings;

/// <summary>
/// Finding ids are content hashes, so the same rule on the same event gives the same id on every run, in
/// every host, whatever the file order — which is what lets a redelivery overwrite instead of duplicate.
/// </summary>
public static class FindingIds
{
    public static string For(string rule, string eventId, string? keyArn, string? discriminator = null)
    {
        var text = $"{rule}\n{eventId}\n{keyArn}\n{discriminator}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return "kta-" + Convert.ToHexStringLower(hash[..12]);
    }
}
