using Auditor.Core.Findings;

namespace Auditor.Core.Rules;

/// <summary>One detection: reads a judged call and adds zero or more findings.</summary>
public interface IRule
{
    RuleDescriptor Descriptor { get; }

    void Evaluate(RuleInput input, List<Finding> output);
}
