using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Core.Pipeline;

/// <summary>Judges calls against the key's policy and grants in force at the call's time.</summary>
public sealed class CallJudge : ICallJudge
{
    public Judgement Judge(KmsEvent call, string? keyArn, KeyState? key)
    {
        if (key is null || keyArn is null) return Judgement.Unknown;
        var policy = key.PolicyAt(call.EventTime);
        return Judgement.Unknown with { Policy = policy };
    }
}
