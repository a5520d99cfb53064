using Auditor.Core.Authorization;
using Auditor.Core.Grants;
using Auditor.Core.Policy;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Auditor.Core.Tests.Policy;

/// <summary>
/// Nothing that depends on an unknown is reported as decided: whenever the evaluator answers something other
/// than Undetermined with a key unknown, every concrete value of that key (absent, or each value policies
/// test for) gives the same decision.
/// </summary>
public class ThreeValuedSoundnessProperties
{
    private const string Via = "kms:ViaService";
    private static readonly string[] ViaValues = ["s3.us-west-2.amazonaws.com", "ec2.us-west-2.amazonaws.com"];

    private static readonly string[] Conditions =
    [
        "", ",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"s3.us-west-2.amazonaws.com\"}}",
        ",\"Condition\":{\"StringNotEquals\":{\"kms:ViaService\":\"s3.us-west-2.amazonaws.com\"}}",
        ",\"Condition\":{\"Null\":{\"kms:ViaService\":\"true\"}}",
        ",\"Condition\":{\"StringLikeIfExists\":{\"kms:ViaService\":\"ec2.*\"}}",
        ",\"Condition\":{\"ForAnyValue:StringEquals\":{\"kms:ViaService\":[\"ec2.us-west-2.amazonaws.com\"]}}",
        ",\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":\"111122223333\"}}",
    ];
    private static readonly string[] Principals =
    [
        "\"*\"", "{\"AWS\":\"arn:aws:iam::111122223333:root\"}", "{\"AWS\":\"arn:aws:iam::111122223333:user/Alice\"}",
        "{\"AWS\":\"arn:aws:iam::111122223333:role/ops/App\"}", "{\"AWS\":\"arn:aws:iam::111122223333:role/App\"}",
    ];

    private static readonly Gen<string> Statement =
        from effect in Gen.Elements("Allow", "Allow", "Deny")
        from p in Gen.Elements(Principals)
        from a in Gen.Elements("\"kms:*\"", "\"kms:Decrypt\"", "\"kms:Encrypt\"")
        from c in Gen.Elements(Conditions)
        select $"{{\"Effect\":\"{effect}\",\"Principal\":{p},\"Action\":{a},\"Resource\":\"*\"{c}}}";

    private static readonly Gen<(string[] Statements, string Caller, int Iam, bool Grant)> Scenarios =
        from statements in Statement.ListOf().Select(l => l.ToArray())
        from caller in Gen.Elements("arn:aws:iam::111122223333:user/Alice", "arn:aws:sts::111122223333:assumed-role/App/s", "arn:aws:iam::111122223333:user/Bob")
        from iam in Gen.Elements(0, 1, 2)
        from grant in Gen.Elements(true, false)
        select (statements, caller, iam, grant);

    private static AuthorizationResult Evaluate((string[] Statements, string Caller, int Iam, bool Grant) s, string? via, bool unknown)
    {
        var policy = PolicyDocument.Parse($"{{\"Statement\":[{string.Join(",", s.Statements)}]}}");
        var ctx = new Dictionary<string, string[]> { ["kms:CallerAccount"] = ["111122223333"] };
        if (via is not null) ctx[Via] = [via];
        var request = TestRequests.For(s.Caller, "kms:Decrypt", ctx, unknown ? [Via] : null);
        IReadOnlyList<PolicyDocument>? iam = s.Iam switch
        {
            0 => null,
            1 => [],
            _ => [PolicyDocument.Parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}}")],
        };
        IReadOnlyList<Grant> grants = s.Grant ? [new Grant { GrantId = "g", KeyId = TestRequests.KeyArn, GranteePrincipal = "arn:aws:iam::111122223333:user/Bob", Operations = ["Decrypt"] }] : [];
        return AuthorizationEvaluator.Evaluate(policy, grants, iam, request);
    }

    [Property(MaxTest = 1000)]
    public Property A_decision_made_with_a_key_unknown_holds_for_every_value_of_that_key() =>
        Prop.ForAll(Scenarios.ToArbitrary(), s =>
        {
            var withUnknown = Evaluate(s, null, unknown: true);
            if (withUnknown.Decision == Decision.Undetermined) return true;
            return Evaluate(s, null, false).Decision == withUnknown.Decision
                && ViaValues.All(v => Evaluate(s, v, false).Decision == withUnknown.Decision);
        });

    [Property(MaxTest = 1000)]
    public Property Undetermined_only_when_the_unknown_key_could_change_the_answer() =>
        Prop.ForAll(Scenarios.ToArbitrary(), s =>
        {
            var withUnknown = Evaluate(s, null, unknown: true);
            if (withUnknown.Decision != Decision.Undetermined) return true;
            // Only two things are unknown here: kms:ViaService, and a role named with a path when the caller is
            // known only by its session ARN (which drops the path). A policy that uses neither is always decided.
            bool sessionVsPath = s.Caller.Contains(":assumed-role/", StringComparison.Ordinal) && s.Statements.Any(x => x.Contains("role/ops/App", StringComparison.Ordinal));
            return sessionVsPath || s.Statements.Any(x => x.Contains(Via, StringComparison.Ordinal));
        });
}
