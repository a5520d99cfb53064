using System.Text;
using Auditor.Core.Trail;

namespace Auditor.Fuzz;

/// <summary>
/// Runs the <see cref="TrailReader"/> over one input and checks what must hold for any input at all:
/// no exception escapes (a bad file is a result with <c>Error</c> or <c>RecordErrors</c>); the counts agree
/// with each other; no more KMS events than records; and the same bytes always give the same output.
/// </summary>
public static class ReaderOracle
{
    /// <summary>Reads <paramref name="input"/> and returns what broke, or null when every property held.</summary>
    public static string? Check(byte[] input, TrailReaderLimits? limits = null) => Check(input, limits, out _, out _);

    public static string? Check(byte[] input, TrailReaderLimits? limits, out TrailReadResult? result, out List<KmsEvent> events)
    {
        events = [];
        result = null;
        string first;
        try
        {
            (result, events, first) = ReadOnce(input, limits);
        }
        catch (Exception e)
        {
            return $"unhandled {e.GetType().Name}: {e.Message}\n{e.StackTrace}";
        }

        if (result.Error is { Length: 0 }) return "Error is empty: a failure must say why";
        if (result.RecordsRead < 0 || result.KmsRecords < 0) return "negative counts";
        if (result.KmsRecords > result.RecordsRead) return $"{result.KmsRecords} KMS records but only {result.RecordsRead} records";
        if (events.Count > result.KmsRecords) return $"{events.Count} KMS events delivered but KmsRecords is {result.KmsRecords}";
        // Every KMS record either became an event or is named in RecordErrors (or the file stopped in it).
        long unexplained = result.KmsRecords - events.Count - result.RecordErrors.Count;
        if (unexplained > 0 && result.Error is null) return $"{unexplained} KMS record(s) neither delivered nor reported";
        foreach (var re in result.RecordErrors)
        {
            if (re.RecordIndex < 0 || re.RecordIndex >= Math.Max(result.RecordsRead, 1)) return $"record error index {re.RecordIndex} outside 0..{result.RecordsRead - 1}";
            if (string.IsNullOrWhiteSpace(re.Reason)) return $"record {re.RecordIndex}: empty reason";
        }
        if (result.Kind != TrailFileKind.Log && events.Count > 0) return $"{events.Count} events from a file classified {result.Kind}";
        if (result.BytesRead < 0) return "negative BytesRead";
        foreach (var e in events)
        {
            if (e.EventId is null || e.EventName is null) return "an event without eventID or eventName was delivered";
        }

        try
        {
            var (_, _, second) = ReadOnce(input, limits);
            if (second != first) return "the same input gave a different output on a second read";
        }
        catch (Exception e)
        {
            return $"unhandled {e.GetType().Name} on the second read: {e.Message}";
        }
        return null;
    }

    private static (TrailReadResult, List<KmsEvent>, string) ReadOnce(byte[] input, TrailReaderLimits? limits)
    {
        var events = new List<KmsEvent>();
        var result = new TrailReader(limits).Read(new MemoryStream(input, writable: false), "fuzz.json", events.Add);
        return (result, events, Canonical(result, events));
    }

    /// <summary>A text form of everything the reader produced; records hold dictionaries, so record equality is not enough.</summary>
    public static string Canonical(TrailReadResult r, IEnumerable<KmsEvent> events)
    {
        var sb = new StringBuilder();
        sb.Append(r.Kind).Append('|').Append(r.RecordsRead).Append('|').Append(r.KmsRecords).Append('|').Append(r.BytesRead).Append('|').Append(r.Error).Append('\n');
        foreach (var re in r.RecordErrors) sb.Append(re.RecordIndex).Append(':').Append(re.Reason).Append('\n');
        foreach (var e in events) sb.Append(EventText.Of(e)).Append('\n');
        return sb.ToString();
    }
}
