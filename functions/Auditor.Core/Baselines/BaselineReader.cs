using System.Text.Json;

namespace Auditor.Core.Baselines;

/// <summary>Reads a baseline file (CONTRACT section 5); problems are reported with the file's name.</summary>
public static class BaselineReader
{
    public static Baseline Read(Stream input, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(input, new JsonDocumentOptions { MaxDepth = 32 }); }
        catch (JsonException e) { throw new FormatException($"{source}: invalid JSON: {e.Message}"); }
        using (doc)
        {
            try { return Read(doc.RootElement, source); }
            catch (InvalidOperationException e) { throw new FormatException($"{source}: invalid text: {e.Message}"); }
        }
    }

    private static Baseline Read(JsonElement root0, string source)
    {
        {
            var root = root0;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: a baseline is a JSON object with \"keys\" and \"default\"");
            var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (root.TryGetProperty("keys", out var k))
            {
                if (k.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: \"keys\" must be an object");
                foreach (var entry in k.EnumerateObject())
                    keys[entry.Name] = Principals(entry.Value, $"{source}: keys.{entry.Name}");
            }
            var defaults = root.TryGetProperty("default", out var d) ? Principals(d, $"{source}: default") : [];
            return new Baseline(keys, defaults);
        }
    }

    private static IReadOnlyList<string> Principals(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("principals", out var p) || p.ValueKind != JsonValueKind.Array)
            throw new FormatException($"{where}: expected {{\"principals\": [...]}}");
        var list = new List<string>();
        foreach (var x in p.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.String) throw new FormatException($"{where}: principals must be strings");
            list.Add(x.GetString()!);
        }
        return list;
    }
}
