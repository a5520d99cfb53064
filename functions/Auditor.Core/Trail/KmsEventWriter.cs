using System.Text.Encodings.Web;
using System.Text.Json;

namespace Auditor.Core.Trail;

/// <summary>
/// Writes a <see cref="KmsEvent"/> back as a CloudTrail record (the fields the auditor models, in
/// CloudTrail's own names), so state stores can keep calls for re-judging and read them back with the
/// same <see cref="TrailRecordParser"/> that reads the trail — one format, one parser.
/// </summary>
public static class KmsEventWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToUtf8(KmsEvent e)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options)) Write(e, w);
        return buffer.ToArray();
    }

    /// <summary>Reads back what <see cref="ToUtf8"/> wrote.</summary>
    public static KmsEvent FromUtf8(ReadOnlyMemory<byte> json)
    {
        using var doc = JsonDocument.Parse(json);
        return TrailRecordParser.Parse(doc.RootElement);
    }

    public static void Write(KmsEvent e, Utf8JsonWriter w)
    {
        w.WriteStartObject();
        Str(w, "eventVersion", e.EventVersion);
        WriteIdentity(w, e.UserIdentity);
        w.WriteString("eventTime", e.EventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("eventSource", TrailRecordParser.KmsEventSource);
        w.WriteString("eventName", e.EventName);
        Str(w, "awsRegion", e.AwsRegion);
        Str(w, "sourceIPAddress", e.SourceIpAddress);
        Str(w, "userAgent", e.UserAgent);
        Str(w, "errorCode", e.ErrorCode);
        Str(w, "errorMessage", e.ErrorMessage);
        var r = e.Request;
        w.WriteStartObject("requestParameters");
        Str(w, "keyId", r.KeyId);
        Map(w, "encryptionContext", r.EncryptionContext);
        Str(w, "encryptionAlgorithm", r.EncryptionAlgorithm);
        Str(w, "sourceKeyId", r.SourceKeyId);
        Str(w, "destinationKeyId", r.DestinationKeyId);
        Map(w, "sourceEncryptionContext", r.SourceEncryptionContext);
        Map(w, "destinationEncryptionContext", r.DestinationEncryptionContext);
        Str(w, "granteePrincipal", r.GranteePrincipal);
        Str(w, "retiringPrincipal", r.RetiringPrincipal);
        if (r.Operations is { } ops)
        {
            w.WriteStartArray("operations");
            foreach (var o in ops) w.WriteStringValue(o);
            w.WriteEndArray();
        }
        if (r.ConstraintEncryptionContextSubset is not null || r.ConstraintEncryptionContextEquals is not null)
        {
            w.WriteStartObject("constraints");
            Map(w, "encryptionContextSubset", r.ConstraintEncryptionContextSubset);
            Map(w, "encryptionContextEquals", r.ConstraintEncryptionContextEquals);
            w.WriteEndObject();
        }
        Str(w, "name", r.GrantName);
        Str(w, "grantToken", r.GrantToken);
        Str(w, "policy", r.Policy);
        Str(w, "policyName", r.PolicyName);
        Bool(w, "bypassPolicyLockoutSafetyCheck", r.BypassPolicyLockoutSafetyCheck);
        Str(w, "aliasName", r.AliasName);
        Str(w, "targetKeyId", r.TargetKeyId);
        if (r.PendingWindowInDays is { } days) w.WriteNumber("pendingWindowInDays", days);
        Str(w, "keySpec", r.KeySpec);
        Str(w, "keyUsage", r.KeyUsage);
        Str(w, "origin", r.Origin);
        Bool(w, "multiRegion", r.MultiRegion);
        Bool(w, "dryRun", r.DryRun);
        w.WriteEndObject();
        w.WriteStartObject("responseElements");
        // The grant id goes here only: the parser reads responseElements first, so it comes back unchanged.
        Str(w, "grantId", r.GrantId);
        Str(w, "keyId", r.ResponseKeyId);
        if (r.DeletionDate is { } dd) w.WriteString("deletionDate", dd.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        if (r.CreatedKeyId is not null || r.CreatedKeyArn is not null)
        {
            w.WriteStartObject("keyMetadata");
            Str(w, "keyId", r.CreatedKeyId);
            Str(w, "arn", r.CreatedKeyArn);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        if (r.KeyMaterialId is not null)
        {
            w.WriteStartObject("additionalEventData");
            w.WriteString("keyMaterialId", r.KeyMaterialId);
            w.WriteEndObject();
        }
        Str(w, "requestID", e.RequestId);
        w.WriteString("eventID", e.EventId);
        Bool(w, "readOnly", e.ReadOnly);
        w.WriteStartArray("resources");
        foreach (var res in e.Resources)
        {
            w.WriteStartObject();
            Str(w, "accountId", res.AccountId);
            Str(w, "type", res.Type);
            Str(w, "ARN", res.Arn);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Str(w, "eventType", e.EventType);
        Str(w, "recipientAccountId", e.RecipientAccountId);
        Str(w, "sharedEventID", e.SharedEventId);
        Str(w, "vpcEndpointId", e.VpcEndpointId);
        w.WriteEndObject();
    }

    private static void WriteIdentity(Utf8JsonWriter w, UserIdentity u)
    {
        w.WriteStartObject("userIdentity");
        Str(w, "type", u.Type);
        Str(w, "principalId", u.PrincipalId);
        Str(w, "arn", u.Arn);
        Str(w, "accountId", u.AccountId);
        Str(w, "accessKeyId", u.AccessKeyId);
        Str(w, "userName", u.UserName);
        Str(w, "invokedBy", u.InvokedBy);
        Str(w, "credentialId", u.CredentialId);
        if (u.SessionIssuer is not null || u.MfaAuthenticated is not null)
        {
            w.WriteStartObject("sessionContext");
            if (u.SessionIssuer is { } s)
            {
                w.WriteStartObject("sessionIssuer");
                Str(w, "type", s.Type);
                Str(w, "principalId", s.PrincipalId);
                Str(w, "arn", s.Arn);
                Str(w, "accountId", s.AccountId);
                Str(w, "userName", s.UserName);
                w.WriteEndObject();
            }
            if (u.MfaAuthenticated is { } mfa)
            {
                w.WriteStartObject("attributes");
                w.WriteString("mfaAuthenticated", mfa ? "true" : "false");
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        if (u.IdentityStoreArn is not null)
        {
            w.WriteStartObject("onBehalfOf");
            w.WriteString("identityStoreArn", u.IdentityStoreArn);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void Str(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static void Bool(Utf8JsonWriter w, string name, bool? value)
    {
        if (value is { } b) w.WriteBoolean(name, b);
    }

    private static void Map(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null) return;
        w.WriteStartObject(name);
        foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(k, v);
        w.WriteEndObject();
    }
}
