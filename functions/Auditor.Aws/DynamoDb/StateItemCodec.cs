using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Auditor.Core.Findings;
using Auditor.Core.Grants;
using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Aws.DynamoDb;

/// <summary>
/// The state table's item layout (documented in <c>functions/Auditor.Functions/README.md</c>): how each piece of
/// <see cref="AuditState"/> becomes a DynamoDB item and back. Pure functions, no I/O, so every layout decision is
/// unit-tested as a round trip. Times in sort keys are ISO-8601 UTC with seven fraction digits (fixed width), so the
/// string order of sort keys is time order.
/// </summary>
public static class StateItemCodec
{
    /// <summary>The marker used in sort keys for what the inventory (not an event) established.</summary>
    public const string InventoryMarker = "inventory";

    public const string Pk = "pk";
    public const string Sk = "sk";
    public const string Ttl = "ttl";

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // ---- keys -------------------------------------------------------------------------------------------------

    public static string KeyPk(string keyArn) => "key#" + keyArn;
    public static string AliasPk(string slot) => "alias#" + slot;
    public static string AliasUsePk(string slot) => "aliasuse#" + slot;
    public static string PrincipalPk(string principal) => "principal#" + principal;
    public static string ObjectPk(string bucket, string key) => $"object#{bucket}/{key}";

    public const string MetaSk = "meta";
    public const string DenialsSk = "denials";
    public const string LastSk = "last";
    public const string CallPrefix = "call#";
    /// <summary>Sorts after every <c>call#&lt;time&gt;#…</c> key (times start with a digit).</summary>
    public const string CallUpperBound = "call#~";

    public static string PolicySk(DateTimeOffset at, string? eventId) => $"policy#{Time(at)}#{eventId ?? InventoryMarker}";
    public static string StatusSk(DateTimeOffset at, string? eventId) => $"status#{Time(at)}#{eventId ?? InventoryMarker}";
    public static string GrantSk(string grantId) => "grant#" + grantId;
    public static string CallSk(DateTimeOffset at, string eventId) => $"call#{Time(at)}#{eventId}";
    public static string CallLowerBound(DateTimeOffset from) => "call#" + Time(from);
    public static string OutageSk(string? statusEventId) => "outage#" + (statusEventId ?? InventoryMarker);
    public static string AliasAtSk(DateTimeOffset at, string? eventId) => $"at#{Time(at)}#{eventId ?? InventoryMarker}";
    public static string EtagSk(string etag) => "etag#" + etag;

    /// <summary>ISO-8601 UTC, fixed width (sortable as a string).</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string EpochSeconds(DateTimeOffset t) => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    // ---- attribute helpers ------------------------------------------------------------------------------------

    public static AttributeValue S(string value) => new() { S = value };
    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
    public static AttributeValue Bool(bool value) => new() { BOOL = value };

