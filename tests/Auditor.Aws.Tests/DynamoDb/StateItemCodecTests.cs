using Amazon.DynamoDBv2.Model;
using Auditor.Aws.DynamoDb;
using Auditor.Core.Authorization;
using Auditor.Core.Findings;
using Auditor.Core.Grants;
using Auditor.Core.State;
using Auditor.Core.Trail;
using static Auditor.Aws.DynamoDb.StateItemCodec;

namespace Auditor.Aws.Tests.DynamoDb;

public class StateItemCodecTests
{
    private const string KeyArn = "arn:aws:kms:us-west-2:111122223333:key/5f7f7e10-0c18-4ae3-aac1-88b26ba4908b";
    private static readonly DateTimeOffset T = new(2026, 10, 8, 10, 30, 0, 123, TimeSpan.Zero);

    private static KmsEvent Decrypt(string id, DateTimeOffset at, string? error = null) => new()
    {
        EventId = id,
        EventTime = at,
        EventName = "Decrypt",
        AwsRegion = "us-west-2",
        RecipientAccountId = "111122223333",
        ErrorCode = error,
        UserIdentity = new UserIdentity { Type = "AssumedRole", Arn = "arn:aws:sts::111122223333:assumed-role/OrdersApp/s", AccountId = "111122223333",
            SessionIssuer = new SessionIssuer { Type = "Role", Arn = "arn:aws:iam::111122223333:role/OrdersApp", AccountId = "111122223333" } },
        Request = new KmsRequest { KeyId = KeyArn, EncryptionContext = new Dictionary<string, string> { ["app"] = "orders" }, EncryptionAlgorithm = "SYMMETRIC_DEFAULT" },
        Resources = [new TrailResource(KeyArn, "111122223333", "AWS::KMS::Key")],
    };

    [Fact]
    public void Sort_keys_order_by_time_whatever_the_fraction()
    {
        var early = PolicySk(new DateTimeOffset(2026, 1, 1, 0, 0, 9, TimeSpan.Zero), "z");
        var late = PolicySk(new DateTimeOffset(2026, 1, 1, 0, 0, 10, 5, TimeSpan.Zero), "a");
        Assert.True(string.CompareOrdinal(early, late) < 0);
        Assert.Equal("policy#2026-01-01T00:00:09.0000000Z#z", early);
        Assert.Equal("status#2026-01-01T00:00:09.0000000Z#inventory", StatusSk(new DateTimeOffset(2026, 1, 1, 0, 0, 9, TimeSpan.Zero), null));
        var call = CallSk(T, "e");
        Assert.True(string.CompareOrdinal(call, CallLowerBound(T)) > 0);
        Assert.True(string.CompareOrdinal(call, CallUpperBound) < 0);
        Assert.True(string.CompareOrdinal("grant#x", CallUpperBound) > 0 && string.CompareOrdinal("meta", CallUpperBound) > 0);
        Assert.True(string.CompareOrdinal("outage#x", CallUpperBound) > 0 && string.CompareOrdinal(early, CallUpperBound) > 0);
    }

    [Theory]
    [InlineData(PolicySource.PutKeyPolicy, "ev-1")]
    [InlineData(PolicySource.Inventory, null)]
    public void Policy_round_trips(PolicySource source, string? eventId)
    {
        var p = new PolicyVersion(T, """{"Version":"2012-10-17","Statement":[]}""", source, eventId);
        var item = PolicyItem(KeyArn, p);
        Assert.Equal("key#" + KeyArn, item[Pk].S);
        Assert.Equal(p, ReadPolicy(item));
    }

    [Fact]
    public void Status_round_trips()
    {
        var s = new KeyStatusChange(T, KeyStatus.PendingDeletion, "ev-2");
        Assert.Equal(s, ReadStatus(StatusItem(KeyArn, s)));
        var inv = new KeyStatusChange(T, KeyStatus.Enabled, null);
        Assert.Equal(inv, ReadStatus(StatusItem(KeyArn, inv)));
    }

    private static GrantRecord FullGrant() => new()
    {
        GrantId = "g-1",
        Grant = new Grant
        {
            GrantId = "g-1", KeyId = KeyArn, GranteePrincipal = "arn:aws:iam::111122223333:role/OrdersApp", RetiringPrincipal = "arn:aws:iam::111122223333:role/PlatformOps",
            Operations = ["Decrypt", "GenerateDataKey"], Name = "orders",
            Constraints = new GrantConstraints { EncryptionContextSubset = new Dictionary<string, string> { ["app"] = "orders", ["b"] = "é \"q\"" } },
            IssuingAccount = "arn:aws:iam::111122223333:root", CreationDate = T.AddHours(-1),
        },
        CreatedAt = T.AddHours(-1), CreatedEventId = "create-1", CreatedBy = "arn:aws:iam::111122223333:user/alice",
        EndedAt = T, End = GrantEnd.Revoked, EndedEventId = "revoke-1", EndedBy = "arn:aws:iam::111122223333:role/KeyAdmin",
    };

    private static Dictionary<string, AttributeValue> GrantItem(GrantRecord g)
    {
        var item = new Dictionary<string, AttributeValue> { [Pk] = S(KeyPk(KeyArn)), [Sk] = S(GrantSk(g.GrantId)) };
        foreach (var (k, v) in GrantCreationValues(g)) item[k] = v;
        if (g.EndedAt is not null) foreach (var (k, v) in GrantEndValues(g, TimeSpan.FromDays(7))) item[k] = v;
        return item;
    }

