using Auditor.Core.Findings;

namespace Auditor.Functions.Reporting;

/// <summary>
/// Keeps one finding per id. The same id recurs when S3/SQS redeliver a log object under another key, when an
/// overlapping copy is ingested, and when a late RetireGrant re-judges a call (the re-judged finding lands in the
/// later object). The copy kept is the one from the object written last (LastModified), ties broken by the greater
/// key, then the later line: a total order, so the result never depends on the order objects were read in.
/// </summary>
public sealed class FindingsDeduplicator
{
    private readonly Dictionary<string, Candidate> _byId = new(StringComparer.Ordinal);

    /// <summary>Findings seen in total, duplicates included.</summary>
    public long Seen { get; private set; }

    /// <summary>Copies dropped because another copy of the same id won.</summary>
    public long Duplicates => Seen - _byId.Count;

    /// <summary>Adds the findings of one object, in line order.</summary>
    public void Add(string objectKey, DateTimeOffset? lastModified, IReadOnlyList<Finding> findings)
    {
        for (int i = 0; i < findings.Count; i++)
        {
            Seen++;
            var c = new Candidate(findings[i], lastModified ?? DateTimeOffset.MinValue, objectKey, i);
            if (!_byId.TryGetValue(c.Finding.Id, out var held) || c.Beats(held)) _byId[c.Finding.Id] = c;
        }
    }

    /// <summary>The findings kept whose eventTime is in [<paramref name="from"/>, <paramref name="to"/>), in <c>findings.jsonl</c> order.</summary>
    public List<Finding> Within(DateTimeOffset from, DateTimeOffset to)
    {
        var kept = _byId.Values.Select(c => c.Finding).Where(f => f.EventTime >= from && f.EventTime < to).ToList();
        kept.Sort(Finding.Compare);
        return kept;
    }

    private readonly record struct Candidate(Finding Finding, DateTimeOffset LastModified, string Key, int Line)
    {
        public bool Beats(Candidate other)
        {
            int c = LastModified.CompareTo(other.LastModified);
            if (c == 0) c = string.CompareOrdinal(Key, other.Key);
            if (c == 0) c = Line.CompareTo(other.Line);
            return c > 0;
        }
    }
}
