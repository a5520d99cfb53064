using Auditor.Core.Authorization;

namespace Auditor.Core.Policy;

/// <summary>Allow or Deny.</summary>
public enum PolicyEffect : byte
{
    Allow,
    Deny,
}

/// <summary>
/// One statement of a policy, with its patterns compiled. A statement applies to a request when its
/// principal, action, resource and every condition hold; each of those may be
/// <see cref="Tri.Unknown"/>, and so may the statement.
/// </summary>
public sealed class PolicyStatement
{
    public string? Sid { get; init; }
    /// <summary>Position in the document, for explanations of statements without a Sid.</summary>
    public int Index { get; init; }
    public PolicyEffect Effect { get; init; }
    public PrincipalElement? Principal { get; init; }
    public PrincipalElement? NotPrincipal { get; init; }
    public IReadOnlyList<WildcardPattern> Actions { get; init; } = [];
    public IReadOnlyList<WildcardPattern> NotActions { get; init; } = [];
    public IReadOnlyList<PolicyValue> Resources { get; init; } = [];
    public IReadOnlyList<PolicyValue> NotResources { get; init; } = [];
    public IReadOnlyList<ConditionClause> Conditions { get; init; } = [];

    internal WildcardPattern[] ResourcePatterns { get; init; } = [];
    internal WildcardPattern[] NotResourcePatterns { get; init; } = [];

    /// <summary>Does the Action/NotAction element cover <paramref name="action"/> (case-insensitive)?</summary>
    public bool CoversAction(string action)
    {
        if (NotActions.Count > 0)
        {
            for (int i = 0; i < NotActions.Count; i++) if (NotActions[i].IsMatch(action)) return false;
            return true;
        }
        for (int i = 0; i < Actions.Count; i++) if (Actions[i].IsMatch(action)) return true;
        return false;
    }

    /// <summary>Does Resource/NotResource cover the key (case-sensitive, wildcards, policy variables)?</summary>
    public Tri CoversResource(string resource, IConditionValueSource ctx)
    {
        if (NotResources.Count > 0) return TriLogic.Not(AnyResource(NotResources, NotResourcePatterns, resource, ctx));
        if (Resources.Count == 0) return Tri.True; // tolerated: KMS requires Resource, but a missing one cannot narrow anything
        return AnyResource(Resources, ResourcePatterns, resource, ctx);
    }

    private static Tri AnyResource(IReadOnlyList<PolicyValue> values, WildcardPattern[] compiled, string resource, IConditionValueSource ctx)
    {
        var r = Tri.False;
        for (int i = 0; i < values.Count; i++)
        {
            if (!values[i].HasVariables) { if (compiled[i].IsMatch(resource)) return Tri.True; continue; }
            var resolved = values[i].Resolve(ctx, out string text, out bool[]? mask);
            if (resolved == Tri.Unknown) { r = Tri.Unknown; continue; }
            if (resolved == Tri.True && new WildcardPattern(text, false, mask).IsMatch(resource)) return Tri.True;
        }
        return r;
    }

    /// <summary>All conditions ANDed.</summary>
    public Tri ConditionsHold(IConditionValueSource ctx)
    {
        var r = Tri.True;
        for (int i = 0; i < Conditions.Count && r != Tri.False; i++)
            r = TriLogic.And(r, Conditions[i].Evaluate(ctx));
        return r;
    }

    /// <summary>
    /// Whether the statement applies: <paramref name="direct"/> when it applies by naming the caller (or
    /// everyone, or through NotPrincipal, or — in an identity policy — always), <paramref name="account"/>
    /// when it applies only because it names the caller's account.
    /// </summary>
    public void Applies(RequestContext request, out Tri direct, out Tri account)
    {
        direct = account = Tri.False;
        if (!CoversAction(request.Action)) return;
        Tri pDirect, pAccount = Tri.False;
        if (Principal is not null) Principal.Match(request.Caller, out pDirect, out pAccount);
        else if (NotPrincipal is not null) pDirect = TriLogic.Not(NotPrincipal.Excludes(request.Caller));
        else pDirect = Tri.True;
        if (pDirect == Tri.False && pAccount == Tri.False) return;
        var rest = CoversResource(request.Resource, request);
        if (rest == Tri.False) return;
        rest = TriLogic.And(rest, ConditionsHold(request));
        direct = TriLogic.And(pDirect, rest);
        account = TriLogic.And(pAccount, rest);
    }

    /// <summary>A label for explanations: the Sid, or the statement's position.</summary>
    public string Label => Sid ?? $"statement #{Index + 1}";
}
