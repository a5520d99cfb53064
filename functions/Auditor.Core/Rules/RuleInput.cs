using Auditor.Core.Authorization;
using Auditor.Core.Baselines;
using Auditor.Core.Findings;
using Auditor.Core.Pipeline;
using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Core.Rules;

/// <summary>What a rule sees of one call: the event, its key and the key's history, the judgement, the run's state.</summary>
public sealed class RuleInput
{
    public required KmsEvent Event { get; init; }
    public string? KeyArn { get; init; }
    public KeyState? Key { get; init; }
    public required Judgement Judgement { get; init; }
    public required AuditState State { get; init; }
    public required AuditOptions Options { get; init; }
    public Baseline Baseline { get; init; } = Baseline.Empty;

    public string Principal => PrincipalNames.Display(Event.UserIdentity);

    /// <summary>The key for explanations: its ARN, with an alias when one is known.</summary>
    public string KeyName
    {
        get
        {
            var key = KeyArn ?? Event.Request.KeyId ?? "an unidentified key";
            var alias = KeyArn is null ? null : State.Aliases.NamesFor(KeyArn).FirstOrDefault();
            return alias is null ? key : $"{key} ({alias})";
        }
    }

    /// <summary>A finding on this call, with the fields every finding shares filled in.</summary>
    public Finding Finding(RuleDescriptor rule, string title, string explanation, Severity? severity = null,
        IReadOnlyList<string>? evidence = null, string? discriminator = null, AuthorizationResult? authorization = null) => new()
    {
        Id = FindingIds.For(rule.Id, Event.EventId, KeyArn, discriminator),
        Rule = rule.Id,
        Severity = severity ?? rule.Severity,
        EventId = Event.EventId,
        EventTime = Event.EventTime,
        EventName = Event.EventName,
        AwsRegion = Event.AwsRegion,
        KeyArn = KeyArn ?? Event.Request.KeyId,
        Principal = Principal,
        SessionArn = PrincipalNames.Session(Event.UserIdentity),
        Authorization = authorization ?? Judgement.Authorization,
        Title = title,
        Explanation = explanation,
        Evidence = evidence ?? [],
    };
}
