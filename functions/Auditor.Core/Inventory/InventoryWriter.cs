using System.Text.Encodings.Web;
using System.Text.Json;

namespace Auditor.Core.Inventory;

/// <summary>
/// Writes a snapshot in CONTRACT section 4's format — the KMS API's field names, dates as ISO 8601 UTC strings (what
/// the AWS CLI prints) — so that <see cref="InventoryReader"/> reads back the same snapshot. Keys are written in
/// ARN order and grants in grant-id order, so the same inventory always gives the same bytes.
/// </summary>
public static class InventoryWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // Policies carry characters such as '<', '>', '+' and '&'; the default escaper would turn them into \uXXXX,
        // making the file hard to diff against `aws kms get-key-policy` output.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="snapshot"/> to <paramref name="stream"/> (left open).</summary>
    public static void Write(InventorySnapshot snapshot, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new Utf8JsonWriter(stream, Options);
        writer.WriteStartObject();
        writer.WriteString("capturedAt", KmsTimestamp.Format(snapshot.CapturedAt));
        writer.WriteStartArray("Keys");
        foreach (var key in snapshot.Keys.OrderBy(k => k.KeyArn, StringComparer.Ordinal))
        {
            WriteKey(writer, key);
        }
        writer.WriteEndArray();
        if (snapshot.Errors.Count > 0)
        {
            writer.WriteStartArray("Errors");
            foreach (var error in snapshot.Errors)
            {
                writer.WriteStartObject();
                writer.WriteString("Scope", error.Scope);
                writer.WriteString("Error", error.Error);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteKey(Utf8JsonWriter writer, InventoryKey key)
    {
        writer.WriteStartObject();
        WriteMetadata(writer, key.Metadata);
        if (key.Policy is null)
        {
            writer.WriteNull("Policy");
        }
        else
        {
            writer.WriteString("Policy", key.Policy);
        }

        writer.WriteStartArray("Grants");
        foreach (var grant in key.GrantEntries.OrderBy(g => g.Grant.GrantId, StringComparer.Ordinal))
        {
            WriteGrant(writer, grant);
        }
        writer.WriteEndArray();

        writer.WriteStartArray("Aliases");
        foreach (var alias in key.Aliases.OrderBy(a => a.AliasName, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("AliasName", alias.AliasName);
            OptionalString(writer, "AliasArn", alias.AliasArn);
            OptionalString(writer, "TargetKeyId", alias.TargetKeyId);
            OptionalDate(writer, "CreationDate", alias.CreationDate);
            OptionalDate(writer, "LastUpdatedDate", alias.LastUpdatedDate);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        if (key.RotationEnabled is { } rotation)
        {
            writer.WriteBoolean("RotationEnabled", rotation);
        }
        if (key.Tags is { } tags)
        {
            writer.WriteStartArray("Tags");
            foreach (var tag in tags)
            {
                writer.WriteStartObject();
                writer.WriteString("TagKey", tag.TagKey);
                writer.WriteString("TagValue", tag.TagValue);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (key.LastUsage is { } usage)
        {
            writer.WriteStartObject("LastUsage");
            OptionalDate(writer, "TrackingStartDate", usage.TrackingStartDate);
            writer.WriteStartObject("KeyLastUsage");
            OptionalString(writer, "Operation", usage.Operation);
            OptionalDate(writer, "Timestamp", usage.Timestamp);
            OptionalString(writer, "CloudTrailEventId", usage.CloudTrailEventId);
            OptionalString(writer, "KmsRequestId", usage.KmsRequestId);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        OptionalString(writer, "Error", key.Error);
        writer.WriteEndObject();
    }

    private static void WriteMetadata(Utf8JsonWriter writer, KmsKeyMetadata m)
    {
        writer.WriteStartObject("KeyMetadata");
        OptionalString(writer, "AWSAccountId", m.AWSAccountId);
        writer.WriteString("KeyId", m.KeyId);
        writer.WriteString("Arn", m.Arn);
        OptionalDate(writer, "CreationDate", m.CreationDate);
        if (m.Enabled is { } enabled)
        {
            writer.WriteBoolean("Enabled", enabled);
        }
        OptionalString(writer, "Description", m.Description);
        OptionalString(writer, "KeyUsage", m.KeyUsage);
        OptionalString(writer, "KeyState", m.KeyState);
        OptionalDate(writer, "DeletionDate", m.DeletionDate);
        OptionalDate(writer, "ValidTo", m.ValidTo);
        OptionalString(writer, "Origin", m.Origin);
        OptionalString(writer, "CustomKeyStoreId", m.CustomKeyStoreId);
        OptionalString(writer, "CloudHsmClusterId", m.CloudHsmClusterId);
        OptionalString(writer, "ExpirationModel", m.ExpirationModel);
        OptionalString(writer, "KeyManager", m.KeyManager);
        OptionalString(writer, "CustomerMasterKeySpec", m.CustomerMasterKeySpec);
        OptionalString(writer, "KeySpec", m.KeySpec);
        OptionalStrings(writer, "EncryptionAlgorithms", m.EncryptionAlgorithms);
        OptionalStrings(writer, "SigningAlgorithms", m.SigningAlgorithms);
        OptionalStrings(writer, "KeyAgreementAlgorithms", m.KeyAgreementAlgorithms);
        OptionalStrings(writer, "EncapsulationAlgorithms", m.EncapsulationAlgorithms);
        OptionalStrings(writer, "MacAlgorithms", m.MacAlgorithms);
        if (m.MultiRegion is { } multiRegion)
        {
            writer.WriteBoolean("MultiRegion", multiRegion);
        }
        if (m.PendingDeletionWindowInDays is { } window)
        {
            writer.WriteNumber("PendingDeletionWindowInDays", window);
        }
        OptionalString(writer, "CurrentKeyMaterialId", m.CurrentKeyMaterialId);
        foreach (var (name, value) in m.OtherFields)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    private static void WriteGrant(Utf8JsonWriter writer, InventoryGrant entry)
    {
        var g = entry.Grant;
        writer.WriteStartObject();
        writer.WriteString("KeyId", g.KeyId);
        writer.WriteString("GrantId", g.GrantId);
        OptionalString(writer, "Name", g.Name);
        OptionalDate(writer, "CreationDate", g.CreationDate);
        OptionalString(writer, "GranteePrincipal", g.GranteePrincipal);
        OptionalString(writer, "GranteeServicePrincipal", entry.GranteeServicePrincipal);
        OptionalString(writer, "RetiringPrincipal", g.RetiringPrincipal);
        OptionalString(writer, "RetiringServicePrincipal", entry.RetiringServicePrincipal);
        OptionalString(writer, "IssuingAccount", g.IssuingAccount);
        writer.WriteStartArray("Operations");
        foreach (var operation in g.Operations)
        {
            writer.WriteStringValue(operation);
        }
        writer.WriteEndArray();
        if (g.Constraints is not null || entry.SourceArnConstraint is not null)
        {
            writer.WriteStartObject("Constraints");
            OptionalMap(writer, "EncryptionContextSubset", g.Constraints?.EncryptionContextSubset);
            OptionalMap(writer, "EncryptionContextEquals", g.Constraints?.EncryptionContextEquals);
            OptionalString(writer, "SourceArn", entry.SourceArnConstraint);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void OptionalMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null)
        {
            return;
        }
        writer.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }
        writer.WriteEndObject();
    }

    private static void OptionalString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void OptionalDate(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, KmsTimestamp.Format(time));
        }
    }

    private static void OptionalStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
