namespace Auditor.Core.Trail;

/// <summary>Groups of KMS operations the rules reason about.</summary>
public static class KmsOperations
{
    /// <summary>Operations that use key material: a successful one is a "use" of the key.</summary>
    public static readonly IReadOnlySet<string> Cryptographic = new HashSet<string>(StringComparer.Ordinal)
    {
        "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "Sign", "Verify", "GenerateMac", "VerifyMac", "DeriveSharedSecret",
    };

    /// <summary>Operations a grant can allow (KMS GrantOperation values).</summary>
    public static readonly IReadOnlySet<string> GrantOperations = new HashSet<string>(StringComparer.Ordinal)
    {
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign",
        "Verify", "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac", "DeriveSharedSecret",
    };
}
