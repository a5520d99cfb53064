using Auditor.Core.Reporting;

namespace Auditor.Core.Tests.Reporting;

public sealed class ReportTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("cr\rhere", "\"cr\rhere\"")]
    [InlineData("", "")]
    public void Csv_quotes_per_RFC_4180(string input, string expected) => Assert.Equal(expected, ReportText.Csv(input));

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("=HYPERLINK(\"http://e\",\"x\")", "\"'=HYPERLINK(\"\"http://e\"\",\"\"x\"\")\"")]
    [InlineData("a=b", "a=b")]
    public void Csv_neutralises_formula_starts(string input, string expected) => Assert.Equal(expected, ReportText.Csv(input));

    [Fact]
    public void Csv_numbers_we_write_are_not_neutralised() => Assert.Equal("-5", ReportText.Csv(-5L));

    [Fact]
    public void Html_encodes_markup_quotes_and_drops_control_characters()
    {
        Assert.Equal("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;", ReportText.Html("<script>alert('x')</script> & \"q\""));
        Assert.Equal("ab", ReportText.Html("a\u0000\u001bb"));
    }

    [Fact]
    public void Markdown_escapes_table_and_link_syntax()
    {
        var s = ReportText.Markdown("[x](http://e) | <b> `c`\n*y*");
        Assert.Equal("\\[x\\]\\(http://e\\) \\| &lt;b&gt; \\`c\\` \\*y\\*", s);
    }

    [Fact]
    public void Day_ranges_collapse_consecutive_days()
    {
        var days = new[] { new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 3), new DateOnly(2026, 1, 5) };
        Assert.Equal(["2026-01-01 – 2026-01-03 (3 days)", "2026-01-05"], ReportText.DayRanges(days));
    }
}
