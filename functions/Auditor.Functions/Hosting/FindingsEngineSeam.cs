using Auditor.Core.Trail;

namespace Auditor.Functions.Hosting;

/// <summary>
/// The one place where <c>ingest</c> meets the replay engine: the KMS events of one log object in (in file order),
/// the findings they raise out, one JSON object per string (CONTRACT section 3). Everything around it (reading,
/// naming, writing, failures, metrics) is the host's and does not change when the engine is wired.
/// </summary>
internal static class FindingsEngineSeam
{
    /// <summary>The engine. Wiring it means replacing this one line's right-hand side.</summary>
    public static readonly Func<IReadOnlyList<KmsEvent>, IReadOnlyList<string>> Produce = NotWiredYet;

    // Until the engine lands the function reads, counts and writes an empty findings object per log object;
    // FunctionHost logs "findingsEngine":"not wired" at start so a deployment in this state is visible.
    internal static IReadOnlyList<string> NotWiredYet(IReadOnlyList<KmsEvent> events) => [];

    /// <summary>Whether a real engine is wired (for the start-up log line).</summary>
    public static bool IsWired => Produce != (Func<IReadOnlyList<KmsEvent>, IReadOnlyList<string>>)NotWiredYet;
}
