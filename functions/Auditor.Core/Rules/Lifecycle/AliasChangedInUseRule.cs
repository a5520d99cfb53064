using Auditor.Core.Findings;
using Auditor.Core.State;

namespace Auditor.Core.Rules.Lifecycle;

/// <summary>
/// <c>alias-changed-in-use</c> (project rule): UpdateAlias or DeleteAlias on an alias that applications used
/// to name their key within the last seven days. Re-pointing an alias silently moves new encryptions to
/// another key (possibly one the attacker controls); deleting it breaks every caller that uses it.
/// </summary>
public sealed class AliasChangedInUseRule : IRule
{
    private static readonly TimeSpan Recent = TimeSpan.FromDays(7);

    public RuleDescriptor Descriptor { get; } = new(
        "alias-changed-in-use", Severity.Medium,
        "Applications that name a key by alias follow the alias: a re-pointed alias sends their new data to another key, a deleted one makes them fail.",
        "Confirm the change was planned with the applications' owners; if not, point the alias back (UpdateAlias) and check which key received data in between.");

    /// <summary>Records calls that named their key by alias, for later alias changes to consult.</summary>
    public static void RecordUse(RuleInput input)
    {
        var e = input.Event;
        if (!e.Succeeded || e.Request.KeyId is not { } id || !(id.StartsWith("alias/", StringComparison.Ordinal) || Arns.IsAliasArn(id))) return;
        var slot = Slot(Arns.Account(id) ?? e.RecipientAccountId, Arns.Region(id) ?? e.AwsRegion, AliasBook.NormalizeName(id));
        if (!input.State.AliasUses.TryGetValue(slot, out var last) || last.At < e.EventTime) input.State.AliasUses[slot] = (e.EventTime, e.EventId);
    }

    private static string Slot(string? account, string? region, string alias) => $"{account}|{region}|{alias}";

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        RecordUse(input);
        var e = input.Event;
        if (e.EventName is not ("UpdateAlias" or "DeleteAlias") || !e.Succeeded || e.Request.AliasName is not { } alias) return;
        var slot = Slot(Arns.Account(alias) ?? e.RecipientAccountId, Arns.Region(alias) ?? e.AwsRegion, AliasBook.NormalizeName(alias));
        if (!input.State.AliasUses.TryGetValue(slot, out var use) || use.At > e.EventTime || e.EventTime - use.At > Recent) return;
        var what = e.EventName == "DeleteAlias" ? "deleted" : $"re-pointed to {e.Request.TargetKeyId}";
        output.Add(input.Finding(Descriptor,
            $"Alias {AliasBook.NormalizeName(alias)} {(e.EventName == "DeleteAlias" ? "deleted" : "re-pointed")} while in use",
            $"{input.Principal} {what} alias {AliasBook.NormalizeName(alias)}, which a call used to name its key at {FindingJson.FormatTime(use.At)} (event {use.EventId}).",
            evidence: [use.EventId],
            discriminator: alias));
    }
}
