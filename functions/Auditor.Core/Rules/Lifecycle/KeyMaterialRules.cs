using Auditor.Core.Findings;

namespace Auditor.Core.Rules.Lifecycle;

/// <summary><c>key-rotation-disabled</c>: DisableKeyRotation on a key.</summary>
public sealed class KeyRotationDisabledRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "key-rotation-disabled", Severity.Medium,
        "Automatic rotation limits how much data one key version protects; many compliance frameworks (CIS, PCI DSS) require it on customer managed keys.",
        "Re-enable rotation with EnableKeyRotation unless an exception is documented.");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (e.EventName != "DisableKeyRotation" || !e.Succeeded) return;
        output.Add(input.Finding(Descriptor, $"Automatic rotation disabled on {input.KeyName}",
            $"{input.Principal} disabled automatic key rotation on key {input.KeyName}."));
    }
}

/// <summary><c>key-material-deleted</c>: DeleteImportedKeyMaterial — the key becomes unusable until the same material is imported again.</summary>
public sealed class KeyMaterialDeletedRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "key-material-deleted", Severity.High,
        "Without its imported material the key cannot decrypt anything; if no copy of the material exists outside AWS, the data is lost.",
        "Confirm a copy of the key material is held securely and the deletion was planned; re-import it to restore the key.");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (e.EventName != "DeleteImportedKeyMaterial" || !e.Succeeded) return;
        output.Add(input.Finding(Descriptor, $"Imported key material deleted from {input.KeyName}",
            $"{input.Principal} deleted the imported key material of key {input.KeyName}; every operation with it fails until the same material is imported again."));
    }
}

/// <summary><c>key-material-imported</c>: ImportKeyMaterial — material from outside AWS, whose custody the account now depends on.</summary>
public sealed class KeyMaterialImportedRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "key-material-imported", Severity.Low,
        "Imported material can expire and must be kept safe outside AWS; reviewers track where it came from and when it expires.",
        "Record the material's origin and expiry; make sure its custody outside AWS meets your key-management policy.");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (e.EventName != "ImportKeyMaterial" || !e.Succeeded) return;
        output.Add(input.Finding(Descriptor, $"Key material imported into {input.KeyName}",
            $"{input.Principal} imported key material into key {input.KeyName}."));
    }
}
