using System.Net;
using Amazon;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Auditor.Core.Inventory;

namespace Auditor.Aws.Kms;

/// <summary>
/// Takes a key inventory through the KMS API — the code behind <c>auditor inventory</c> and the <c>snapshot</c>
/// function. For every account (the base credentials', or one per assumed role) and region: ListKeys and ListAliases
/// (both paginated), then per key, with bounded parallelism: DescribeKey, GetKeyPolicy (<c>default</c>), ListGrants
/// (paginated), ListResourceTags, GetKeyRotationStatus (customer-managed symmetric keys) and GetKeyLastUsage.
/// Nothing about one key stops the others: what could not be read is recorded on the key's <c>Error</c>, and an
/// account or region that cannot be listed at all is recorded in the snapshot's <c>Errors</c>.
/// </summary>
public sealed class KmsInventoryCollector
{
    private readonly KmsInventoryOptions _options;
    private readonly Action<KmsInventoryProgress>? _progress;
    private readonly Action<string>? _warn;
    private int _lastUsageUnavailable;

    /// <param name="options">What to inventory.</param>
    /// <param name="progress">Called after each key is read (from worker threads).</param>
    /// <param name="warn">Called with a line for things worth telling the user that are not errors.</param>
    public KmsInventoryCollector(KmsInventoryOptions options, Action<KmsInventoryProgress>? progress = null, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Regions.Count == 0)
        {
            throw new ArgumentException("at least one region is needed", nameof(options));
        }
        if (options.MaxParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxParallelism must be at least 1");
        }
        _options = options;
        _progress = progress;
        _warn = warn;
    }

    /// <summary>Collects the inventory. Only cancellation (and programming errors) escape; AWS errors are recorded.</summary>
    public async Task<KmsInventoryResult> CollectAsync(CancellationToken cancellationToken = default)
    {
        var capturedAt = _options.CapturedAt ?? DateTimeOffset.UtcNow;
        var errors = new List<InventoryCollectionError>();
        var clients = new List<IAmazonKeyManagementService>();
        var work = new List<KeyWork>();
        var scopes = 0;
        var listed = 0;
        try
        {
            foreach (var (label, credentials, usable) in await AccountsAsync(errors, cancellationToken).ConfigureAwait(false))
            {
                foreach (var region in _options.Regions)
                {
                    scopes++;
                    if (!usable)
                    {
                        continue; // the role could not be assumed: already recorded once for all its regions
                    }
                    var kms = CreateKmsClient(credentials, region);
                    clients.Add(kms);
                    var scope = $"{label}/{region}";
                    try
                    {
                        var keys = await ListKeysAsync(kms, cancellationToken).ConfigureAwait(false);
                        var aliases = await ListAliasesAsync(kms, cancellationToken).ConfigureAwait(false);
                        var byTarget = aliases.Where(a => a.TargetKeyId is not null)
                            .ToLookup(a => a.TargetKeyId!, StringComparer.Ordinal);
                        work.AddRange(keys.Select(k => new KeyWork(kms, k, byTarget)));
                        listed++;
                    }
                    catch (Exception e) when (IsAwsFailure(e, cancellationToken))
                    {
                        errors.Add(new InventoryCollectionError(scope, Describe(e)));
                    }
                }
            }

            var results = new InventoryKey[work.Count];
            var done = 0;
            await Parallel.ForEachAsync(
                Enumerable.Range(0, work.Count),
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken },
                async (index, ct) =>
                {
                    results[index] = await ReadKeyAsync(work[index], ct).ConfigureAwait(false);
                    _progress?.Invoke(new KmsInventoryProgress(Interlocked.Increment(ref done), work.Count));
                }).ConfigureAwait(false);

            return new KmsInventoryResult
            {
                Snapshot = new InventorySnapshot
                {
                    CapturedAt = capturedAt,
                    Keys = results,
                    Source = "kms-api",
                    Errors = errors,
                },
                Scopes = scopes,
                ScopesListed = listed,
            };
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private sealed record KeyWork(IAmazonKeyManagementService Kms, KeyListEntry Entry, ILookup<string, InventoryAlias> AliasesByTarget);

    /// <summary>The accounts to visit: the base credentials' (null: the SDK's default chain), or one per role
    /// (not usable when AssumeRole failed).</summary>
    private async Task<List<(string Label, AWSCredentials? Credentials, bool Usable)>> AccountsAsync(
        List<InventoryCollectionError> errors, CancellationToken cancellationToken)
    {
        var accounts = new List<(string, AWSCredentials?, bool)>();
        if (_options.RoleArns.Count == 0)
        {
            accounts.Add(("default", _options.Credentials, true));
            return accounts;
        }

        foreach (var roleArn in _options.RoleArns)
        {
            var stsConfig = new AmazonSecurityTokenServiceConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(_options.Regions[0]) };
            if (_options.StsEndpointUrl is { } stsUrl)
            {
                stsConfig.ServiceURL = stsUrl;
                stsConfig.AuthenticationRegion = _options.Regions[0];
            }
            var sts = _options.Credentials is null
                ? new AmazonSecurityTokenServiceClient(stsConfig)
                : new AmazonSecurityTokenServiceClient(_options.Credentials, stsConfig);
            var assumed = new AssumedRoleCredentials(sts, roleArn);
            var label = AccountOf(roleArn) ?? roleArn;
            try
            {
                // Assume once up front: a role that cannot be assumed is one error, not one per key and region.
                await assumed.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                accounts.Add((label, assumed, true));
            }
            catch (Exception e) when (IsAwsFailure(e, cancellationToken))
            {
                errors.Add(new InventoryCollectionError(roleArn, "AssumeRole: " + Describe(e)));
                accounts.Add((label, null, false));
            }
        }
        return accounts;
    }

    private static string? AccountOf(string roleArn) =>
        roleArn.Split(':') is { Length: >= 6 } parts && parts[4].Length > 0 ? parts[4] : null;

    private IAmazonKeyManagementService CreateKmsClient(AWSCredentials? credentials, string region)
    {
        var config = new AmazonKeyManagementServiceConfig
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(region),
            RetryMode = _options.RetryMode,
            MaxErrorRetry = _options.MaxErrorRetry,
        };
        if (_options.KmsEndpointUrl is { } url)
        {
            config.ServiceURL = url;
            // The endpoint no longer says which region; signing still must.
            config.AuthenticationRegion = region;
        }
        return credentials is null ? new AmazonKeyManagementServiceClient(config) : new AmazonKeyManagementServiceClient(credentials, config);
    }

    private static async Task<List<KeyListEntry>> ListKeysAsync(IAmazonKeyManagementService kms, CancellationToken ct)
    {
        var keys = new List<KeyListEntry>();
        var pages = new MarkerGuard("ListKeys");
        string? marker = null;
        do
        {
            var page = await kms.ListKeysAsync(new ListKeysRequest { Limit = 1000, Marker = marker }, ct).ConfigureAwait(false);
            keys.AddRange(page.Keys ?? []);
            marker = pages.Next(page.Truncated, page.NextMarker);
        } while (marker is not null);
        return keys;
    }

    private static async Task<List<InventoryAlias>> ListAliasesAsync(IAmazonKeyManagementService kms, CancellationToken ct)
    {
        var aliases = new List<InventoryAlias>();
        var pages = new MarkerGuard("ListAliases");
        string? marker = null;
        do
        {
            var page = await kms.ListAliasesAsync(new ListAliasesRequest { Limit = 100, Marker = marker }, ct).ConfigureAwait(false);
            aliases.AddRange((page.Aliases ?? []).Select(KmsModelMapper.Alias));
            marker = pages.Next(page.Truncated, page.NextMarker);
        } while (marker is not null);
        return aliases;
    }

    private async Task<InventoryKey> ReadKeyAsync(KeyWork work, CancellationToken ct)
    {
        var kms = work.Kms;
        var keyArn = work.Entry.KeyArn ?? work.Entry.KeyId;
        var errors = new List<string>();

        var metadata = new KmsKeyMetadata { KeyId = work.Entry.KeyId, Arn = work.Entry.KeyArn ?? work.Entry.KeyId };
        var described = false;
        try
        {
            var response = await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyArn }, ct).ConfigureAwait(false);
            metadata = KmsModelMapper.Metadata(response.KeyMetadata);
            described = true;
        }
        catch (Exception e) when (IsAwsFailure(e, ct))
        {
            errors.Add("DescribeKey: " + Describe(e));
        }

        string? policy = null;
        try
        {
            var response = await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = keyArn, PolicyName = "default" }, ct).ConfigureAwait(false);
            policy = response.Policy;
        }
        catch (Exception e) when (IsAwsFailure(e, ct))
        {
            errors.Add("GetKeyPolicy: " + Describe(e));
        }

        var grants = new List<InventoryGrant>();
        try
        {
            var pages = new MarkerGuard("ListGrants");
            string? marker = null;
            do
            {
                var page = await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = keyArn, Limit = 100, Marker = marker }, ct).ConfigureAwait(false);
                grants.AddRange((page.Grants ?? []).Select(g => KmsModelMapper.Grant(g, metadata.Arn)));
                marker = pages.Next(page.Truncated, page.NextMarker);
            } while (marker is not null);
        }
        catch (Exception e) when (IsAwsFailure(e, ct))
        {
            // A partial grant list would make a grant look absent; an unknown list is the honest answer.
            grants.Clear();
            errors.Add("ListGrants: " + Describe(e));
        }

        List<InventoryTag>? tags = null;
        try
        {
            var collected = new List<InventoryTag>();
            var pages = new MarkerGuard("ListResourceTags");
            string? marker = null;
            do
            {
                var page = await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = keyArn, Marker = marker }, ct).ConfigureAwait(false);
                collected.AddRange((page.Tags ?? []).Select(t => new InventoryTag(t.TagKey, t.TagValue ?? "")));
                marker = pages.Next(page.Truncated, page.NextMarker);
            } while (marker is not null);
            tags = collected;
        }
        catch (Exception e) when (IsAwsFailure(e, ct))
        {
            errors.Add("ListResourceTags: " + Describe(e));
        }

        bool? rotation = null;
        if (described && SupportsAutomaticRotation(metadata))
        {
            try
            {
                var response = await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = keyArn }, ct).ConfigureAwait(false);
                rotation = response.KeyRotationEnabled;
            }
            catch (Exception e) when (IsAwsFailure(e, ct))
            {
                // A key pending import or deletion, or one KMS says cannot rotate, simply has no rotation status;
                // its KeyState already says why.
                if (!IsStateOrSupportError(e))
                {
                    errors.Add("GetKeyRotationStatus: " + Describe(e));
                }
            }
        }

        var lastUsage = await LastUsageAsync(kms, keyArn, ct).ConfigureAwait(false);

        return new InventoryKey
        {
            Metadata = metadata,
            Policy = policy,
            GrantEntries = grants,
            Aliases = work.AliasesByTarget[metadata.KeyId].ToArray(),
            Error = errors.Count == 0 ? null : string.Join("; ", errors),
            RotationEnabled = rotation,
            Tags = tags,
            LastUsage = lastUsage,
        };
    }

    /// <summary>
    /// GetKeyLastUsage is recent: a partition or endpoint that does not know it, or an auditor role whose policy
    /// predates it, must not make every key look unreadable. It is a cross-check, so any failure just leaves it out;
    /// an unknown operation switches it off for the rest of the run.
    /// </summary>
    private async Task<KeyLastUsage?> LastUsageAsync(IAmazonKeyManagementService kms, string keyArn, CancellationToken ct)
    {
        if (!_options.IncludeLastUsage || Volatile.Read(ref _lastUsageUnavailable) != 0)
        {
            return null;
        }
        try
        {
            var response = await kms.GetKeyLastUsageAsync(new GetKeyLastUsageRequest { KeyId = keyArn }, ct).ConfigureAwait(false);
            return KmsModelMapper.LastUsage(response);
        }
        catch (Exception e) when (IsAwsFailure(e, ct))
        {
            if (e is AmazonServiceException { ErrorCode: "UnknownOperationException" or "InvalidAction" or "UnrecognizedOperation" }
                && Interlocked.Exchange(ref _lastUsageUnavailable, 1) == 0)
            {
                _warn?.Invoke($"GetKeyLastUsage is not offered by this endpoint ({Describe(e)}); last usage is left out.");
            }
            return null;
        }
    }

    /// <summary>Only customer-managed symmetric encryption keys with KMS-held or imported material rotate.</summary>
    private static bool SupportsAutomaticRotation(KmsKeyMetadata m) =>
        m.KeyManager == "CUSTOMER"
        && (m.KeySpec ?? m.CustomerMasterKeySpec) == "SYMMETRIC_DEFAULT"
        && m.Origin is "AWS_KMS" or "EXTERNAL";

    private static bool IsStateOrSupportError(Exception e) =>
        e is KMSInvalidStateException or UnsupportedOperationException
        || e is AmazonServiceException { ErrorCode: "KMSInvalidStateException" or "UnsupportedOperationException" };

    /// <summary>Failures of a call to AWS (service errors, network, timeouts) — never the caller's cancellation.</summary>
    private static bool IsAwsFailure(Exception e, CancellationToken ct) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or WebException
        || (e is OperationCanceledException && !ct.IsCancellationRequested);

    /// <summary><c>ErrorCode: message</c>, the form users search for.</summary>
    internal static string Describe(Exception e) => e switch
    {
        AmazonServiceException s => $"{s.ErrorCode ?? s.GetType().Name}: {s.Message}",
        OperationCanceledException => "timed out",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    /// <summary>Follows Truncated/NextMarker and refuses a marker that repeats (a looping endpoint would never end).</summary>
    private sealed class MarkerGuard(string operation)
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public string? Next(bool? truncated, string? nextMarker)
        {
            if (truncated != true)
            {
                return null;
            }
            if (string.IsNullOrEmpty(nextMarker))
            {
                throw new AmazonClientException($"{operation}: Truncated is true but NextMarker is missing");
            }
            if (!_seen.Add(nextMarker))
            {
                throw new AmazonClientException($"{operation}: NextMarker '{nextMarker}' repeated; stopping instead of looping");
            }
            return nextMarker;
        }
    }
}
