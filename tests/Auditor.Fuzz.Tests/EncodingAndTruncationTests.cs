using System.Text;
using Auditor.Core.Trail;
using Auditor.Fuzz;
using static Auditor.Fuzz.Tests.TrailRecords;

namespace Auditor.Fuzz.Tests;

/// <summary>Issue 10, item 1: truncated gzip and JSON at many cut points, and invalid UTF-8 in values and names.</summary>
public class EncodingAndTruncationTests
{
    private static byte[] SampleLog() => Utf8(Log(S3, Kms("e1"), S3, Kms("e2", "Decrypt"), Kms("e3", "RetireGrant"), S3));

    /// <summary>Every cut point of a small gzip file and 200 spread over the plain text: each is an error or a complete read, never a silent loss.</summary>
    [Fact]
    public void Truncated_gzip_at_every_cut_point_is_reported_or_complete()
    {
        var full = Read(SampleLog());
        var gz = Gzip(SampleLog());
        int cuts = 0;
        for (int cut = 0; cut < gz.Length; cut++, cuts++)
        {
            var (r, events) = Read(gz.AsSpan(0, cut).ToArray());
            if (r.Error is null)
                Assert.Equal(full.Events.Select(e => e.EventId), events.Select(e => e.EventId)); // only the gzip trailer was cut
            else
                Assert.True(events.Count <= full.Events.Count);
        }
        Assert.True(cuts > 500, $"only {cuts} cut points");
    }

    [Fact]
    public void Truncated_json_at_every_cut_point_is_reported_with_where_it_ends()
    {
        var bytes = SampleLog();
        var full = Read(bytes);
        for (int cut = 0; cut < bytes.Length - 1; cut++)
        {
            var (r, events) = Read(bytes.AsSpan(0, cut).ToArray());
            Assert.NotNull(r.Error);
            Assert.Matches("truncated|empty|invalid JSON near byte", r.Error);
            Assert.True(events.Count <= full.Events.Count);
            Assert.Equal(full.Events.Take(events.Count).Select(e => e.EventId), events.Select(e => e.EventId));
        }
    }

    public static TheoryData<string, byte[]> InvalidUtf8() => new()
    {
        { "lone continuation byte", [0x80] },
        { "overlong encoding", [0xc0, 0xaf] },
        { "truncated sequence", [0xe2, 0x82] },
        { "UTF-16 surrogate as UTF-8", [0xed, 0xa0, 0x80] },
        { "beyond U+10FFFF", [0xf4, 0x90, 0x80, 0x80] },
        { "0xFF", [0xff] },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Invalid_utf8_inside_a_string_value_spoils_only_its_record(string what, byte[] bad)
    {
        _ = what;
        foreach (var field in new[] { "\"eventName\":\"", "\"arn\":\"arn:aws:sts::111122223333:assumed-role/App/", "\"aws:s3:arn\":\"", "\"userAgent\":\"" })
        {
            var record = Utf8(Kms("bad"));
            int at = IndexOf(record, Utf8(field)) + Utf8(field).Length;
            Assert.True(at >= Utf8(field).Length, field);
            var mutated = Concat(Utf8("{\"Records\":["), record.AsSpan(0, at).ToArray(), bad, record.AsSpan(at).ToArray(), Utf8("," + Kms("ok") + "]}"));
            var (r, events) = Read(mutated);
            Assert.Contains(events, e => e.EventId == "ok");
            if (!events.Any(e => e.EventId == "bad"))
                Assert.True(r.RecordErrors.Any(e => e.RecordIndex == 0) || r.Error is not null, $"{field}: record dropped silently");
        }
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Invalid_utf8_inside_a_property_name_never_throws(string what, byte[] bad)
    {
        _ = what;
        foreach (var name in new[] { "\"encryptionContext\":{\"", "\"requestParameters\":{\"", "{\"eventVersion" })
        {
            var record = Utf8(Kms("bad"));
            int at = IndexOf(record, Utf8(name)) + Utf8(name).Length;
            var mutated = Concat(Utf8("{\"Records\":["), record.AsSpan(0, at).ToArray(), bad, Utf8("x\":1,\""), record.AsSpan(at).ToArray(), Utf8("," + Kms("ok") + "]}"));
            Assert.Null(ReaderOracle.Check(mutated));
            var (r, events) = Read(mutated);
            if (!events.Any(e => e.EventId == "bad"))
                Assert.True(r.RecordErrors.Any(e => e.RecordIndex == 0) || r.Error is not null, $"{name}: record dropped silently");
        }
    }

    [Fact]
    public void A_bom_and_invalid_bytes_outside_strings_are_reported()
    {
        foreach (var prefix in new byte[][] { [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0x00] })
        {
            var (r, _) = Read(Concat(prefix, SampleLog()));
            // A UTF-8 BOM is legal and skipped; anything else is named as invalid JSON.
            if (prefix[0] != 0xef) Assert.NotNull(r.Error);
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
