using Auditor.Core.Pipeline;
using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Cli.Reporting;

/// <summary>
/// Wraps the engine's <see cref="ICallJudge"/> and keeps the judgement of every call, so the report gets
/// the same authorization the replay's rules saw without the engine having to expose it. When a call is
/// judged again (a late change re-judges it), the last judgement wins, as it does for findings.
/// </summary>
internal sealed class RecordingCallJudge(ICallJudge inner) : ICallJudge
{
    public Dictionary<string, (string? KeyArn, Judgement Judgement)> ByEventId { get; } = new(StringComparer.Ordinal);

    public Judgement Judge(KmsEvent call, string? keyArn, KeyState? key)
    {
        var judgement = inner.Judge(call, keyArn, key);
        ByEventId[call.EventId] = (keyArn, judgement);
        return judgement;
    }
}
