using System.Reflection;
using Auditor.Fuzz;

namespace Auditor.Fuzz.Tests;

/// <summary>
/// Every input in <c>tests/fuzz-corpus</c> once broke something. Each is replayed through the reader's and the
/// engine's properties; a corpus file that is not listed here fails <see cref="Every_corpus_file_is_listed"/>,
/// so nothing the fuzz driver writes is silently ignored. A bug not fixed yet is listed with <c>Skip</c>.
/// </summary>
public class CorpusTests
{
    [Theory]
    [InlineData("deletion-date-out-of-range.json")]
    [InlineData("event-time-year-one.json")]
    [InlineData("event-time-year-9999.json")]
    [InlineData("policy-lone-surrogate.json")]
    public void Corpus_input_is_read_and_judged_without_an_unhandled_exception(string file)
    {
        var bytes = SeedCorpus.Decompress(File.ReadAllBytes(Path.Combine(RepoLocator.CorpusDir, file)));
        Assert.Null(ReaderOracle.Check(bytes, null, out var result, out var events));
        Assert.Null(EngineOracle.Check(events, out _));
        Assert.NotNull(result);
    }

    [Fact]
    public void Every_corpus_file_is_listed()
    {
        var listed = typeof(CorpusTests).GetMethod(nameof(Corpus_input_is_read_and_judged_without_an_unhandled_exception))!
            .GetCustomAttributes<InlineDataAttribute>().Select(a => (string)a.GetData(null!).Single()[0]).ToHashSet();
        var files = Directory.EnumerateFiles(RepoLocator.CorpusDir)
            .Select(Path.GetFileName)
            .Where(f => f is not null && !f.EndsWith(".txt", StringComparison.Ordinal) && !f.EndsWith(".md", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Contains(f!, listed));
    }
}
