namespace Auditor.Report.Tests;

/// <summary>
/// Renders the HTML report in headless Chromium and checks, from inside the page, that the matrix and the
/// charts are there, that nothing was fetched and that the console is clean. Fails (never skips) when
/// Chromium is missing. Keeps a screenshot under the test output directory (<c>artifacts/report.png</c>).
/// </summary>
public sealed class HtmlReportInBrowserTests(ReportScenario scenario) : IClassFixture<ReportScenario>
{
    [Fact]
    public async Task Report_renders_in_Chromium_with_matrix_and_charts_and_a_clean_console()
    {
        var (run, _) = scenario.Report("browser.html", "--from", "2026-10-01", "--to", "2026-10-05");
        Assert.True(run.ExitCode == 0, run.Error);
        var path = Path.Combine(scenario.ReportDir, "browser.html");

        await using var browser = await HeadlessChromium.StartAsync();
        await browser.OpenAsync(new Uri(path).AbsoluteUri);

        // Counted by the page itself, after layout: the matrix has cells with counts, the charts have bars that take up space.
        var matrixCells = (await browser.EvaluateAsync("document.querySelectorAll('table.matrix td.cell').length")).GetInt32();
        Assert.Equal(11, matrixCells);
        var appDecrypt = (await browser.EvaluateAsync(
            "[...document.querySelectorAll('table.matrix tr')].filter(r => r.querySelector('th')?.textContent === '" + ReportScenario.AppRole + "')" +
            ".map(r => [...r.querySelectorAll('td')].map(td => td.dataset.count || '').join(','))[0] || ''")).GetString();
        Assert.Contains("2", appDecrypt!);
        var bars = (await browser.EvaluateAsync("document.querySelectorAll('#chart-calls-per-day rect.bar').length")).GetInt32();
        Assert.Equal(3, bars); // three days with calls, one key
        var chartWidth = (await browser.EvaluateAsync("document.getElementById('chart-calls-per-day').getBoundingClientRect().width")).GetDouble();
        Assert.True(chartWidth > 300, $"the calls-per-day chart is {chartWidth}px wide");
        var ruleBars = (await browser.EvaluateAsync("document.querySelectorAll('#chart-findings-per-rule rect.bar').length")).GetInt32();
        Assert.True(ruleBars >= 1);
        // The hostile principal is text, not an element.
        Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('img').length")).GetInt32());
        Assert.Contains("onerror=alert(1)", (await browser.EvaluateAsync("document.body.textContent")).GetString()!);

        var png = await browser.ScreenshotAsync(maxHeight: 2400);
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllBytesAsync(Path.Combine(artifacts, "report.png"), png);
        Assert.True(png.Length > 10_000 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G');

        Assert.True(browser.Errors.Count == 0, "console errors:\n" + string.Join("\n", browser.Errors));
        Assert.All(browser.Requests, url => Assert.StartsWith("file://", url, StringComparison.Ordinal));
    }
}
