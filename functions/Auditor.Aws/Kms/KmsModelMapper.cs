using System.Buffers;
using System.Text.Json;
using Amazon.KeyManagementService.Model;
using Auditor.Core.Grants;
using Auditor.Core.Inventory;

namespace Auditor.Aws.Kms;

/// <summary>Maps the SDK's KMS response objects to the core's inventory model, field for field.</summary>
internal static class KmsModelMapper
{
    /// <summary>
    /// KMS timestamps have millisecond precision; the SDK parses the epoch-seconds double into ticks and can land a
    /// tick short (1.499288695918E9 becomes ...55.9179999), so round back to the millisecond the service meant.
    /// </summary>
    public static DateTimeOffset? Time(DateTime? time)
    {
        if (time is not { } t)
        {
            return null;
        }
        var utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc);
        var milliseconds = (long)Math.Round(utc.Ticks / (double)TimeSpan.TicksPerMillisecond, MidpointRounding.AwayFromZero);
        return new DateTimeOffset(milliseconds * TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }

    public static KmsKeyMetadata Metadata(KeyMetadata m) => new()
    {
        KeyId = m.KeyId,
        Arn = m.Arn,
        AWSAccountId = m.AWSAccountId,
        CreationDate = Time(m.CreationDate),
        Enabled = m.Enabled,
        Description = m.Description,
        KeyState = m.KeyState?.Value,
        KeyManager = m.KeyManager?.Value,
        KeyUsage = m.KeyUsage?.Value,
        KeySpec = m.KeySpec?.Value,
#pragma warning disable CS0618 // Deprecated in favour of KeySpec, but DescribeKey still returns it and the inventory keeps the API's shape.
        CustomerMasterKeySpec = m.CustomerMasterKeySpec?.Value,
#pragma warning restore CS0618
        Origin = m.Origin?.Value,
        DeletionDate = Time(m.DeletionDate),
        PendingDeletionWindowInDays = m.PendingDeletionWindowInDays,
        ValidTo = Time(m.ValidTo),
        ExpirationModel = m.ExpirationModel?.Value,
        MultiRegion = m.MultiRegion,
        CustomKeyStoreId = m.CustomKeyStoreId,
        CloudHsmClusterId = m.CloudHsmClusterId,
        CurrentKeyMaterialId = m.CurrentKeyMaterialId,
        EncryptionAlgorithms = m.EncryptionAlgorithms?.ToArray(),
        SigningAlgorithms = m.SigningAlgorithms?.ToArray(),
        MacAlgorithms = m.MacAlgorithms?.ToArray(),
        KeyAgreementAlgorithms = m.KeyAgreementAlgorithms?.ToArray(),
        EncapsulationAlgorithms = m.EncapsulationAlgorithms?.ToArray(),
        OtherFields = OtherFields(m),
    };

    /// <summary>The nested configurations the core keeps verbatim, rebuilt in the API's JSON shape.</summary>
    private static List<KeyValuePair<string, JsonElement>> OtherFields(KeyMetadata m)
    {
        var fields = new List<KeyValuePair<string, JsonElement>>();
        if (m.MultiRegionConfiguration is { } mrc)
        {
            fields.Add(new("MultiRegionConfiguration", Json(w =>
            {
                w.WriteStartObject();
                if (mrc.MultiRegionKeyType is not null)
                {
                    w.WriteString("MultiRegionKeyType", mrc.MultiRegionKeyType.Value);
                }
                if (mrc.PrimaryKey is { } primary)
                {
                    w.WritePropertyName("PrimaryKey");
                    RegionalKey(w, primary);
                }
                w.WriteStartArray("ReplicaKeys");
                foreach (var replica in mrc.ReplicaKeys ?? [])
                {
                    RegionalKey(w, replica);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            })));
        }
        if (m.XksKeyConfiguration is { Id: { } xksId })
        {
            fields.Add(new("XksKeyConfiguration", Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("Id", xksId);
                w.WriteEndObject();
            })));
        }
        return fields;
    }

    private static void RegionalKey(Utf8JsonWriter w, MultiRegionKey key)
    {
        w.WriteStartObject();
        if (key.Arn is not null)
        {
            w.WriteString("Arn", key.Arn);
        }
        if (key.Region is not null)
        {
            w.WriteString("Region", key.Region);
        }
        w.WriteEndObject();
    }

    private static JsonElement Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    public static InventoryGrant Grant(GrantListEntry g, string keyArn) => new()
    {
        Grant = new Grant
        {
            GrantId = g.GrantId,
            KeyId = g.KeyId is { } id && id.StartsWith("arn:", StringComparison.Ordinal) ? id : keyArn,
            GranteePrincipal = g.GranteePrincipal,
            RetiringPrincipal = g.RetiringPrincipal,
            Operations = g.Operations?.ToArray() ?? [],
            Constraints = g.Constraints is { } c && (c.EncryptionContextSubset is not null || c.EncryptionContextEquals is not null)
                ? new Auditor.Core.Grants.GrantConstraints
                {
                    EncryptionContextSubset = c.EncryptionContextSubset is { } subset ? new Dictionary<string, string>(subset, StringComparer.Ordinal) : null,
                    EncryptionContextEquals = c.EncryptionContextEquals is { } equal ? new Dictionary<string, string>(equal, StringComparer.Ordinal) : null,
                }
                : null,
            Name = g.Name,
            IssuingAccount = g.IssuingAccount,
            CreationDate = Time(g.CreationDate),
        },
        GranteeServicePrincipal = g.GranteeServicePrincipal,
        RetiringServicePrincipal = g.RetiringServicePrincipal,
        SourceArnConstraint = g.Constraints?.SourceArn,
    };

    public static InventoryAlias Alias(AliasListEntry a) => new()
    {
        AliasName = a.AliasName,
        AliasArn = a.AliasArn,
        TargetKeyId = a.TargetKeyId,
        CreationDate = Time(a.CreationDate),
        LastUpdatedDate = Time(a.LastUpdatedDate),
    };

    public static KeyLastUsage LastUsage(GetKeyLastUsageResponse r) => new()
    {
        TrackingStartDate = Time(r.TrackingStartDate),
        Operation = r.KeyLastUsage?.Operation?.Value,
        Timestamp = Time(r.KeyLastUsage?.Timestamp),
        CloudTrailEventId = r.KeyLastUsage?.CloudTrailEventId,
        KmsRequestId = r.KeyLastUsage?.KmsRequestId,
    };
}
