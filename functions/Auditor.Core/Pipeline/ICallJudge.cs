using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Core.Pipeline;

/// <summary>Decides what authorized one call, against the key's state at the call's time.</summary>
public interface ICallJudge
{
    Judgement Judge(KmsEvent call, string? keyArn, KeyState? key);
}
