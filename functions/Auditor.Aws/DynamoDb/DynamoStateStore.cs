using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Auditor.Core.Findings;
using Auditor.Core.Rules;
using Auditor.Core.State;
using Auditor.Core.Trail;
using static Auditor.Aws.DynamoDb.StateItemCodec;

namespace Auditor.Aws.DynamoDb;

/// <summary>
/// The correlation state shared by every <c>ingest</c> invocation, in one DynamoDB table (string keys <c>pk</c>,
/// <c>sk</c>; TTL attribute <c>ttl</c>). For one log object it hydrates an <see cref="AuditState"/> holding only what the
/// object's events touch (<see cref="LoadAsync"/>), and afterwards persists only what those events changed
/// (<see cref="SaveAsync"/>). Low-level client only: no reflection, AOT and trim clean.
/// </summary>
/// <remarks>
/// <para><b>Idempotency.</b> What this object's own events stored earlier (a delivery that crashed after saving, or a
/// redelivery) is left out when hydrating — items written by an event of the object, calls of the object, outage
/// markers it reported, its denials — so processing the object again starts from the state before it and gives the
/// same findings.</para>
/// <para><b>Concurrency.</b> Items written by one event are immutable (puts of the same bytes). Grants are written
/// with UpdateItem on disjoint attributes (creation vs end), the end with "earliest end wins"; last use and alias
/// uses with "only if newer"; outage markers put-if-absent. Those conditions failing is a benign no-op. The one
/// read-modify-write is a principal's denial history: it carries a version, and a conflicting write raises
/// <see cref="StateConflictException"/>, upon which the caller processes the whole object again.</para>
/// </remarks>
public sealed class DynamoStateStore(IAmazonDynamoDB db, string tableName, AuditOptions? options = null)
{
    /// <summary>Denials kept per stored history (a DynamoDB item holds at most 400 KB).</summary>
    public const int MaxStoredDenials = 100;

    private readonly AuditOptions _options = options ?? AuditOptions.Default;

    public string TableName => tableName;

    // ================================================================================================ table