    [Fact]
    public void Grant_round_trips_both_halves_with_its_ttl()
    {
        var g = FullGrant();
        var item = GrantItem(g);
        var back = ReadGrant(item);
        Assert.Equal(g.Grant!.GranteePrincipal, back.Grant!.GranteePrincipal);
        Assert.Equal(g.Grant.Operations, back.Grant.Operations);
        Assert.Equal(g.Grant.Constraints!.EncryptionContextSubset, back.Grant.Constraints!.EncryptionContextSubset);
        Assert.Null(back.Grant.Constraints.EncryptionContextEquals);
        Assert.Equal(g.Grant with { Operations = back.Grant.Operations, Constraints = back.Grant.Constraints }, back.Grant);
        Assert.Equal((g.CreatedAt, g.CreatedEventId, g.CreatedBy, g.EndedAt, g.End, g.EndedEventId, g.EndedBy),
            (back.CreatedAt, back.CreatedEventId, back.CreatedBy, back.EndedAt, back.End, back.EndedEventId, back.EndedBy));
        Assert.Equal((T + TimeSpan.FromDays(8)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), item[Ttl].N);
    }

    [Fact]
    public void Grant_halves_written_by_the_objects_own_events_are_left_out()
    {
        var item = GrantItem(FullGrant());
        var withoutEnd = ReadGrant(item, new HashSet<string> { "revoke-1" });
        Assert.NotNull(withoutEnd.Grant);
        Assert.Null(withoutEnd.EndedAt);
        var withoutCreation = ReadGrant(item, new HashSet<string> { "create-1" });
        Assert.Null(withoutCreation.Grant);
        Assert.Equal(T, withoutCreation.EndedAt);
    }

    [Fact]
    public void An_end_known_alone_reads_back_as_an_ended_grant_without_creation()
    {
        var g = new GrantRecord { GrantId = "g-2", EndedAt = T, End = GrantEnd.Retired, EndedEventId = "r", EndedBy = "p" };
        var back = ReadGrant(GrantItem(g));
        Assert.Null(back.Grant);
        Assert.Equal((T, GrantEnd.Retired, "r", "p"), (back.EndedAt!.Value, back.End!.Value, back.EndedEventId, back.EndedBy));
    }

    [Fact]
    public void Call_round_trips_through_the_cloudtrail_record_form_with_its_ttl()
    {
        var call = Decrypt("c-1", T);
        var item = CallItem(KeyArn, call, TimeSpan.FromDays(7));
        Assert.Equal(CallSk(T, "c-1"), item[Sk].S);
        var back = ReadCall(item);
        Assert.Equal((call.EventId, call.EventTime, call.EventName, call.Request.KeyId), (back.EventId, back.EventTime, back.EventName, back.Request.KeyId));
        Assert.Equal(call.Request.EncryptionContext, back.Request.EncryptionContext);
        Assert.Equal(PrincipalNames.Display(call.UserIdentity), PrincipalNames.Display(back.UserIdentity));
        Assert.Equal(KeyArn, back.Resources.Single().Arn);
        Assert.Equal((T + TimeSpan.FromDays(7)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), item[Ttl].N);
    }

    [Fact]
    public void Alias_round_trips_including_a_deletion()
    {
        var set = AliasItem("111122223333|us-west-2|alias/orders", T, KeyArn, "ev-3", false);
        Assert.Equal(("111122223333|us-west-2|alias/orders", T, (string?)KeyArn, (string?)"ev-3", false), ReadAlias(set));
        var deleted = AliasItem("111122223333|us-west-2|alias/orders", T, null, "ev-4", false);
        Assert.Null(ReadAlias(deleted).KeyArn);
        var inventory = AliasItem("111122223333|us-west-2|alias/orders", T, KeyArn, null, true);
        Assert.Equal("at#2026-10-08T10:30:00.1230000Z#inventory", inventory[Sk].S);
        Assert.True(ReadAlias(inventory).FromInventory);
    }

    [Fact]
    public void Outage_marker_stands_for_the_same_reported_outage_entry()
    {
        Assert.Equal($"{KeyArn}|status-1", OutageEntry(KeyArn, OutageItem(KeyArn, "status-1", "call-9")));
        Assert.Equal($"{KeyArn}|", OutageEntry(KeyArn, OutageItem(KeyArn, null, "call-9")));
    }

    [Fact]
    public void Denial_history_round_trips_with_its_version()
    {
        var h = new DenialHistory();
        h.Recent.Add(Decrypt("d-1", T.AddMinutes(-1), "AccessDenied"));
        h.Recent.Add(Decrypt("d-2", T, "AccessDeniedException"));
        var (back, version) = ReadDenials(DenialsItem("arn:aws:iam::111122223333:role/OrdersApp", h, 7));
        Assert.Equal(7, version);
        Assert.Equal(["d-1", "d-2"], back.Recent.Select(e => e.EventId));
        Assert.Equal(["AccessDenied", "AccessDeniedException"], back.Recent.Select(e => e.ErrorCode));
    }

    [Fact]
    public void An_item_missing_a_required_attribute_is_a_format_error_naming_it()
    {
        var item = PolicyItem(KeyArn, new PolicyVersion(T, "{}", PolicySource.PutKeyPolicy, "e"));
        item.Remove("policy");
        var e = Assert.Throws<FormatException>(() => ReadPolicy(item));
        Assert.Contains("'policy'", e.Message);
    }
}
