using Auditor.Core.Authorization;

namespace Auditor.Core.Policy;

/// <summary>
/// A Principal or NotPrincipal element: <c>"*"</c>, or an object with <c>AWS</c>, <c>Service</c>,
/// <c>Federated</c> and <c>CanonicalUser</c> entries (each a string or a list).
/// </summary>
public sealed class PrincipalElement
{
    /// <summary>The bare string <c>"*"</c>: every principal, of every type.</summary>
    public bool IsEveryone { get; }
    public IReadOnlyList<PrincipalRef> Aws { get; }
    public IReadOnlyList<PrincipalRef> Service { get; }
    public IReadOnlyList<string> Federated { get; }
    public IReadOnlyList<string> CanonicalUser { get; }
    private readonly PrincipalRef[] _awsAndService;

    public PrincipalElement(bool everyone, IReadOnlyList<PrincipalRef> aws, IReadOnlyList<PrincipalRef> service,
        IReadOnlyList<string> federated, IReadOnlyList<string> canonicalUser)
    {
        IsEveryone = everyone;
        Aws = aws;
        Service = service;
        Federated = federated;
        CanonicalUser = canonicalUser;
        _awsAndService = [.. aws, .. service];
    }

    /// <summary>True when some AWS entry is <c>*</c> (or the element is <c>"*"</c>).</summary>
    public bool NamesEveryone => IsEveryone || Aws.Any(a => a.Kind == PrincipalRef.RefKind.Everyone);

    /// <summary>
    /// Matches the caller against Principal: <paramref name="direct"/> when an entry names the caller
    /// (or everyone), <paramref name="account"/> when an entry names only the caller's account.
    /// </summary>
    public void Match(CallerPrincipal caller, out Tri direct, out Tri account)
    {
        if (IsEveryone) { direct = Tri.True; account = Tri.False; return; }
        direct = Tri.False;
        account = Tri.False;
        var refs = _awsAndService;
        for (int i = 0; i < refs.Length; i++)
        {
            var r = refs[i];
            // A Service entry only names service principals; an AWS entry only IAM identities.
            if (r.Kind == PrincipalRef.RefKind.Service)
            {
                if (caller.ServicePrincipal is null) continue;
            }
            var m = r.Matches(caller, out var kind);
            if (kind == PrincipalMatchKind.Account) account = TriLogic.Or(account, m);
            else direct = TriLogic.Or(direct, m);
            if (direct == Tri.True) return;
        }
        if (Federated.Count > 0 || CanonicalUser.Count > 0)
            foreach (var f in Federated.Concat(CanonicalUser))
                if (string.Equals(f, caller.Arn, StringComparison.OrdinalIgnoreCase) || string.Equals(f, caller.PrincipalId, StringComparison.Ordinal))
                { direct = Tri.True; return; }
    }

    /// <summary>
    /// For NotPrincipal: is the caller excluded? IAM evaluates every identity in the request's chain —
    /// the account, then the user, or the role and its session — so the caller escapes a
    /// Deny+NotPrincipal only when each of them is listed (IAM User Guide, "NotPrincipal").
    /// A service principal escapes when it is listed.
    /// </summary>
    public Tri Excludes(CallerPrincipal caller)
    {
        if (IsEveryone) return Tri.True;
        if (caller.ServicePrincipal is not null && PrincipalArns.AccountOf(caller) is null)
            return Listed(r => r.Kind == PrincipalRef.RefKind.Service ? r.Matches(caller, out _) : Tri.False);

        string? account = PrincipalArns.AccountOf(caller);
        Tri accountListed = account is null
            ? Tri.Unknown
            : Listed(r => r.Kind == PrincipalRef.RefKind.Everyone || (r.Kind == PrincipalRef.RefKind.Account && r.AccountId == account) ? Tri.True : Tri.False);
        if (IsRootUser(caller)) return accountListed;

        bool isSession = caller.RoleArn is not null || PrincipalArns.TryParseSession(caller.Arn, out _, out _, out _);
        if (isSession)
        {
            Tri roleListed = Listed(r => r.Kind is PrincipalRef.RefKind.Role or PrincipalRef.RefKind.Everyone or PrincipalRef.RefKind.UniqueId ? r.Matches(caller, out _) : Tri.False);
            Tri sessionListed = Listed(r => r.Kind is PrincipalRef.RefKind.Session or PrincipalRef.RefKind.Everyone ? r.Matches(caller, out _) : Tri.False);
            return TriLogic.And(accountListed, TriLogic.And(roleListed, sessionListed));
        }
        Tri selfListed = Listed(r => r.Kind == PrincipalRef.RefKind.Account ? Tri.False : r.Matches(caller, out _));
        return TriLogic.And(accountListed, selfListed);
    }

    private static bool IsRootUser(CallerPrincipal caller) =>
        caller.Arn is not null && caller.Arn.EndsWith(":root", StringComparison.OrdinalIgnoreCase);

    private Tri Listed(Func<PrincipalRef, Tri> test)
    {
        var r = Tri.False;
        foreach (var p in _awsAndService) r = TriLogic.Or(r, test(p));
        return r;
    }
}
