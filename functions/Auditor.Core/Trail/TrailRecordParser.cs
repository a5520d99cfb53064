using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Auditor.Core.Trail;

/// <summary>
/// Maps one CloudTrail record (a parsed JSON object) to a <see cref="KmsEvent"/>. Tolerant the way real
/// captures need: unknown fields are ignored, booleans written as strings are accepted, numbers where
/// strings are expected are kept as their text. Strict only where the auditor cannot work without a
/// value (eventID, eventTime, eventName).
/// </summary>
public static class TrailRecordParser
{
    public const string KmsEventSource = "kms.amazonaws.com";

    public static bool IsKms(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object &&
        record.TryGetProperty("eventSource", out var s) && s.ValueKind == JsonValueKind.String && s.ValueEquals(KmsEventSource);

    public static KmsEvent Parse(JsonElement r, string? source = null)
    {
        // One field at a time, in this order: reading a later field can fail (invalid UTF-8), and the first problem is the one reported.
        string eventId = Str(r, "eventID") ?? throw Missing(null, "eventID");
        if (eventId.Length == 0) throw Empty();
        string eventName = Str(r, "eventName") ?? throw Missing(eventId, "eventName");
        var eventTime = ParseEventTime(eventId, Str(r, "eventTime") ?? throw Missing(eventId, "eventTime"));

        return new KmsEvent
        {
            EventId = eventId,
            EventTime = eventTime,
            EventName = eventName,
            EventVersion = Str(r, "eventVersion"),
            AwsRegion = Str(r, "awsRegion"),
            RecipientAccountId = Str(r, "recipientAccountId"),
            SharedEventId = Str(r, "sharedEventID"),
            RequestId = Str(r, "requestID"),
            EventType = Str(r, "eventType"),
            ErrorCode = Str(r, "errorCode"),
            ErrorMessage = Str(r, "errorMessage"),
            ReadOnly = Bool(r, "readOnly"),
            UserIdentity = ParseIdentity(r),
            SourceIpAddress = Str(r, "sourceIPAddress"),
            UserAgent = Str(r, "userAgent"),
            VpcEndpointId = Str(r, "vpcEndpointId"),
            Request = ParseRequest(r),
            Resources = ParseResources(r),
            Source = source,
        };
    }

    /// <summary>The fields without which the auditor cannot work, checked (and their errors worded) one way for every path.</summary>
    internal static (string EventId, string EventName, DateTimeOffset EventTime) Require(string? eventId, string? eventName, string? time)
    {
        if (eventId is null) throw Missing(null, "eventID");
        if (eventId.Length == 0) throw Empty();
        if (eventName is null) throw Missing(eventId, "eventName");
        if (time is null) throw Missing(eventId, "eventTime");
        return (eventId, eventName, ParseEventTime(eventId, time));
    }

    private static TrailFormatException Missing(string? eventId, string field) =>
        new(eventId is null ? $"KMS record has no {field}" : $"KMS record {eventId} has no {field}");

    private static TrailFormatException Empty() => new("KMS record has an empty eventID");

    private static DateTimeOffset ParseEventTime(string eventId, string time)
    {
        if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var eventTime))
            throw new TrailFormatException($"KMS record {eventId} has an unparseable eventTime \"{Clip(time)}\"");
        // CloudTrail began in 2013; a time before 2000 or far in the future is forged or corrupt, and would
        // overflow the time arithmetic of correlation windows.
        if (eventTime.Year < 2000 || eventTime > DateTimeOffset.UtcNow.AddYears(1))
            throw new TrailFormatException($"KMS record {eventId} has an eventTime out of range \"{Clip(time)}\"");
        return eventTime;
    }

    /// <summary>What reading the key of one record found.</summary>
    internal enum KeyReadOutcome
    {
        /// <summary>Not a KMS record (its <c>eventSource</c> is not <c>kms.amazonaws.com</c>).</summary>
        NotKms,
        /// <summary>A KMS record whose key was read; <see cref="Parse"/> of the same bytes will not fail.</summary>
        Kms,
        /// <summary>The record has escapes or invalid UTF-8: only <see cref="Parse"/> can say exactly what it holds.</summary>
        NeedsFullParse,
    }

    /// <summary>
    /// Reads only what ordering and de-duplication need — is it KMS, eventID, eventName, eventTime — from one record's
    /// JSON (already known to be one well-formed object); <see cref="Require"/> then makes exactly the checks (and
    /// errors) of <see cref="Parse"/>: a KMS record that passes both parses later without error, so a host may keep the bytes and materialise the
    /// event once, when it is judged. A record with a backslash or invalid UTF-8 is left to the full parse,
    /// because there reading a string can fail (invalid UTF-8, lone surrogate escapes) on fields read only there.
    /// Properties are matched as <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> does: the last of
    /// duplicate names wins.
    /// </summary>
    internal static KeyReadOutcome ReadKey(ReadOnlySpan<byte> json, int maxDepth, out string? id, out string? name, out string? time)
    {
        id = name = time = null;
        if (json.IndexOf((byte)'\\') >= 0 || !Utf8.IsValid(json)) return KeyReadOutcome.NeedsFullParse;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return KeyReadOutcome.NotKms;
        bool kms = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int which = reader.ValueTextEquals("eventSource"u8) ? 1 : reader.ValueTextEquals("eventID"u8) ? 2
                : reader.ValueTextEquals("eventName"u8) ? 3 : reader.ValueTextEquals("eventTime"u8) ? 4 : 0;
            reader.Read();
            switch (which)
            {
                case 1: kms = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(KmsEventSource); break;
                case 2: id = ScalarText(ref reader); break;
                case 3: name = ScalarText(ref reader); break;
                case 4: time = ScalarText(ref reader); break;
            }
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
        }
        return kms ? KeyReadOutcome.Kms : KeyReadOutcome.NotKms;
    }

    /// <summary><see cref="Str"/> for the reader's current value: strings as text, numbers and booleans as written, else null.</summary>
    private static string? ScalarText(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        _ => null,
    };

    private static UserIdentity ParseIdentity(JsonElement r)
    {
        if (!r.TryGetProperty("userIdentity", out var u) || u.ValueKind != JsonValueKind.Object) return new UserIdentity();
        SessionIssuer? issuer = null;
        bool? mfa = null;
        if (u.TryGetProperty("sessionContext", out var sc) && sc.ValueKind == JsonValueKind.Object)
        {
            if (sc.TryGetProperty("sessionIssuer", out var si) && si.ValueKind == JsonValueKind.Object)
                issuer = new SessionIssuer
                {
                    Type = Str(si, "type"),
                    PrincipalId = Str(si, "principalId"),
                    Arn = Str(si, "arn"),
                    AccountId = Str(si, "accountId"),
                    UserName = Str(si, "userName"),
                };
            if (sc.TryGetProperty("attributes", out var at) && at.ValueKind == JsonValueKind.Object)
                mfa = Bool(at, "mfaAuthenticated");
        }
        string? identityStoreArn = null;
        if (u.TryGetProperty("onBehalfOf", out var ob) && ob.ValueKind == JsonValueKind.Object)
            identityStoreArn = Str(ob, "identityStoreArn");
        return new UserIdentity
        {
            Type = Str(u, "type"),
            PrincipalId = Str(u, "principalId"),
            Arn = Str(u, "arn"),
            AccountId = Str(u, "accountId"),
            AccessKeyId = Str(u, "accessKeyId"),
            UserName = Str(u, "userName"),
            InvokedBy = Str(u, "invokedBy"),
            SessionIssuer = issuer,
            MfaAuthenticated = mfa,
            IdentityStoreArn = identityStoreArn,
            CredentialId = Str(u, "credentialId"),
        };
    }

    private static KmsRequest ParseRequest(JsonElement r)
    {
        r.TryGetProperty("requestParameters", out var p);
        r.TryGetProperty("responseElements", out var re);
        r.TryGetProperty("additionalEventData", out var ad);
        if (p.ValueKind != JsonValueKind.Object) p = default;
        if (re.ValueKind != JsonValueKind.Object) re = default;
        if (ad.ValueKind != JsonValueKind.Object) ad = default;
        if (p.ValueKind == JsonValueKind.Undefined && re.ValueKind == JsonValueKind.Undefined && ad.ValueKind == JsonValueKind.Undefined)
            return KmsRequest.Empty;

        IReadOnlyDictionary<string, string>? subset = null, equals = null;
        if (Obj(p, "constraints") is { } c)
        {
            subset = Dict(c, "encryptionContextSubset");
            equals = Dict(c, "encryptionContextEquals");
        }

        string? createdKeyId = null, createdKeyArn = null;
        if (Obj(re, "keyMetadata") is { } km)
        {
            createdKeyId = Str(km, "keyId");
            createdKeyArn = Str(km, "arn");
        }

        return new KmsRequest
        {
            KeyId = Str(p, "keyId"),
            EncryptionContext = Dict(p, "encryptionContext"),
            EncryptionAlgorithm = Str(p, "encryptionAlgorithm") ?? Str(p, "destinationEncryptionAlgorithm"),
            SourceKeyId = Str(p, "sourceKeyId"),
            DestinationKeyId = Str(p, "destinationKeyId"),
            SourceEncryptionContext = Dict(p, "sourceEncryptionContext"),
            DestinationEncryptionContext = Dict(p, "destinationEncryptionContext"),
            GranteePrincipal = Str(p, "granteePrincipal"),
            RetiringPrincipal = Str(p, "retiringPrincipal"),
            Operations = List(p, "operations"),
            ConstraintEncryptionContextSubset = subset,
            ConstraintEncryptionContextEquals = equals,
            GrantName = Str(p, "name"),
            GrantId = Str(re, "grantId") ?? Str(p, "grantId") ?? Str(ad, "grantId"),
            GrantToken = Str(p, "grantToken"),
            Policy = Str(p, "policy"),
            PolicyName = Str(p, "policyName"),
            BypassPolicyLockoutSafetyCheck = Bool(p, "bypassPolicyLockoutSafetyCheck"),
            AliasName = Str(p, "aliasName"),
            TargetKeyId = Str(p, "targetKeyId"),
            PendingWindowInDays = Int(p, "pendingWindowInDays"),
            DeletionDate = Date(re, "deletionDate"),
            KeySpec = Str(p, "keySpec") ?? Str(p, "customerMasterKeySpec"),
            KeyUsage = Str(p, "keyUsage"),
            Origin = Str(p, "origin"),
            MultiRegion = Bool(p, "multiRegion"),
            DryRun = Bool(p, "dryRun"),
            CreatedKeyId = createdKeyId,
            CreatedKeyArn = createdKeyArn,
            ResponseKeyId = Str(re, "keyId"),
            KeyMaterialId = Str(ad, "keyMaterialId") ?? Str(re, "keyMaterialId"),
        };
    }

    private static IReadOnlyList<TrailResource> ParseResources(JsonElement r)
    {
        if (!r.TryGetProperty("resources", out var rs) || rs.ValueKind != JsonValueKind.Array) return [];
        var list = new List<TrailResource>(rs.GetArrayLength());
        foreach (var e in rs.EnumerateArray())
            if (e.ValueKind == JsonValueKind.Object)
                list.Add(new TrailResource(Str(e, "ARN") ?? Str(e, "arn"), Str(e, "accountId"), Str(e, "type")));
        return list;
    }

    // Tolerant accessors. Each returns null for a missing property or JSON null.

    internal static string? Str(JsonElement o, string name)
    {
        if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => null,
        };
    }

    internal static bool? Bool(JsonElement o, string name)
    {
        if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(v.GetString(), out bool b) => b,
            _ => null,
        };
    }

    private static int? Int(JsonElement o, string name)
    {
        if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i)) return i;
        if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out i)) return i;
        return null;
    }

    private static DateTimeOffset? Date(JsonElement o, string name)
    {
        string? s = Str(o, name);
        if (s is null) return null;
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)) return d;
        // KMS sometimes writes "Dec 1, 2014 12:00:00 AM"; both parse above. Epoch seconds from the API shapes:
        // Only epochs DateTimeOffset can hold (up to 9999-12-31): a hostile 1e300 is no date, not a crash.
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double secs) && double.IsFinite(secs) && Math.Abs(secs) <= 253_402_300_799d)
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(secs * 1000));
        return null;
    }

    private static JsonElement? Obj(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static IReadOnlyDictionary<string, string>? Dict(JsonElement o, string name)
    {
        if (Obj(o, name) is not { } d) return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in d.EnumerateObject())
            map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        return map;
    }

    private static IReadOnlyList<string>? List(JsonElement o, string name)
    {
        if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.String) return [v.GetString()!];
        if (v.ValueKind != JsonValueKind.Array) return null;
        var list = new List<string>(v.GetArrayLength());
        foreach (var e in v.EnumerateArray())
            if (e.ValueKind == JsonValueKind.String) list.Add(e.GetString()!);
        return list;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
