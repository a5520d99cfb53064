using Auditor.Core.Findings;

namespace Auditor.Core.Rules;

/// <summary>A rule's identity and documentation, kept beside its code and printed in docs/rules.md.</summary>
/// <param name="Id">The rule id findings carry (CONTRACT section 6 or the project's own).</param>
/// <param name="Severity">The usual severity; a rule may raise or lower it per finding and says why.</param>
/// <param name="Rationale">Why a security reviewer cares.</param>
/// <param name="Remediation">What to do about it.</param>
/// <param name="DependsOnAuthorization">Re-run when a late policy or grant change re-judges a call.</param>
public sealed record RuleDescriptor(string Id, Severity Severity, string Rationale, string Remediation, bool DependsOnAuthorization = false);