    public static string? GetS(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.S is not null ? v.S : null;

    public static long? GetN(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is not null && long.TryParse(v.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static bool GetBool(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.BOOL == true;

    private static Dictionary<string, AttributeValue> NewItem(string pk, string sk) => new(StringComparer.Ordinal) { [Pk] = S(pk), [Sk] = S(sk) };

    private static string Required(Dictionary<string, AttributeValue> item, string name) =>
        GetS(item, name) ?? throw new FormatException($"state item {GetS(item, Pk)} / {GetS(item, Sk)} has no '{name}'");

    // ---- policies and statuses -------------------------------------------------------------------------------

    public static Dictionary<string, AttributeValue> PolicyItem(string keyArn, PolicyVersion p)
    {
        var item = NewItem(KeyPk(keyArn), PolicySk(p.EffectiveAt, p.EventId));
        item["at"] = S(Time(p.EffectiveAt));
        item["policy"] = S(p.PolicyJson);
        item["source"] = S(p.Source.ToString());
        if (p.EventId is not null) item["eventId"] = S(p.EventId);
        return item;
    }

    public static PolicyVersion ReadPolicy(Dictionary<string, AttributeValue> item)
    {
        var source = Enum.TryParse<PolicySource>(Required(item, "source"), out var s) ? s : throw new FormatException($"unknown policy source in {GetS(item, Sk)}");
        return new PolicyVersion(ParseTime(Required(item, "at")), Required(item, "policy"), source, GetS(item, "eventId"));
    }

    public static Dictionary<string, AttributeValue> StatusItem(string keyArn, KeyStatusChange s)
    {
        var item = NewItem(KeyPk(keyArn), StatusSk(s.At, s.EventId));
        item["at"] = S(Time(s.At));
        item["status"] = S(s.Status.ToString());
        if (s.EventId is not null) item["eventId"] = S(s.EventId);
        return item;
    }

    public static KeyStatusChange ReadStatus(Dictionary<string, AttributeValue> item)
    {
        var status = Enum.TryParse<KeyStatus>(Required(item, "status"), out var s) ? s : KeyStatus.Unknown;
        return new KeyStatusChange(ParseTime(Required(item, "at")), status, GetS(item, "eventId"));
    }

    // ---- grants ------------------------------------------------------------------------------------------------

    /// <summary>The creation half of a grant item: attribute values for an UpdateItem SET (disjoint from the end half).</summary>
    public static Dictionary<string, AttributeValue> GrantCreationValues(GrantRecord g)
    {
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        if (g.Grant is { } grant) values["grant"] = S(GrantJson(grant));
        if (g.CreatedAt is { } at) values["createdAt"] = S(Time(at));
        if (g.CreatedEventId is { } id) values["createdEventId"] = S(id);
        if (g.CreatedBy is { } by) values["createdBy"] = S(by);
        return values;
    }

    /// <summary>The end half of a grant item (retirement or revocation), with its TTL.</summary>
    public static Dictionary<string, AttributeValue> GrantEndValues(GrantRecord g, TimeSpan recentCallWindow)
    {
        var endedAt = g.EndedAt ?? throw new ArgumentException("the grant has not ended", nameof(g));
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            ["endedAt"] = S(Time(endedAt)),
            ["end"] = S((g.End ?? Core.State.GrantEnd.Retired).ToString()),
            [Ttl] = new AttributeValue { N = EpochSeconds(endedAt + recentCallWindow + TimeSpan.FromDays(1)) },
        };
        if (g.EndedEventId is { } id) values["endedEventId"] = S(id);
        if (g.EndedBy is { } by) values["endedBy"] = S(by);
        return values;
    }

    /// <summary>Reads a grant item; halves written by events in <paramref name="skipEvents"/> are left out (see <see cref="DynamoStateStore"/>).</summary>
    public static GrantRecord ReadGrant(Dictionary<string, AttributeValue> item, IReadOnlySet<string>? skipEvents = null)
    {
        var sk = Required(item, Sk);
        var record = new GrantRecord { GrantId = sk["grant#".Length..] };
        var createdBy = GetS(item, "createdEventId");
        if (createdBy is null || skipEvents is null || !skipEvents.Contains(createdBy))
        {
            if (GetS(item, "grant") is { } json) record.Grant = ParseGrant(json);
            if (GetS(item, "createdAt") is { } at) record.CreatedAt = ParseTime(at);
            record.CreatedEventId = createdBy;
            record.CreatedBy = GetS(item, "createdBy");
        }
        var endedBy = GetS(item, "endedEventId");
        if (GetS(item, "endedAt") is { } ended && (endedBy is null || skipEvents is null || !skipEvents.Contains(endedBy)))
        {
            record.EndedAt = ParseTime(ended);
            record.End = Enum.TryParse<GrantEnd>(GetS(item, "end"), out var how) ? how : Core.State.GrantEnd.Retired;
            record.EndedEventId = endedBy;
            record.EndedBy = GetS(item, "endedBy");
        }
        return record;
    }

    public static string GrantJson(Grant g)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonOptions))
        {
            w.WriteStartObject();
            w.WriteString("grantId", g.GrantId);
            w.WriteString("keyId", g.KeyId);
            Opt(w, "granteePrincipal", g.GranteePrincipal);
            Opt(w, "retiringPrincipal", g.RetiringPrincipal);
            w.WriteStartArray("operations");
            foreach (var o in g.Operations) w.WriteStringValue(o);
            w.WriteEndArray();
            if (g.Constraints is { } c)
            {
                w.WriteStartObject("constraints");
                Map(w, "encryptionContextSubset", c.EncryptionContextSubset);
                Map(w, "encryptionContextEquals", c.EncryptionContextEquals);
                w.WriteEndObject();
            }
            Opt(w, "name", g.Name);
            Opt(w, "issuingAccount", g.IssuingAccount);
            if (g.CreationDate is { } created) w.WriteString("creationDate", Time(created));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static Grant ParseGrant(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var e = doc.RootElement;
        string? Str(JsonElement o, string n) => o.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        Dictionary<string, string>? ReadMap(JsonElement o, string n)
        {
            if (!o.TryGetProperty(n, out var m) || m.ValueKind != JsonValueKind.Object) return null;
            var d = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in m.EnumerateObject()) d[p.Name] = p.Value.GetString() ?? "";
            return d;
        }
        var operations = new List<string>();
        if (e.TryGetProperty("operations", out var ops) && ops.ValueKind == JsonValueKind.Array)
            foreach (var o in ops.EnumerateArray()) if (o.GetString() is { } s) operations.Add(s);
        GrantConstraints? constraints = null;
        if (e.TryGetProperty("constraints", out var c) && c.ValueKind == JsonValueKind.Object)
            constraints = new GrantConstraints { EncryptionContextSubset = ReadMap(c, "encryptionContextSubset"), EncryptionContextEquals = ReadMap(c, "encryptionContextEquals") };
        return new Grant
        {
            GrantId = Str(e, "grantId") ?? throw new FormatException("stored grant has no grantId"),
            KeyId = Str(e, "keyId") ?? throw new FormatException("stored grant has no keyId"),
            GranteePrincipal = Str(e, "granteePrincipal"),
            RetiringPrincipal = Str(e, "retiringPrincipal"),
            Operations = operations,
            Constraints = constraints,
            Name = Str(e, "name"),
            IssuingAccount = Str(e, "issuingAccount"),
            CreationDate = Str(e, "creationDate") is { } cd ? ParseTime(cd) : null,
        };
    }

    // ---- calls, last use, outages --------------------------------------------------------------------------------

    public static Dictionary<string, AttributeValue> CallItem(string keyArn, KmsEvent call, TimeSpan recentCallWindow)
    {
        var item = NewItem(KeyPk(keyArn), CallSk(call.EventTime, call.EventId));
        item["event"] = S(EventJson(call));
        item[Ttl] = new AttributeValue { N = EpochSeconds(call.EventTime + recentCallWindow) };
        return item;
    }

    public static KmsEvent ReadCall(Dictionary<string, AttributeValue> item) => ParseEvent(Required(item, "event"));

    public static string EventJson(KmsEvent e) => Encoding.UTF8.GetString(KmsEventWriter.ToUtf8(e));

    public static KmsEvent ParseEvent(string json) => KmsEventWriter.FromUtf8(Encoding.UTF8.GetBytes(json));

    public static Dictionary<string, AttributeValue> OutageItem(string keyArn, string? statusEventId, string reportedBy)
    {
        var item = NewItem(KeyPk(keyArn), OutageSk(statusEventId));
        item["reportedBy"] = S(reportedBy);
        return item;
    }

    /// <summary>The <see cref="AuditState.ReportedOutages"/> entry an outage item stands for.</summary>
    public static string OutageEntry(string keyArn, Dictionary<string, AttributeValue> item)
    {
        var id = Required(item, Sk)["outage#".Length..];
        return $"{keyArn}|{(id == InventoryMarker ? "" : id)}";
    }

    // ---- aliases ------------------------------------------------------------------------------------------------

    public static Dictionary<string, AttributeValue> AliasItem(string slot, DateTimeOffset at, string? keyArn, string? eventId, bool fromInventory)
    {
        var item = NewItem(AliasPk(slot), AliasAtSk(at, eventId));
        item["at"] = S(Time(at));
        if (keyArn is not null) item["keyArn"] = S(keyArn);
        if (eventId is not null) item["eventId"] = S(eventId);
        item["fromInventory"] = Bool(fromInventory);
        return item;
    }

    public static (string Slot, DateTimeOffset At, string? KeyArn, string? EventId, bool FromInventory) ReadAlias(Dictionary<string, AttributeValue> item) =>
        (Required(item, Pk)["alias#".Length..], ParseTime(Required(item, "at")), GetS(item, "keyArn"), GetS(item, "eventId"), GetBool(item, "fromInventory"));

    // ---- denial histories ----------------------------------------------------------------------------------------

    public static Dictionary<string, AttributeValue> DenialsItem(string principal, DenialHistory h, long version)
    {
        var item = NewItem(PrincipalPk(principal), DenialsSk);
        item["recent"] = new AttributeValue { L = h.Recent.Select(e => S(EventJson(e))).ToList() };
        item["version"] = N(version);
        return item;
    }

    public static (DenialHistory History, long Version) ReadDenials(Dictionary<string, AttributeValue> item)
    {
        var h = new DenialHistory();
        if (item.TryGetValue("recent", out var recent) && recent.L is not null)
            foreach (var v in recent.L) if (v.S is not null) h.Recent.Add(ParseEvent(v.S));
        return (h, GetN(item, "version") ?? 0);
    }

    // ---- JSON helpers -----------------------------------------------------------------------------------------------

    private static void Opt(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static void Map(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null) return;
        w.WriteStartObject(name);
        foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(k, v);
        w.WriteEndObject();
    }
}
