using Auditor.Core.Findings;
using Auditor.Core.Trail;
using static Auditor.Core.Tests.Rules.TestTrail;
using P = Auditor.Core.Tests.Rules.TestPolicies;

namespace Auditor.Core.Tests.Rules;

/// <summary>
/// One small trail per rule that makes it fire: the source of the example findings in docs/rules.md and of
/// the findings the output-format tests write. A rule added to the catalog without an example here fails
/// <see cref="RuleCatalogCoverageTests"/>.
/// </summary>
internal static class RuleExamples
{
    private static KmsEvent Create(string? policy = null) => CreateKey("ev-create", 0, Role("KeyAdmin"), policy ?? P.Standard());

    private static readonly Dictionary<string, string> Billing = Context(("app", "billing"));

    public static readonly IReadOnlyDictionary<string, Func<IReadOnlyList<KmsEvent>>> ByRule = new Dictionary<string, Func<IReadOnlyList<KmsEvent>>>(StringComparer.Ordinal)
    {
        ["unexpected-principal"] = () => [Create(), Decrypt("ev-use", 10, User("bob"))],
        ["retired-grant-use"] = () =>
        [
            Create(),
            CreateGrant("ev-grant", 1, Role("KeyAdmin"), "grant-1", UserArn("bob"), ["Decrypt"], RoleArn("AppRole"), Billing),
            RetireGrant("ev-retire", 20, Role("AppRole"), "grant-1"),
            Decrypt("ev-use", 30, User("bob"), Billing),
        ],
        ["grant-external-principal"] = () => [Create(), CreateGrant("ev-grant", 5, Role("KeyAdmin"), "grant-1", $"arn:aws:iam::{OtherAccount}:role/Partner", ["Decrypt"], RoleArn("KeyAdmin"), Billing)],
        ["policy-public-access"] = () => [Create(), PutKeyPolicy("ev-put", 10, Role("KeyAdmin"), P.Doc(P.Root(), P.Allow("OpenDecrypt", "\"*\"", """["kms:Decrypt"]""")))],
        ["policy-lockout-risk"] = () => [Create(), PutKeyPolicy("ev-put", 10, Role("KeyAdmin"), P.Doc(P.Use(RoleArn("AppRole"))))],
        ["key-deletion-scheduled"] = () => [Create(), ScheduleKeyDeletion("ev-del", 60 * 24 * 30, Role("KeyAdmin"))],
        ["key-disabled"] = () => [Create(), Call("ev-disable", "DisableKey", 60, Role("KeyAdmin"))],
        ["access-denied-burst"] = () => [.. Enumerable.Range(1, 5).Select(i => Decrypt($"ev-denied-{i}", i, User("mallory")).Failed("AccessDeniedException"))],
        ["policy-external-account"] = () => [Create(), PutKeyPolicy("ev-put", 10, Role("KeyAdmin"), P.Doc(P.Root(), P.Admin(RoleArn("KeyAdmin")), P.Use($"arn:aws:iam::{OtherAccount}:root", "Allow partner")))],
        ["grant-allows-create-grant"] = () => [Create(), CreateGrant("ev-grant", 5, Role("KeyAdmin"), "grant-1", UserArn("bob"), ["Decrypt", "CreateGrant"], RoleArn("KeyAdmin"), Billing)],
        ["grant-without-constraints"] = () => [Create(), CreateGrant("ev-grant", 5, Role("KeyAdmin"), "grant-1", UserArn("bob"), ["Decrypt"], RoleArn("KeyAdmin"))],
        ["grant-outside-aws-resource-condition"] = () => [Create(), CreateGrant("ev-grant", 5, Role("AppRole"), "grant-1", UserArn("bob"), ["Decrypt"], RoleArn("AppRole"), Billing)],
        ["grant-without-retiring-principal"] = () => [Create(), CreateGrant("ev-grant", 5, Role("KeyAdmin"), "grant-1", UserArn("bob"), ["Decrypt"], null, Billing)],
        ["key-rotation-disabled"] = () => [Create(), Call("ev-rot", "DisableKeyRotation", 60, Role("KeyAdmin"))],
        ["key-material-deleted"] = () => [Create(), Call("ev-delmat", "DeleteImportedKeyMaterial", 60, Role("KeyAdmin"))],
        ["key-material-imported"] = () => [Create(), Call("ev-import", "ImportKeyMaterial", 60, Role("KeyAdmin"))],
        ["recently-used-key-deletion"] = () => [Create(), Decrypt("ev-use", 60, Role("AppRole")), ScheduleKeyDeletion("ev-del", 120, Role("KeyAdmin"))],
        ["key-unusable-calls"] = () => [Create(), Call("ev-disable", "DisableKey", 60, Role("KeyAdmin")), Decrypt("ev-fail", 65, Role("AppRole")).Failed("DisabledException")],
        ["alias-changed-in-use"] = () =>
        [
            Create(),
            Alias("ev-alias", "CreateAlias", 1, Role("KeyAdmin"), "alias/billing", KeyArn),
            Decrypt("ev-use", 60, Role("AppRole")).ByAlias("alias/billing"),
            Alias("ev-update", "UpdateAlias", 120, User("mallory"), "alias/billing", OtherKeyArn),
        ],
    };

    /// <summary>The finding <paramref name="rule"/> raises on its example trail.</summary>
    public static Finding FindingOf(string rule)
    {
        Assert.True(ByRule.TryGetValue(rule, out var events), $"no example trail for rule {rule} in RuleExamples");
        return RuleHarness.Run(events!()).Single(rule);
    }

    /// <summary>Every finding of every example, for the output-format tests.</summary>
    public static IReadOnlyList<Finding> AllFindings() =>
        ByRule.Keys.Order(StringComparer.Ordinal).SelectMany(r => RuleHarness.Run(ByRule[r]())).ToList();
}
