using System.Text;
using Auditor.Core.Trail;

namespace Auditor.Fuzz;

/// <summary>A complete, deterministic text form of a <see cref="KmsEvent"/> (dictionaries and lists included).</summary>
public static class EventText
{
    public static string Of(KmsEvent e)
    {
        var sb = new StringBuilder();
        sb.Append(e with { Request = KmsRequest.Empty, Resources = [] });
        var r = e.Request;
        sb.Append(r with
        {
            EncryptionContext = null, SourceEncryptionContext = null, DestinationEncryptionContext = null, Operations = null,
            ConstraintEncryptionContextSubset = null, ConstraintEncryptionContextEquals = null,
        });
        Map(sb, r.EncryptionContext); Map(sb, r.SourceEncryptionContext); Map(sb, r.DestinationEncryptionContext);
        Map(sb, r.ConstraintEncryptionContextSubset); Map(sb, r.ConstraintEncryptionContextEquals);
        sb.Append('[').AppendJoin(',', r.Operations ?? []).Append(']');
        foreach (var res in e.Resources) sb.Append(res);
        return sb.ToString();
    }

    private static void Map(StringBuilder sb, IReadOnlyDictionary<string, string>? map)
    {
        sb.Append('{');
        if (map is not null)
            foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal)) sb.Append(k).Append('=').Append(v).Append(';');
        sb.Append('}');
    }
}
