using Auditor.Core.Findings;
using Auditor.Core.Pipeline;
using Auditor.Core.Rules;
using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Fuzz;

/// <summary>
/// Runs a batch of events through the whole pipeline a replay runs — <see cref="AuditEngine"/>, <see cref="CallJudge"/>,
/// every rule of <see cref="RuleCatalog.All"/> — and writes the findings as JSON lines, which is where a string the
/// reader accepted but a writer refuses would surface. Returns what broke, or null.
/// </summary>
public static class EngineOracle
{
    public static string? Check(IReadOnlyList<KmsEvent> events, out IReadOnlyList<Finding> findings)
    {
        findings = [];
        try
        {
            var engine = new AuditEngine(new AuditState(), RuleCatalog.All(), new CallJudge());
            // Two batches: the second half arrives "later", which exercises re-judging of earlier calls.
            int half = events.Count / 2;
            var first = engine.Process(events.Take(half));
            var second = engine.Process(events.Skip(half));
            findings = [.. first, .. second];
            using var sink = new MemoryStream();
            FindingJson.WriteLines(findings, sink);
            foreach (var f in findings)
            {
                if (string.IsNullOrEmpty(f.Id) || string.IsNullOrEmpty(f.Rule)) return "a finding without id or rule";
            }
            return null;
        }
        catch (Exception e)
        {
            return $"unhandled {e.GetType().Name}: {e.Message}\n{e.StackTrace}";
        }
    }
}
