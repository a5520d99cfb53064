using System.Text;
using System.Text.Json;
using Auditor.Core.Findings;

namespace Auditor.Core.Tests.Formats;

/// <summary>Runs a writer into memory and reads its JSON lines back; checks fields by path and JSON type.</summary>
internal static class FormatTestSupport
{
    public static List<JsonDocument> Lines(Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        Assert.EndsWith("\n", text);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();
    }

    public static string Text(Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The element at a dotted path (<c>a.b.0.c</c>); fails naming the path when it is missing.</summary>
    public static JsonElement At(JsonElement root, string path)
    {
        var e = root;
        foreach (var part in path.Split('.'))
        {
            if (int.TryParse(part, out int i))
            {
                Assert.True(e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > i, $"{path}: no element {i} in {e}");
                e = e[i];
            }
            else
            {
                JsonElement next = default;
                bool found = e.ValueKind == JsonValueKind.Object && e.TryGetProperty(part, out next);
                Assert.True(found, $"{path}: no \"{part}\" in {Clip(e)}");
                e = next;
            }
        }
        return e;
    }

    public static void Requires(JsonElement root, string path, JsonValueKind kind, string rule)
    {
        var e = At(root, path);
        Assert.True(e.ValueKind == kind, $"{rule}: {path} is {e.ValueKind}, expected {kind}");
        if (kind == JsonValueKind.String) Assert.False(string.IsNullOrEmpty(e.GetString()), $"{rule}: {path} is empty");
        if (kind == JsonValueKind.Array) Assert.True(e.GetArrayLength() > 0, $"{rule}: {path} is an empty array");
    }

    public static Finding Sample(string title = "A title", string explanation = "An explanation.", string? keyArn = Rules.TestTrail.KeyArn) => new()
    {
        Id = "kta-000000000000000000000001",
        Rule = "unexpected-principal",
        Severity = Severity.High,
        EventId = "ev-1",
        EventTime = Rules.TestTrail.T0,
        EventName = "Decrypt",
        AwsRegion = "eu-west-1",
        KeyArn = keyArn,
        Principal = Rules.TestTrail.UserArn("bob"),
        Authorization = new Authorization.AuthorizationResult(Authorization.Decision.DelegatedToIam, Authorization.AuthorizationPath.IamDelegation, "Enable IAM User Permissions"),
        Title = title,
        Explanation = explanation,
        Evidence = ["ev-0"],
    };

    private static string Clip(JsonElement e) { var s = e.ToString(); return s.Length > 300 ? s[..300] + "…" : s; }
}
