using System.Text.Json;

namespace Auditor.Core.Inventory;

/// <summary>
/// <c>DescribeKey</c>'s KeyMetadata with the field names the API and the AWS CLI use. Fields the auditor does not
/// interpret (MultiRegionConfiguration, XksKeyConfiguration, anything KMS adds later) are kept verbatim in
/// <see cref="OtherFields"/> so a snapshot is written back as it was read.
/// </summary>
public sealed record KmsKeyMetadata
{
    public required string KeyId { get; init; }
    public required string Arn { get; init; }
    public string? AWSAccountId { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    public bool? Enabled { get; init; }
    public string? Description { get; init; }
    /// <summary><c>Enabled</c>, <c>Disabled</c>, <c>PendingDeletion</c>, <c>PendingImport</c>, <c>PendingReplicaDeletion</c>, <c>Unavailable</c>, <c>Creating</c>, <c>Updating</c>.</summary>
    public string? KeyState { get; init; }
    /// <summary><c>AWS</c> or <c>CUSTOMER</c>.</summary>
    public string? KeyManager { get; init; }
    public string? KeyUsage { get; init; }
    public string? KeySpec { get; init; }
    /// <summary>The deprecated name of <see cref="KeySpec"/>, still returned by the API.</summary>
    public string? CustomerMasterKeySpec { get; init; }
    /// <summary><c>AWS_KMS</c>, <c>EXTERNAL</c>, <c>AWS_CLOUDHSM</c> or <c>EXTERNAL_KEY_STORE</c>.</summary>
    public string? Origin { get; init; }
    /// <summary>When a key pending deletion will be deleted.</summary>
    public DateTimeOffset? DeletionDate { get; init; }
    public int? PendingDeletionWindowInDays { get; init; }
    public DateTimeOffset? ValidTo { get; init; }
    public string? ExpirationModel { get; init; }
    public bool? MultiRegion { get; init; }
    public string? CustomKeyStoreId { get; init; }
    public string? CloudHsmClusterId { get; init; }
    public string? CurrentKeyMaterialId { get; init; }
    public IReadOnlyList<string>? EncryptionAlgorithms { get; init; }
    public IReadOnlyList<string>? SigningAlgorithms { get; init; }
    public IReadOnlyList<string>? MacAlgorithms { get; init; }
    public IReadOnlyList<string>? KeyAgreementAlgorithms { get; init; }
    public IReadOnlyList<string>? EncapsulationAlgorithms { get; init; }

    /// <summary>Every other field, verbatim (each element is detached from its document), in input order.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonElement>> OtherFields { get; init; } = [];
}
