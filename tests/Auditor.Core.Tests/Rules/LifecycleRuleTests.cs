using Auditor.Core.Findings;
using Auditor.Core.Trail;
using static Auditor.Core.Tests.Rules.TestTrail;
using P = Auditor.Core.Tests.Rules.TestPolicies;

namespace Auditor.Core.Tests.Rules;

/// <summary>Key lifecycle rules: deletion, disabling, rotation, imported material, unusable-key blast radius, aliases.</summary>
public sealed class LifecycleRuleTests
{
    private static KmsEvent Create() => CreateKey("ev-create", 0, Role("KeyAdmin"), P.Standard());

    // ---- key-deletion-scheduled ----------------------------------------------------------------

    [Fact]
    public void Deletion_scheduled_fires_high()
    {
        var f = RuleHarness.Run(Create(), ScheduleKeyDeletion("ev-del", 60 * 24 * 30, Role("KeyAdmin"), days: 7)).Single("key-deletion-scheduled");
        Assert.Equal(RuleDefaults.SeverityOf("key-deletion-scheduled"), f.Severity);
        Assert.Equal("ev-del", f.EventId);
        Assert.Equal(KeyArn, f.KeyArn);
        Assert.Equal(RoleArn("KeyAdmin"), f.Principal);
        f.Names(KeyArn, RoleArn("KeyAdmin"), "7 days", "CancelKeyDeletion");
    }

    [Fact]
    public void Deletion_of_a_key_used_this_week_is_critical_and_names_the_last_use()
    {
        var findings = RuleHarness.Run(Create(), Decrypt("ev-use", 60, Role("AppRole")), ScheduleKeyDeletion("ev-del", 120, Role("KeyAdmin")));
        var onDeletion = findings.Where(f => f.EventId == "ev-del").ToList();
        Assert.Equal(Severity.Critical, onDeletion.Max(f => f.Severity));
        findings.Single("key-deletion-scheduled").Names("last used");
    }

    [Fact]
    public void Deletion_of_a_key_last_used_more_than_a_week_before_is_not_critical()
    {
        var findings = RuleHarness.Run(Create(), Decrypt("ev-use", 60, Role("AppRole")), ScheduleKeyDeletion("ev-del", 60 * 24 * 8 + 60, Role("KeyAdmin")));
        Assert.Equal(Severity.High, findings.Where(f => f.EventId == "ev-del").Max(f => f.Severity));
    }

    [Fact]
    public void Recently_used_key_deletion_fires_with_the_last_use_as_evidence()
    {
        if (!RuleDefaults.InCatalog("recently-used-key-deletion")) return; // the rule arrives with the lead's branch
        var f = RuleHarness.Run(Create(), Decrypt("ev-use", 60, Role("AppRole")), ScheduleKeyDeletion("ev-del", 120, Role("KeyAdmin"))).Single("recently-used-key-deletion");
        Assert.Equal(Severity.Critical, f.Severity);
        Assert.Equal("ev-del", f.EventId);
        Assert.Equal(["ev-use"], f.Evidence);
        f.Names(KeyArn, RoleArn("KeyAdmin"), RoleArn("AppRole"), "Decrypt");
    }

    [Fact]
    public void Recently_used_key_deletion_silent_for_a_key_unused_for_a_week()
    {
        var findings = RuleHarness.Run(Create(), Decrypt("ev-use", 60, Role("AppRole")), ScheduleKeyDeletion("ev-del", 60 * 24 * 8 + 60, Role("KeyAdmin")));
        findings.None("recently-used-key-deletion");
    }

    [Fact]
    public void Deletion_scheduled_silent_when_the_call_failed_or_was_cancelled()
    {
        var findings = RuleHarness.Run(Create(), ScheduleKeyDeletion("ev-del", 60, User("mallory")).Failed("AccessDeniedException"), Call("ev-cancel", "CancelKeyDeletion", 70, Role("KeyAdmin")));
        findings.None("key-deletion-scheduled");
    }

    // ---- key-disabled --------------------------------------------------------------------------

    [Fact]
    public void Key_disabled_fires()
    {
        var f = RuleHarness.Run(Create(), Call("ev-disable", "DisableKey", 60, Role("KeyAdmin"))).Single("key-disabled");
        Assert.Equal(Severity.Medium, f.Severity);
        Assert.Equal("ev-disable", f.EventId);
        f.Names(KeyArn, RoleArn("KeyAdmin"), "EnableKey");
    }

    [Fact]
    public void Key_enabled_or_failed_disable_is_silent()
    {
        var findings = RuleHarness.Run(Create(), Call("ev-enable", "EnableKey", 60, Role("KeyAdmin")), Call("ev-disable", "DisableKey", 70, User("bob")).Failed("AccessDeniedException"));
        findings.None("key-disabled");
    }

    // ---- key-rotation-disabled -----------------------------------------------------------------

    [Fact]
    public void Rotation_disabled_fires()
    {
        var f = RuleHarness.Run(Create(), Call("ev-rot", "DisableKeyRotation", 60, Role("KeyAdmin"))).Single("key-rotation-disabled");
        Assert.Equal(Severity.Medium, f.Severity);
        f.Names(KeyArn, RoleArn("KeyAdmin"));
    }

    [Fact]
    public void Rotation_enabled_is_silent()
    {
        RuleHarness.Run(Create(), Call("ev-rot", "EnableKeyRotation", 60, Role("KeyAdmin"))).None("key-rotation-disabled");
    }

    // ---- key-material-deleted / key-material-imported ------------------------------------------

