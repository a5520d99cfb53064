using Auditor.Core.Authorization;
using Auditor.Core.Grants;
using Auditor.Core.Policy;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Auditor.Core.Tests.Policy;

/// <summary>
/// IAM: "an explicit deny in any policy overrides any allow". Random key policies (principals, actions
/// with wildcards, conditions on known and unknown keys), random grants and identity policies.
/// </summary>
public class DenyPrecedenceProperties
{
    private static readonly string[] Principals =
    [
        "\"*\"", "{\"AWS\":\"arn:aws:iam::111122223333:root\"}", "{\"AWS\":\"111122223333\"}",
        "{\"AWS\":\"arn:aws:iam::111122223333:user/Alice\"}", "{\"AWS\":\"arn:aws:iam::111122223333:role/App\"}",
        "{\"AWS\":\"arn:aws:iam::444455556666:root\"}", "{\"Service\":\"ec2.amazonaws.com\"}",
    ];
    private static readonly string[] Actions = ["\"kms:*\"", "\"kms:Decrypt\"", "\"kms:Re*\"", "[\"kms:Encrypt\",\"kms:Decrypt\"]", "\"kms:Describe?ey\""];
    private static readonly string[] Conditions =
    [
        "", ",\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":\"111122223333\"}}",
        ",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"s3.us-west-2.amazonaws.com\"}}",
        ",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}",
        ",\"Condition\":{\"StringLike\":{\"kms:EncryptionContext:app\":\"web*\"}}",
    ];
    private static readonly string[] Callers =
    [
        "arn:aws:iam::111122223333:user/Alice", "arn:aws:sts::111122223333:assumed-role/App/s1",
        "arn:aws:iam::444455556666:user/Eve", "arn:aws:iam::111122223333:root",
    ];

    private static Gen<string> Statement(string effect) =>
        from p in Gen.Elements(Principals)
        from a in Gen.Elements(Actions)
        from c in Gen.Elements(Conditions)
        select $"{{\"Effect\":\"{effect}\",\"Principal\":{p},\"Action\":{a},\"Resource\":\"*\"{c}}}";

    private static readonly Gen<string[]> Statements =
        Gen.Elements("Allow", "Deny").SelectMany(Statement).ListOf().Select(l => l.ToArray());

    private static readonly Gen<Scenario> Scenarios =
        from statements in Statements
        from caller in Gen.Elements(Callers)
        from action in Gen.Elements("kms:Decrypt", "kms:Encrypt", "kms:ReEncryptFrom", "kms:DescribeKey")
        from unknownVia in Gen.Elements(true, false)
        from iam in Gen.Elements(0, 1, 2)
        from grant in Gen.Elements(true, false)
        select new Scenario(statements, caller, action, unknownVia, iam, grant);

    public sealed record Scenario(string[] Statements, string Caller, string Action, bool UnknownVia, int Iam, bool Grant)
    {
        public AuthorizationResult Evaluate(params string[] extra)
        {
            var policy = PolicyDocument.Parse($"{{\"Version\":\"2012-10-17\",\"Statement\":[{string.Join(",", Statements.Concat(extra))}]}}");
            var request = TestRequests.For(Caller, Action,
                new() { ["kms:CallerAccount"] = [Caller.Split(':')[4]], ["kms:EncryptionContext:app"] = ["web1"] },
                UnknownVia ? ["kms:ViaService"] : null);
            IReadOnlyList<PolicyDocument>? iam = Iam switch
            {
                0 => null,
                1 => [],
                _ => [PolicyDocument.Parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}}")],
            };
            IReadOnlyList<Grant> grants = Grant
                ? [new Grant { GrantId = "g1", KeyId = TestRequests.KeyArn, GranteePrincipal = Caller, Operations = ["Decrypt", "Encrypt", "ReEncryptFrom", "DescribeKey"] }]
                : [];
            return AuthorizationEvaluator.Evaluate(policy, grants, iam, request);
        }

        public override string ToString() => $"{Caller} {Action} unknownVia={UnknownVia} iam={Iam} grant={Grant}\n  " + string.Join("\n  ", Statements);
    }

    [Property(MaxTest = 500)]
    public Property Adding_a_matching_deny_never_yields_allow() =>
        Prop.ForAll(Scenarios.ToArbitrary(), s =>
        {
            var r = s.Evaluate("{\"Sid\":\"DenyAll\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}");
            return r.Decision == Decision.ExplicitDeny && r.Path == AuthorizationPath.KeyPolicy;
        });

    [Property(MaxTest = 500)]
    public Property A_deny_on_an_unknown_key_leaves_no_allow() =>
        Prop.ForAll(Scenarios.ToArbitrary(), s =>
        {
            var r = s.Evaluate("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"kms:ViaService\":\"s3.us-west-2.amazonaws.com\"}}}");
            // With kms:ViaService unknown the deny might apply: never Allow. With it absent the deny applies.
            return s.UnknownVia
                ? r.Decision is Decision.ExplicitDeny or Decision.Undetermined
                : r.Decision == Decision.ExplicitDeny;
        });

    [Property(MaxTest = 500)]
    public Property Adding_an_allow_never_turns_explicit_deny_into_allow() =>
        Prop.ForAll(Scenarios.ToArbitrary(), Statement("Allow").ToArbitrary(), (s, allow) =>
        {
            var before = s.Evaluate();
            if (before.Decision != Decision.ExplicitDeny) return true;
            return s.Evaluate(allow).Decision == Decision.ExplicitDeny;
        });
}