    /// <summary>Creates the table (PAY_PER_REQUEST) when missing, waits until ACTIVE and enables TTL on <c>ttl</c>.</summary>
    /// <returns>A note for the log when TTL could not be enabled (local stand-ins lack the API), else null.</returns>
    public async Task<string?> EnsureTableAsync(CancellationToken ct)
    {
        bool exists = true;
        try
        {
            await db.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, ct).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            exists = false;
        }
        if (!exists)
        {
            try
            {
                await db.CreateTableAsync(new CreateTableRequest
                {
                    TableName = tableName,
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    AttributeDefinitions = [new AttributeDefinition(Pk, ScalarAttributeType.S), new AttributeDefinition(Sk, ScalarAttributeType.S)],
                    KeySchema = [new KeySchemaElement(Pk, KeyType.HASH), new KeySchemaElement(Sk, KeyType.RANGE)],
                }, ct).ConfigureAwait(false);
            }
            catch (ResourceInUseException)
            {
                // Another cold start created it first.
            }
        }
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var table = await db.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, ct).ConfigureAwait(false);
            if (table.Table.TableStatus == TableStatus.ACTIVE) break;
            if (DateTime.UtcNow > deadline) throw new StateStoreException($"table {tableName} is still {table.Table.TableStatus} after 2 minutes");
            await Task.Delay(200, ct).ConfigureAwait(false);
        }
        if (exists) return null;
        try
        {
            await db.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = tableName,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = Ttl, Enabled = true },
            }, ct).ConfigureAwait(false);
            return null;
        }
        catch (AmazonServiceException e)
        {
            return $"TTL could not be enabled on {tableName}: {e.ErrorCode ?? e.Message}";
        }
    }

    // ================================================================================================ load

    /// <summary>Hydrates the state one object's events need (see the class remarks for what is left out).</summary>
    public async Task<LoadedState> LoadAsync(IReadOnlyList<KmsEvent> events, CancellationToken ct)
    {
        var ids = BatchIds.Of(events);
        var state = new AuditState();
        var loaded = new LoadedState { State = state, BatchEventIds = ids };

        // Aliases first: they decide which keys the events name.
        var slots = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var e in events) foreach (var slot in AliasSlots(e)) slots.Add(slot);
        foreach (var slot in slots)
        {
            foreach (var item in await QueryAsync(AliasPk(slot), null, null, null, ct).ConfigureAwait(false))
            {
                loaded.ItemsRead++;
                var a = ReadAlias(item);
                if (a.EventId is not null && ids.Contains(a.EventId)) continue;
                state.Aliases.Restore(a.Slot, a.At, a.KeyArn, a.EventId, a.FromInventory);
            }
        }

        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var callsFrom = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var resolved = KeyResolver.Resolve(e, state.Aliases);
            if (Arns.IsKeyArn(resolved)) keys.Add(resolved!);
            foreach (var id in new[] { e.Request.KeyId, e.Request.TargetKeyId, e.Request.SourceKeyId, e.Request.DestinationKeyId })
                if (id is not null && KeyResolver.Complete(id, e, state.Aliases) is var arn && Arns.IsKeyArn(arn)) keys.Add(arn);
            if (StateChangeApplier.AffectsAuthorization(e) && Arns.IsKeyArn(resolved))
                callsFrom[resolved!] = callsFrom.TryGetValue(resolved!, out var t) && t < e.EventTime ? t : e.EventTime;
        }
        // Every key a referenced alias ever named: an in-object alias change may move a call to any of them.
        foreach (var a in state.Aliases.Entries()) if (Arns.IsKeyArn(a.KeyArn)) keys.Add(a.KeyArn!);

        foreach (var keyArn in keys)
            await LoadKeyAsync(loaded, keyArn, callsFrom.TryGetValue(keyArn, out var from) ? from : null, ct).ConfigureAwait(false);

        foreach (var principal in events.Where(e => AccessDeniedBurstRule.IsAccessDenied(e.ErrorCode))
                     .Select(e => PrincipalNames.Display(e.UserIdentity)).Distinct(StringComparer.Ordinal))
        {
            var item = await GetAsync(PrincipalPk(principal), DenialsSk, ct).ConfigureAwait(false);
            if (item is null)
            {
                loaded.DenialVersions[principal] = 0;
                continue;
            }
            loaded.ItemsRead++;
            var (history, version) = ReadDenials(item);
            WithoutBatch(history, ids);
            state.Denials[principal] = history;
            loaded.DenialVersions[principal] = version;
        }

        foreach (var slot in events.Select(AliasUseSlot).Where(s => s is not null).Distinct(StringComparer.Ordinal))
        {
            var item = await GetAsync(AliasUsePk(slot!), LastSk, ct).ConfigureAwait(false);
            if (item is null) continue;
            loaded.ItemsRead++;
            if (GetS(item, "eventId") is { } id && !ids.Contains(id) && GetS(item, "at") is { } at)
                state.AliasUses[slot!] = (ParseTime(at), id);
            else if (GetS(item, "prevEventId") is { } prev && !ids.Contains(prev) && GetS(item, "prevAt") is { } prevAt)
                state.AliasUses[slot!] = (ParseTime(prevAt), prev);
        }
        loaded.StoredAliasUses = new Dictionary<string, (DateTimeOffset, string)>(state.AliasUses, StringComparer.Ordinal);
        return loaded;
    }

    private async Task LoadKeyAsync(LoadedState loaded, string keyArn, DateTimeOffset? callsFrom, CancellationToken ct)
    {
        var ids = loaded.BatchEventIds;
        var key = loaded.State.Key(keyArn);
        var pk = KeyPk(keyArn);
        // Everything but the calls: sort keys below "call#" and above "call#~".
        var items = await QueryAsync(pk, "#sk < :a", CallPrefix, null, ct).ConfigureAwait(false);
        items.AddRange(await QueryAsync(pk, "#sk > :a", CallUpperBound, null, ct).ConfigureAwait(false));
        foreach (var item in items)
        {
            loaded.ItemsRead++;
            var sk = GetS(item, Sk)!;
            if (sk == MetaSk)
            {
                key.AwsManaged |= GetBool(item, "awsManaged");
                if (GetS(item, "lastUse") is { } json && ParseEvent(json) is var last && !ids.Contains(last.EventId)) key.LastUse = last;
            }
            else if (sk.StartsWith("policy#", StringComparison.Ordinal))
            {
                var p = ReadPolicy(item);
                if (p.EventId is not null && ids.Contains(p.EventId)) continue;
                if (p.EventId is not null) key.AppliedChanges.Add(p.EventId);
                key.AddPolicy(p);
            }
            else if (sk.StartsWith("status#", StringComparison.Ordinal))
            {
                var s = ReadStatus(item);
                if (s.EventId is not null && ids.Contains(s.EventId)) continue;
                if (s.EventId is not null) key.AppliedChanges.Add(s.EventId);
                key.AddStatus(s);
            }
            else if (sk.StartsWith("grant#", StringComparison.Ordinal))
            {
                var g = ReadGrant(item, ids);
                if (g.Grant is null && g.EndedAt is null) continue;
                if (g.CreatedEventId is not null) key.AppliedChanges.Add(g.CreatedEventId);
                if (g.EndedEventId is not null) key.AppliedChanges.Add(g.EndedEventId);
                key.Grants[g.GrantId] = g;
            }
            else if (sk.StartsWith("outage#", StringComparison.Ordinal))
            {
                var entry = OutageEntry(keyArn, item);
                loaded.StoredOutages.Add(entry);
                if (GetS(item, "reportedBy") is { } by && ids.Contains(by)) continue;
                loaded.State.ReportedOutages.Add(entry);
            }
        }
        if (callsFrom is { } from)
        {
            loaded.KeysWithCallsLoaded++;
            foreach (var item in await QueryAsync(pk, "#sk BETWEEN :a AND :b", CallLowerBound(from), CallUpperBound, ct).ConfigureAwait(false))
            {
                loaded.ItemsRead++;
                var call = ReadCall(item);
                if (!ids.Contains(call.EventId)) key.RecentCalls.Add(call);
            }
            key.RecentCalls.Sort(KmsEvent.CompareByTime);
            if (key.RecentCalls.Count > _options.RecentCallsPerKey) key.RecentCalls.RemoveRange(0, key.RecentCalls.Count - _options.RecentCallsPerKey);
        }
    }

    /// <summary>Takes this object's own denials out of a stored history, so processing the object again is idempotent.</summary>
    private void WithoutBatch(DenialHistory h, IReadOnlySet<string> ids)
    {
        h.Recent.RemoveAll(e => ids.Contains(e.EventId));
    }

    /// <summary>Alias slots (account|region|alias/NAME) an event names, computed as <see cref="KeyResolver"/> does.</summary>
    public static IEnumerable<string> AliasSlots(KmsEvent e)
    {
        string? account = e.RecipientAccountId ?? e.UserIdentity.AccountId;
        foreach (var id in new[] { e.Request.KeyId, e.Request.TargetKeyId, e.Request.SourceKeyId, e.Request.DestinationKeyId, e.Request.AliasName })
        {
            if (id is null || !(id.StartsWith("alias/", StringComparison.Ordinal) || Arns.IsAliasArn(id))) continue;
            yield return $"{Arns.Account(id) ?? account ?? ""}|{Arns.Region(id) ?? e.AwsRegion ?? ""}|{AliasBook.NormalizeName(id)}";
        }
    }

    /// <summary>The slot <c>alias-changed-in-use</c> records or consults for an event (its own formula), or null.</summary>
    public static string? AliasUseSlot(KmsEvent e)
    {
        string? id = e.EventName is "UpdateAlias" or "DeleteAlias" ? e.Request.AliasName : e.Request.KeyId;
        if (id is null || !(id.StartsWith("alias/", StringComparison.Ordinal) || Arns.IsAliasArn(id))) return null;
        return $"{Arns.Account(id) ?? e.RecipientAccountId}|{Arns.Region(id) ?? e.AwsRegion}|{AliasBook.NormalizeName(id)}";
    }

    // ================================================================================================ save

    /// <summary>
    /// Persists what the object's events changed. The denial histories go first: a conflict there
    /// (<see cref="StateConflictException"/>) happens before anything else of the object is written.
    /// </summary>
    public async Task<SaveResult> SaveAsync(LoadedState loaded, IReadOnlyList<Finding> findings, CancellationToken ct)
    {
        var ids = loaded.BatchEventIds;
        var state = loaded.State;
        int written = 0, benign = 0;

        foreach (var (principal, version) in loaded.DenialVersions)
        {
            if (!state.Denials.TryGetValue(principal, out var history)) continue;
            // Bursts are recomputed from the time-sorted denials; the newest ones are all a burst can need, and the cap keeps the item under DynamoDB's 400 KB.
            if (history.Recent.Count > MaxStoredDenials) history.Recent.RemoveRange(0, history.Recent.Count - MaxStoredDenials);
            var request = new PutItemRequest
            {
                TableName = tableName,
                Item = DenialsItem(principal, history, version + 1),
                ConditionExpression = version == 0 ? "attribute_not_exists(#pk)" : "#v = :v",
                ExpressionAttributeNames = version == 0 ? new() { ["#pk"] = Pk } : new() { ["#v"] = "version" },
                ExpressionAttributeValues = version == 0 ? null : new() { [":v"] = N(version) },
            };
            try
            {
                await Call(() => db.PutItemAsync(request, ct), "PutItem", request.Item).ConfigureAwait(false);
                written++;
            }
            catch (ConditionalCheckFailedException e)
            {
                throw new StateConflictException($"the denial history of {principal} changed since it was read (version {version})", e);
            }
        }

        var puts = new List<Dictionary<string, AttributeValue>>();
        var updates = new List<UpdateItemRequest>();
        foreach (var key in state.Keys.Values)
        {
            foreach (var p in key.Policies) if (p.EventId is not null && ids.Contains(p.EventId)) puts.Add(PolicyItem(key.KeyArn, p));
            foreach (var s in key.Statuses) if (s.EventId is not null && ids.Contains(s.EventId)) puts.Add(StatusItem(key.KeyArn, s));
            foreach (var c in key.RecentCalls) if (ids.Contains(c.EventId)) puts.Add(CallItem(key.KeyArn, c, _options.RecentCallWindow));
            foreach (var g in key.Grants.Values)
            {
                if (g.CreatedEventId is not null && ids.Contains(g.CreatedEventId)) updates.Add(GrantCreationUpdate(key.KeyArn, g, null));
                if (g.EndedEventId is not null && ids.Contains(g.EndedEventId)) updates.Add(GrantEndUpdate(key.KeyArn, g));
            }
            if (key.LastUse is { } last && ids.Contains(last.EventId)) updates.Add(LastUseUpdate(key.KeyArn, last));
        }
        foreach (var a in state.Aliases.Entries())
            if (a.EventId is not null && ids.Contains(a.EventId)) puts.Add(AliasItem(a.Slot, a.At, a.KeyArn, a.EventId, a.FromInventory));
        foreach (var (slot, use) in state.AliasUses)
            if (ids.Contains(use.EventId)) updates.Add(AliasUseUpdate(slot, use, loaded.StoredAliasUses.TryGetValue(slot, out var prev) ? prev : null));
        foreach (var entry in state.ReportedOutages)
        {
            if (loaded.StoredOutages.Contains(entry)) continue;
            int bar = entry.IndexOf('|');
            string keyArn = entry[..bar], change = entry[(bar + 1)..];
            var reporter = findings.FirstOrDefault(f => f.Rule == "key-unusable-calls" && f.KeyArn == keyArn
                && (change.Length == 0 ? f.Evidence.Count == 0 : f.Evidence.Contains(change)));
            if (reporter is null) continue;
            var item = OutageItem(keyArn, change.Length == 0 ? null : change, reporter.EventId);
            updates.Add(new UpdateItemRequest
            {
                TableName = tableName,
                Key = new() { [Pk] = item[Pk], [Sk] = item[Sk] },
                UpdateExpression = "SET #by = :by",
                ConditionExpression = "attribute_not_exists(#pk)",
                ExpressionAttributeNames = new() { ["#by"] = "reportedBy", ["#pk"] = Pk },
                ExpressionAttributeValues = new() { [":by"] = item["reportedBy"] },
            });
        }

        written += await BatchPutAsync(puts, ct).ConfigureAwait(false);
        foreach (var u in updates)
        {
            if (await UpdateAsync(u, ct).ConfigureAwait(false)) written++;
            else benign++;
        }
        return new SaveResult(written, benign);
    }

    /// <summary>Persists an inventory snapshot applied to an empty state: policies, states, grants, aliases, AWS-managed marks.</summary>
    public async Task<SaveResult> SaveInventoryAsync(AuditState state, CancellationToken ct)
    {
        var puts = new List<Dictionary<string, AttributeValue>>();
        var updates = new List<UpdateItemRequest>();
        foreach (var key in state.Keys.Values)
        {
            foreach (var p in key.Policies) if (p.Source == PolicySource.Inventory) puts.Add(PolicyItem(key.KeyArn, p));
            foreach (var s in key.Statuses) if (s.EventId is null) puts.Add(StatusItem(key.KeyArn, s));
            foreach (var g in key.Grants.Values)
                if (g.Grant is not null && g.CreatedEventId is null) updates.Add(GrantCreationUpdate(key.KeyArn, g, "attribute_not_exists(#ce)"));
            if (key.AwsManaged)
                updates.Add(new UpdateItemRequest
                {
                    TableName = tableName,
                    Key = new() { [Pk] = S(KeyPk(key.KeyArn)), [Sk] = S(MetaSk) },
                    UpdateExpression = "SET #m = :t",
                    ExpressionAttributeNames = new() { ["#m"] = "awsManaged" },
                    ExpressionAttributeValues = new() { [":t"] = Bool(true) },
                });
        }
        foreach (var a in state.Aliases.Entries())
            if (a.EventId is null) puts.Add(AliasItem(a.Slot, a.At, a.KeyArn, null, a.FromInventory));
        int written = await BatchPutAsync(puts, ct).ConfigureAwait(false), benign = 0;
        foreach (var u in updates)
        {
            if (await UpdateAsync(u, ct).ConfigureAwait(false)) written++;
            else benign++;
        }
        return new SaveResult(written, benign);
    }

    private UpdateItemRequest GrantCreationUpdate(string keyArn, GrantRecord g, string? condition)
    {
        var values = GrantCreationValues(g);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var attrValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        var sets = new List<string>();
        int i = 0;
        foreach (var (name, value) in values)
        {
            names[$"#a{i}"] = name;
            attrValues[$":a{i}"] = value;
            sets.Add($"#a{i} = :a{i}");
            i++;
        }
        if (condition is not null) names["#ce"] = "createdEventId";
        return new UpdateItemRequest
        {
            TableName = tableName,
            Key = new() { [Pk] = S(KeyPk(keyArn)), [Sk] = S(GrantSk(g.GrantId)) },
            UpdateExpression = "SET " + string.Join(", ", sets),
            ConditionExpression = condition,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = attrValues,
        };
    }

    private UpdateItemRequest GrantEndUpdate(string keyArn, GrantRecord g)
    {
        var values = GrantEndValues(g, _options.RecentCallWindow);
        var names = new Dictionary<string, string>(StringComparer.Ordinal) { ["#ended"] = "endedAt" };
        var attrValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":t"] = values["endedAt"] };
        var sets = new List<string>();
        int i = 0;
        foreach (var (name, value) in values)
        {
            if (name == "endedAt") { sets.Add("#ended = :t"); continue; }
            names[$"#e{i}"] = name;
            attrValues[$":e{i}"] = value;
            sets.Add($"#e{i} = :e{i}");
            i++;
        }
        return new UpdateItemRequest
        {
            TableName = tableName,
            Key = new() { [Pk] = S(KeyPk(keyArn)), [Sk] = S(GrantSk(g.GrantId)) },
            UpdateExpression = "SET " + string.Join(", ", sets),
            // The earliest end wins: a grant cannot be used after its first retirement.
            ConditionExpression = "attribute_not_exists(#ended) OR #ended > :t",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = attrValues,
        };
    }

    private UpdateItemRequest LastUseUpdate(string keyArn, KmsEvent last) => new()
    {
        TableName = tableName,
        Key = new() { [Pk] = S(KeyPk(keyArn)), [Sk] = S(MetaSk) },
        UpdateExpression = "SET #u = :u, #ua = :t",
        ConditionExpression = "attribute_not_exists(#ua) OR #ua < :t",
        ExpressionAttributeNames = new() { ["#u"] = "lastUse", ["#ua"] = "lastUseAt" },
        ExpressionAttributeValues = new() { [":u"] = S(EventJson(last)), [":t"] = S(CallSk(last.EventTime, last.EventId)) },
    };

    private UpdateItemRequest AliasUseUpdate(string slot, (DateTimeOffset At, string EventId) use, (DateTimeOffset At, string EventId)? previous)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal) { ["#at"] = "at", ["#id"] = "eventId" };
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":t"] = S(Time(use.At)), [":id"] = S(use.EventId) };
        var set = "SET #at = :t, #id = :id";
        if (previous is { } p)
        {
            // What this invocation read before: restored when the object is processed again (see LoadAsync).
            names["#pat"] = "prevAt";
            names["#pid"] = "prevEventId";
            values[":pt"] = S(Time(p.At));
            values[":pid"] = S(p.EventId);
            set += ", #pat = :pt, #pid = :pid";
        }
        return new UpdateItemRequest
        {
            TableName = tableName,
            Key = new() { [Pk] = S(AliasUsePk(slot)), [Sk] = S(LastSk) },
            UpdateExpression = set,
            ConditionExpression = "attribute_not_exists(#at) OR #at < :t",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        };
    }

    // ================================================================================================ low level

    /// <summary>Queries one partition to the end (paginated), consistently.</summary>
    private async Task<List<Dictionary<string, AttributeValue>>> QueryAsync(string pk, string? skCondition, string? a, string? b, CancellationToken ct)
    {
        var result = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var request = new QueryRequest
            {
                TableName = tableName,
                ConsistentRead = true,
                KeyConditionExpression = "#pk = :pk" + (skCondition is null ? "" : " AND " + skCondition),
                ExpressionAttributeNames = skCondition is null ? new() { ["#pk"] = Pk } : new() { ["#pk"] = Pk, ["#sk"] = Sk },
                ExpressionAttributeValues = new() { [":pk"] = S(pk) },
                ExclusiveStartKey = start,
            };
            if (a is not null) request.ExpressionAttributeValues[":a"] = S(a);
            if (b is not null) request.ExpressionAttributeValues[":b"] = S(b);
            var response = await Call(() => db.QueryAsync(request, ct), "Query", null, pk).ConfigureAwait(false);
            if (response.Items is not null) result.AddRange(response.Items);
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        return result;
    }

    /// <summary>
    /// Whether this exact object (bucket, key and ETag) was already audited to the end, findings object written.
    /// A redelivery is then skipped: re-auditing it after later objects changed the state would re-judge its calls
    /// against that later state and write findings the later objects already wrote.
    /// </summary>
    public async Task<bool> WasAuditedAsync(string bucket, string key, string eTag, CancellationToken ct) =>
        await GetAsync(AuditedPk(bucket, key), AuditedSk(eTag), ct).ConfigureAwait(false) is not null;

    /// <summary>Records that the object was audited and where its findings went; kept 15 days (beyond SQS's 14-day retention).</summary>
    public async Task MarkAuditedAsync(string bucket, string key, string eTag, string findingsObject, CancellationToken ct)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Pk] = S(AuditedPk(bucket, key)),
            [Sk] = S(AuditedSk(eTag)),
            ["findingsObject"] = S(findingsObject),
            ["at"] = S(DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            ["ttl"] = new AttributeValue { N = DateTimeOffset.UtcNow.AddDays(15).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        var request = new PutItemRequest { TableName = tableName, Item = item };
        await Call(() => db.PutItemAsync(request, ct), "PutItem", request.Item).ConfigureAwait(false);
    }

    private static string AuditedPk(string bucket, string key) =>
        "object#" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{bucket}/{key}")));

    private static string AuditedSk(string eTag) => "etag#" + eTag.Trim('"');

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string pk, string sk, CancellationToken ct)
    {
        var request = new GetItemRequest { TableName = tableName, ConsistentRead = true, Key = new() { [Pk] = S(pk), [Sk] = S(sk) } };
        var response = await Call(() => db.GetItemAsync(request, ct), "GetItem", null, pk).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    /// <summary>UpdateItem; false when its condition failed (a benign no-op: a newer or earlier value is already there).</summary>
    private async Task<bool> UpdateAsync(UpdateItemRequest request, CancellationToken ct)
    {
        try
        {
            await Call(() => db.UpdateItemAsync(request, ct), "UpdateItem", null, GetS(request.Key, Pk)).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>BatchWriteItem in groups of 25 (duplicates removed), retrying unprocessed items with backoff.</summary>
    private async Task<int> BatchPutAsync(List<Dictionary<string, AttributeValue>> items, CancellationToken ct)
    {
        var distinct = items.GroupBy(i => (GetS(i, Pk), GetS(i, Sk))).Select(g => g.Last()).ToList();
        for (int start = 0; start < distinct.Count; start += 25)
        {
            var pending = new Dictionary<string, List<WriteRequest>>(StringComparer.Ordinal)
            {
                [tableName] = distinct.Skip(start).Take(25).Select(i => new WriteRequest { PutRequest = new PutRequest { Item = i } }).ToList(),
            };
            for (int attempt = 0; pending.Count > 0 && pending.Values.Any(l => l.Count > 0); attempt++)
            {
                if (attempt >= 8) throw new StateStoreException($"BatchWriteItem on {tableName}: items still unprocessed after {attempt} attempts");
                if (attempt > 0) await Task.Delay(Backoff(attempt), ct).ConfigureAwait(false);
                var request = new BatchWriteItemRequest { RequestItems = pending };
                var response = await Call(() => db.BatchWriteItemAsync(request, ct), "BatchWriteItem", null, null).ConfigureAwait(false);
                pending = response.UnprocessedItems ?? [];
            }
        }
        return distinct.Count;
    }

    /// <summary>Exponential backoff with full jitter (cap 2 s).</summary>
    public static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Min(2000, 25 * Math.Pow(2, attempt)) + 1));

    /// <summary>Runs a call, turning SDK failures (other than the ones callers handle) into <see cref="StateStoreException"/>.</summary>
    private async Task<T> Call<T>(Func<Task<T>> call, string operation, Dictionary<string, AttributeValue>? item, string? pk = null)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            throw;
        }
        catch (AmazonServiceException e)
        {
            var where = pk ?? (item is null ? "" : GetS(item, Pk));
            throw new StateStoreException($"DynamoDB {operation} on {tableName} ({where}) failed: {e.ErrorCode ?? e.StatusCode.ToString()} ({(int)e.StatusCode}) {e.Message}", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or AmazonClientException)
        {
            throw new StateStoreException($"DynamoDB {operation} on {tableName} failed: {e.Message}", e);
        }
    }

    internal static bool IsNotFound(AmazonServiceException e) => e.StatusCode == HttpStatusCode.NotFound;
}