    [Fact]
    public void Imported_material_deleted_fires_high()
    {
        var f = RuleHarness.Run(Create(), Call("ev-delmat", "DeleteImportedKeyMaterial", 60, Role("KeyAdmin"))).Single("key-material-deleted");
        Assert.Equal(Severity.High, f.Severity);
        f.Names(KeyArn, RoleArn("KeyAdmin"));
    }

    [Fact]
    public void Failed_material_deletion_is_silent()
    {
        RuleHarness.Run(Create(), Call("ev-delmat", "DeleteImportedKeyMaterial", 60, User("bob")).Failed("AccessDeniedException")).None("key-material-deleted");
    }

    [Fact]
    public void Material_imported_fires_low()
    {
        var f = RuleHarness.Run(Create(), Call("ev-import", "ImportKeyMaterial", 60, Role("KeyAdmin"))).Single("key-material-imported");
        Assert.Equal(Severity.Low, f.Severity);
        f.Names(KeyArn, RoleArn("KeyAdmin"));
    }

    [Fact]
    public void Getting_import_parameters_is_silent()
    {
        RuleHarness.Run(Create(), Call("ev-params", "GetParametersForImport", 60, Role("KeyAdmin"))).None("key-material-imported");
    }

    // ---- key-unusable-calls --------------------------------------------------------------------

    [Fact]
    public void Calls_failing_after_DisableKey_fire_once_with_the_change_as_evidence()
    {
        var findings = RuleHarness.Run(Create(),
            Call("ev-disable", "DisableKey", 60, Role("KeyAdmin")),
            Decrypt("ev-fail-1", 65, Role("AppRole")).Failed("DisabledException"),
            Decrypt("ev-fail-2", 66, Role("AppRole")).Failed("DisabledException"));
        var f = findings.Single("key-unusable-calls");
        Assert.Equal(Severity.High, f.Severity);
        Assert.Equal("ev-fail-1", f.EventId);
        Assert.Equal(["ev-disable"], f.Evidence);
        Assert.Equal(RoleArn("AppRole"), f.Principal);
        f.Names(KeyArn, RoleArn("AppRole"), "DisabledException", "ev-disable");
    }

    [Fact]
    public void Calls_failing_after_ScheduleKeyDeletion_fire()
    {
        var findings = RuleHarness.Run(Create(),
            ScheduleKeyDeletion("ev-del", 60, Role("KeyAdmin")),
            Decrypt("ev-fail", 65, Role("AppRole")).Failed("KMSInvalidStateException"));
        Assert.Equal(["ev-del"], findings.Single("key-unusable-calls").Evidence);
    }

    [Fact]
    public void Unusable_calls_silent_when_no_state_change_is_known()
    {
        RuleHarness.Run(Create(), Decrypt("ev-fail", 65, Role("AppRole")).Failed("DisabledException")).None("key-unusable-calls");
    }

    [Fact]
    public void Unusable_calls_silent_after_the_key_was_enabled_again()
    {
        var findings = RuleHarness.Run(Create(),
            Call("ev-disable", "DisableKey", 60, Role("KeyAdmin")),
            Call("ev-enable", "EnableKey", 62, Role("KeyAdmin")),
            Decrypt("ev-fail", 65, Role("AppRole")).Failed("KMSInvalidStateException"));
        findings.None("key-unusable-calls");
    }

    // ---- alias-changed-in-use ------------------------------------------------------------------

    [Fact]
    public void Alias_repointed_while_in_use_fires()
    {
        var findings = RuleHarness.Run(Create(),
            Alias("ev-alias", "CreateAlias", 1, Role("KeyAdmin"), "alias/billing", KeyArn),
            Decrypt("ev-use", 60, Role("AppRole")).ByAlias("alias/billing"),
            Alias("ev-update", "UpdateAlias", 120, User("mallory"), "alias/billing", OtherKeyArn));
        var f = findings.Single("alias-changed-in-use");
        Assert.Equal(Severity.Medium, f.Severity);
        Assert.Equal("ev-update", f.EventId);
        Assert.Equal(["ev-use"], f.Evidence);
        Assert.Equal(UserArn("mallory"), f.Principal);
        f.Names("alias/billing", OtherKeyArn, UserArn("mallory"), "ev-use");
    }

    [Fact]
    public void Alias_deleted_while_in_use_fires()
    {
        var findings = RuleHarness.Run(Create(),
            Alias("ev-alias", "CreateAlias", 1, Role("KeyAdmin"), "alias/billing", KeyArn),
            Decrypt("ev-use", 60, Role("AppRole")).ByAlias("alias/billing"),
            Alias("ev-delete", "DeleteAlias", 120, Role("KeyAdmin"), "alias/billing", KeyArn));
        findings.Single("alias-changed-in-use").Names("deleted");
    }

    [Fact]
    public void Alias_change_silent_when_not_used_in_the_last_week()
    {
        var findings = RuleHarness.Run(Create(),
            Alias("ev-alias", "CreateAlias", 1, Role("KeyAdmin"), "alias/billing", KeyArn),
            Decrypt("ev-use", 60, Role("AppRole")).ByAlias("alias/billing"),
            Alias("ev-update", "UpdateAlias", 60 * 24 * 8 + 60, Role("KeyAdmin"), "alias/billing", OtherKeyArn));
        findings.None("alias-changed-in-use");
    }

    [Fact]
    public void Alias_change_silent_when_callers_use_the_key_arn()
    {
        var findings = RuleHarness.Run(Create(),
            Alias("ev-alias", "CreateAlias", 1, Role("KeyAdmin"), "alias/billing", KeyArn),
            Decrypt("ev-use", 60, Role("AppRole")),
            Alias("ev-update", "UpdateAlias", 120, Role("KeyAdmin"), "alias/billing", OtherKeyArn));
        findings.None("alias-changed-in-use");
    }
}
