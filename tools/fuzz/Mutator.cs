using System.Text;
using System.Text.Json;

namespace Auditor.Fuzz;

/// <summary>The mutations the fuzzer applies; the name of each is kept with a crashing input so it can be told apart.</summary>
public enum MutationKind
{
    FlipBit, SetInterestingByte, InsertBytes, DeleteRange, DuplicateRange, Splice, Truncate,
    ReplaceValueWithOtherType, ReplacePropertyName, DeepenNesting, InvalidUtf8InString,
}

/// <summary>
/// Byte- and token-level mutations of a JSON text, driven by a seeded <see cref="Random"/> so every run is
/// reproducible from its seed. Token-level ones keep the document mostly well-formed so the mutation reaches
/// the record parser and the rules rather than stopping at the tokenizer.
/// </summary>
public sealed class Mutator(Random random)
{
    private static readonly byte[] InterestingBytes = [0x00, 0xff, 0x80, 0xc0, 0xc3, 0xed, 0xf4, 0xf8, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'0', (byte)'-', (byte)'e', (byte)' ', 0x1f, 0x8b];

    /// <summary>Values of every JSON type, including ones that are valid but hostile to a typed reader.</summary>
    private static readonly string[] Replacements =
    [
        "0", "-1", "1.5", "1e400", "-1e-400", "123456789012345678901234567890", "true", "false", "null",
        "\"\"", "\"x\"", "\"true\"", "\"2024-13-45T99:99:99Z\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"",
        "\"\\ud800\"", "\"\\u0000\"", "\"kms.amazonaws.com\"", "\"*\"", "\"arn:aws:kms:us-east-1:111122223333:key/x\"",
        "\"alias/\"", "\"arn:\"", "\"arn:aws:iam::111122223333:root\"", "{}", "[]", "[null]", "[1,2]", "{\"a\":{\"b\":[]}}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[]}", "\"{\\\"Statement\\\":{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"kms:*\\\"}}\"",
        "\"Dec 1, 2014 12:00:00 AM\"", "-0", "[[[[[[[[[[[]]]]]]]]]]]",
    ];

    private static readonly string[] PropertyNames =
    [
        "\"eventTime\"", "\"eventID\"", "\"eventName\"", "\"eventSource\"", "\"Records\"", "\"userIdentity\"", "\"requestParameters\"",
        "\"keyId\"", "\"encryptionContext\"", "\"policy\"", "\"operations\"", "\"resources\"", "\"grantId\"", "\"errorCode\"",
        "\"\"", "\"\\u0000\"", "\"digestStartTime\"",
    ];

    public (byte[] Bytes, MutationKind Kind) Mutate(byte[] input, IReadOnlyList<(string Name, byte[] Bytes)> others)
    {
        var kind = (MutationKind)random.Next(Enum.GetValues<MutationKind>().Length);
        if (input.Length == 0) kind = MutationKind.InsertBytes;
        return (Apply(kind, input, others), kind);
    }

    public byte[] Apply(MutationKind kind, byte[] input, IReadOnlyList<(string Name, byte[] Bytes)> others)
    {
        switch (kind)
        {
            case MutationKind.FlipBit:
            {
                var copy = (byte[])input.Clone();
                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            }
            case MutationKind.SetInterestingByte:
            {
                var copy = (byte[])input.Clone();
                copy[random.Next(copy.Length)] = InterestingBytes[random.Next(InterestingBytes.Length)];
                return copy;
            }
            case MutationKind.InsertBytes:
            {
                var insert = new byte[random.Next(1, 9)];
                for (int i = 0; i < insert.Length; i++) insert[i] = random.Next(2) == 0 ? InterestingBytes[random.Next(InterestingBytes.Length)] : (byte)random.Next(256);
                return Replace(input, random.Next(input.Length + 1), 0, insert);
            }
            case MutationKind.DeleteRange:
            {
                int at = random.Next(input.Length);
                return Replace(input, at, random.Next(1, Math.Min(64, input.Length - at) + 1), []);
            }
            case MutationKind.DuplicateRange:
            {
                int at = random.Next(input.Length);
                int len = random.Next(1, Math.Min(4096, input.Length - at) + 1);
                return Replace(input, at, 0, input.AsSpan(at, len).ToArray());
            }
            case MutationKind.Splice:
            {
                var other = others[random.Next(others.Count)].Bytes;
                if (other.Length == 0) return input;
                int from = random.Next(other.Length);
                int len = random.Next(1, Math.Min(8192, other.Length - from) + 1);
                int at = random.Next(input.Length + 1);
                return Replace(input, at, random.Next(Math.Min(len, input.Length - at) + 1), other.AsSpan(from, len).ToArray());
            }
            case MutationKind.Truncate:
                return input.AsSpan(0, random.Next(input.Length)).ToArray();
            case MutationKind.ReplaceValueWithOtherType:
                return ReplaceToken(input, values: true, s => Encoding.UTF8.GetBytes(Replacements[random.Next(Replacements.Length)]));
            case MutationKind.ReplacePropertyName:
                return ReplaceToken(input, values: false, s => Encoding.UTF8.GetBytes(PropertyNames[random.Next(PropertyNames.Length)] + ":"));
            case MutationKind.DeepenNesting:
                return ReplaceToken(input, values: true, s =>
                {
                    int depth = random.Next(30, 300);
                    var inner = input.AsSpan(s.Start, s.Length);
                    var wrapped = new byte[depth * 2 + inner.Length];
                    wrapped.AsSpan(0, depth).Fill((byte)'[');
                    inner.CopyTo(wrapped.AsSpan(depth));
                    wrapped.AsSpan(depth + inner.Length).Fill((byte)']');
                    return wrapped;
                });
            case MutationKind.InvalidUtf8InString:
                return ReplaceToken(input, values: random.Next(2) == 0, s =>
                {
                    var bad = new byte[][] { [0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80] }[random.Next(6)];
                    return s.IsPropertyName
                        ? [(byte)'"', (byte)'k', .. bad, (byte)'"', (byte)':']
                        : [(byte)'"', (byte)'v', .. bad, (byte)'v', (byte)'"'];
                });
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private byte[] ReplaceToken(byte[] input, bool values, Func<TokenSpan, byte[]> replacement)
    {
        var spans = JsonTokenSpans.Find(input).Where(s => s.IsPropertyName != values).ToList();
        if (spans.Count == 0) return input;
        var span = spans[random.Next(spans.Count)];
        return Replace(input, span.Start, span.Length, replacement(span));
    }

    private static byte[] Replace(byte[] input, int at, int remove, ReadOnlySpan<byte> insert)
    {
        var output = new byte[input.Length - remove + insert.Length];
        input.AsSpan(0, at).CopyTo(output);
        insert.CopyTo(output.AsSpan(at));
        input.AsSpan(at + remove).CopyTo(output.AsSpan(at + insert.Length));
        return output;
    }
}
