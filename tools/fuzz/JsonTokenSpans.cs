using System.Text.Json;

namespace Auditor.Fuzz;

/// <summary>Where a JSON value or property name sits in a byte buffer: what token-level mutations replace.</summary>
public readonly record struct TokenSpan(int Start, int Length, JsonTokenType Type, bool IsPropertyName);

/// <summary>
/// Lists the value and property-name spans of a JSON text (as far as it is valid), so a mutation can
/// swap one value for another of a different type — the "wrong type in any field" of issue 10 —
/// and still leave the rest of the document well-formed.
/// </summary>
public static class JsonTokenSpans
{
    public static List<TokenSpan> Find(byte[] json, int maxSpans = 200_000)
    {
        var spans = new List<TokenSpan>();
        var starts = new Stack<(int Start, JsonTokenType Type)>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 512, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            while (spans.Count < maxSpans && reader.Read())
            {
                int start = (int)reader.TokenStartIndex;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        starts.Push((start, reader.TokenType));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (starts.Count > 0)
                        {
                            var (s, t) = starts.Pop();
                            spans.Add(new TokenSpan(s, (int)reader.BytesConsumed - s, t, false));
                        }
                        break;
                    case JsonTokenType.PropertyName:
                        spans.Add(new TokenSpan(start, (int)reader.BytesConsumed - start, JsonTokenType.PropertyName, true));
                        break;
                    default:
                        spans.Add(new TokenSpan(start, (int)reader.BytesConsumed - start, reader.TokenType, false));
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Already mutated or invalid: the spans before the fault are still good targets.
        }
        return spans;
    }
}
