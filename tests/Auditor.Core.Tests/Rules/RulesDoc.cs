using System.Text;
using Auditor.Core.Findings;
using Auditor.Core.Findings.Formats;
using Auditor.Core.Rules;

namespace Auditor.Core.Tests.Rules;

/// <summary>
/// Renders docs/rules.md from the rule catalog: id, severity, rationale and remediation come from each rule's
/// <see cref="RuleDescriptor"/> (so code and documentation cannot disagree), the trigger from
/// <see cref="Triggers"/>, and the example finding from actually running the rule on its example trail
/// (<see cref="RuleExamples"/>). Regenerate with
/// <c>KTA_UPDATE_DOCS=1 dotnet test tests/Auditor.Core.Tests --filter RulesDocTests</c>.
/// </summary>
internal static class RulesDoc
{
    /// <summary>When each rule fires, including how its severity varies, in words for the reader.</summary>
    public static readonly IReadOnlyDictionary<string, string> Triggers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["unexpected-principal"] = "A successful call on a key whose policy is known, by a principal that no key-policy statement names (other than the account-root delegation statement), that holds no active grant for the operation, and that the baseline (`--baseline`) does not list. **high** when the caller is in another account than the key, or when nothing in the policy or grants explains the call; **medium** when only the root delegation (IAM) explains it. Never raised when the key's policy is unknown, when the authorization is undetermined (it depends on a condition key CloudTrail does not record, such as `kms:ViaService` on a record without `invokedBy`), for failed calls, for CreateKey, for AWS-managed keys, or within the grant grace period after a grant that covered the call ended.",
        ["retired-grant-use"] = "A successful call that matches a grant (grantee, operation, encryption-context constraints) which was retired or revoked before the call, where no key-policy statement names the caller for that operation and no active grant explains it. **high** when the call came more than the grace period (default 5 minutes, `--grant-grace`) after the retirement; **info** within it (grant changes are eventually consistent). Also raised when the RetireGrant/RevokeGrant arrives in a later log file than the call: the engine re-judges the affected calls. The evidence holds the RetireGrant/RevokeGrant and the CreateGrant event ids.",
        ["grant-external-principal"] = "A successful CreateGrant whose grantee principal or retiring principal belongs to another account than the key.",
        ["policy-public-access"] = "A successful CreateKey or PutKeyPolicy whose policy has an Allow statement for principal `\"*\"` (or `{\"AWS\":\"*\"}`, or a NotPrincipal) with no condition that pins the caller to an account or organization (`kms:CallerAccount`, `aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:PrincipalArn`… with a positive operator). Negated operators (`StringNotEquals`) and `…IfExists` operators do not restrict and still fire.",
        ["policy-lockout-risk"] = "A successful CreateKey or PutKeyPolicy whose policy lets no principal call `kms:PutKeyPolicy`, or denies it to everyone without condition, or that sets `BypassPolicyLockoutSafetyCheck`.",
        ["key-deletion-scheduled"] = "A successful ScheduleKeyDeletion. The explanation names the key's last successful use when one is known.",
        ["recently-used-key-deletion"] = "A successful ScheduleKeyDeletion of a key that made a successful cryptographic call within the seven days before. The evidence holds that last use.",
        ["key-disabled"] = "A successful DisableKey.",
        ["access-denied-burst"] = "Five or more KMS calls by one principal denied (`errorCode` starting with `AccessDenied`) within ten minutes. One finding per burst, on the call that reached the threshold; the burst stays open while denials keep coming within ten minutes of each other. The evidence lists the other denied calls.",
        ["policy-external-account"] = "A successful CreateKey or PutKeyPolicy whose Allow statements name an account other than the key's (as account, role, user or session principal) that the policy in force before did not name. The evidence holds the event that set the previous policy.",
        ["grant-allows-create-grant"] = "A CreateGrant made directly (not by an AWS service on the caller's behalf) whose operations include `CreateGrant`.",
        ["grant-without-constraints"] = "A CreateGrant made directly whose operations include a cryptographic operation and that has no `EncryptionContextSubset` or `EncryptionContextEquals` constraint.",
        ["grant-without-retiring-principal"] = "A CreateGrant made directly without a retiring principal.",
        ["grant-outside-aws-resource-condition"] = "A CreateGrant made directly (no AWS service in invokedBy) by a principal whom the key policy lets create grants only with kms:GrantIsForAWSResource, allowed anyway through IAM delegation.",
        ["key-rotation-disabled"] = "A successful DisableKeyRotation.",
        ["key-material-deleted"] = "A successful DeleteImportedKeyMaterial.",
        ["key-material-imported"] = "A successful ImportKeyMaterial.",
        ["key-unusable-calls"] = "Calls failing with `DisabledException` or `KMSInvalidStateException` after the key was disabled, scheduled for deletion or lost its imported material — the blast radius of that change. One finding per state change, on its first failing call; the evidence holds the event that made the key unusable.",
        ["alias-changed-in-use"] = "A successful UpdateAlias or DeleteAlias on an alias that a successful call used to name its key within the seven days before. The evidence holds that call.",
    };

    public static string Render()
    {
        var sb = new StringBuilder();
        sb.Append("""
            # Detection rules

            Every rule the auditor runs (`RuleCatalog`), with its default severity, when it fires, why it matters and
            what to do. Rule ids, severities, rationales and remediations are taken from the code; each example is the
            finding the rule actually raised on a small trail in the test suite (`tests/Auditor.Core.Tests/Rules/RuleExamples.cs`).
            This file is generated: `KTA_UPDATE_DOCS=1 dotnet test tests/Auditor.Core.Tests --filter RulesDocTests`.

            Every finding carries the authorization explanation of CONTRACT section 3 (`decision`, `path`,
            `statementSid`, `grantId`): what authorized the call in the key policy and grants in force at the call's
            `eventTime`. Calls whose `errorCode` is set are never treated as successful uses. Rules marked
            *re-judged* run again when a policy or grant change for an earlier moment arrives in a later log file.

            | rule | default severity | re-judged | ASFF types |
            |---|---|---|---|

            """.Replace("            ", ""));
        var rules = RuleCatalog.All();
        foreach (var r in rules)
        {
            var d = r.Descriptor;
            sb.Append($"| [`{d.Id}`](#{d.Id}) | {SeverityNames.Of(d.Severity)} | {(d.DependsOnAuthorization ? "yes" : "no")} | {string.Join("; ", AsffWriter.TypesOf(d.Id))} |\n");
        }
        foreach (var r in rules)
        {
            var d = r.Descriptor;
            var example = RuleExamples.FindingOf(d.Id);
            sb.Append($"\n## {d.Id}\n\n");
            sb.Append($"- **Default severity:** {SeverityNames.Of(d.Severity)}\n");
            sb.Append($"- **Fires when:** {(Triggers.TryGetValue(d.Id, out var t) ? t : "(not described yet)")}\n");
            sb.Append($"- **Rationale:** {d.Rationale}\n");
            sb.Append($"- **Remediation:** {d.Remediation}\n\n");
            sb.Append("Example finding:\n\n```json\n").Append(FindingJson.ToLine(example)).Append("\n```\n");
        }
        sb.Append("""

            ## Output formats

            `findings.jsonl` holds the findings above, one per line. The same findings can be written as
            OCSF 1.6.0 Detection Finding events (`OcsfWriter`, class_uid 2004, type_uid 200401, Cloud profile; severity
            info/low/medium/high/critical → severity_id 1–5; the authorization explanation under `unmapped.authorization`
            and `authorizations`) or as AWS Security Finding Format (`AsffWriter`, SchemaVersion 2018-10-08, GeneratorId =
            rule id, resource type `AwsKmsKey`, the authorization explanation in `ProductFields`). Both use the event's
            time as the finding's time, so replaying the same trail writes the same bytes.

            """.Replace("            ", ""));
        return sb.ToString();
    }

    public static string DocPath() => Path.Combine(Policy.TestRequests.RepoRoot(), "docs", "rules.md");
}
