using System.CommandLine;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Auditor.Aws.Kms;
using Auditor.Core.Inventory;

namespace Auditor.Cli.Commands;

/// <summary>
/// <c>auditor inventory [--region R]... [--profile P] [--role-arn A]... [--endpoint-url U] --out FILE</c>
/// (CONTRACT section 1): a live snapshot of keys, policies, grants and aliases in section 4's format.
/// Exit 0 done; 3 some keys (or some account/region) could not be read; 2 usage error or no access at all.
/// </summary>
internal static class InventoryCommand
{
    /// <summary>When stderr is not a terminal, one progress line per this many keys.</summary>
    internal const int ProgressLineEvery = 100;

    public static Command Create(CliConsole console)
    {
        var regions = new Option<string[]>("--region")
        {
            Description = "Region to inventory; repeat for several. Default: the profile's or AWS_REGION.",
            AllowMultipleArgumentsPerToken = false,
        };
        var profile = new Option<string?>("--profile") { Description = "Named profile for the base credentials (default: the SDK's credential chain)." };
        var roles = new Option<string[]>("--role-arn")
        {
            Description = "Role to assume (session kms-trail-auditor) in each account to inventory; repeat for several accounts.",
            AllowMultipleArgumentsPerToken = false,
        };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "KMS endpoint override (default: AWS_ENDPOINT_URL_KMS, else the region's)." };
        var output = new Option<string?>("--out") { Description = "The inventory file to write (CONTRACT section 4)." };
        var parallel = new Option<int>("--max-parallel")
        {
            Description = "Keys read at once across all accounts and regions.",
            DefaultValueFactory = _ => 8,
        };

        var command = new Command("inventory", "Take a live snapshot of KMS keys, key policies, grants and aliases through the KMS API.")
        {
            regions, profile, roles, endpoint, output, parallel,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(console, new Request(
            parse.GetValue(regions) ?? [],
            parse.GetValue(profile),
            parse.GetValue(roles) ?? [],
            parse.GetValue(endpoint),
            parse.GetValue(output),
            parse.GetValue(parallel)), cancellationToken));
        return command;
    }

    private sealed record Request(string[] Regions, string? Profile, string[] RoleArns, string? EndpointUrl, string? Out, int MaxParallel);

    private static async Task<int> RunAsync(CliConsole console, Request request, CancellationToken cancellationToken)
    {
        var error = console.Error;
        if (string.IsNullOrWhiteSpace(request.Out))
        {
            error.WriteLine("auditor inventory: --out FILE is required");
            return CliConsole.Usage;
        }
        if (request.MaxParallel < 1)
        {
            error.WriteLine("auditor inventory: --max-parallel must be at least 1");
            return CliConsole.Usage;
        }
        foreach (var role in request.RoleArns)
        {
            if (!role.StartsWith("arn:", StringComparison.Ordinal) || !role.Contains(":role/", StringComparison.Ordinal))
            {
                error.WriteLine($"auditor inventory: --role-arn '{role}' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
                return CliConsole.Usage;
            }
        }

        AWSCredentials? credentials = null;
        string? profileRegion = null;
        if (request.Profile is { } profileName)
        {
            var chain = new CredentialProfileStoreChain();
            if (!chain.TryGetProfile(profileName, out var profileEntry) || !chain.TryGetAWSCredentials(profileName, out credentials))
            {
                error.WriteLine($"auditor inventory: profile '{profileName}' not found in the AWS config or credentials files");
                return CliConsole.Usage;
            }
            profileRegion = profileEntry.Region?.SystemName;
        }

        var regionList = request.Regions.Length > 0
            ? request.Regions.Distinct(StringComparer.Ordinal).ToArray()
            : DefaultRegion(profileRegion) is { } region ? [region] : [];
        if (regionList.Length == 0)
        {
            error.WriteLine("auditor inventory: no region: pass --region or set AWS_REGION (or a region in the profile)");
            return CliConsole.Usage;
        }

        var endpointUrl = request.EndpointUrl ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_KMS"));
        if (endpointUrl is not null && !(Uri.TryCreate(endpointUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            error.WriteLine($"auditor inventory: endpoint '{endpointUrl}' is not an http(s) URL");
            return CliConsole.Usage;
        }

        var progress = new ProgressLine(error, IsTerminal(error));
        var collector = new KmsInventoryCollector(
            new KmsInventoryOptions
            {
                Regions = regionList,
                RoleArns = request.RoleArns.Distinct(StringComparer.Ordinal).ToArray(),
                Credentials = credentials,
                KmsEndpointUrl = endpointUrl,
                MaxParallelism = request.MaxParallel,
            },
            progress.Report,
            line => progress.Write("auditor inventory: " + line));

        KmsInventoryResult result;
        try
        {
            result = await collector.CollectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            progress.Finish();
            error.WriteLine("auditor inventory: cancelled; nothing written");
            return CliConsole.Usage;
        }
        progress.Finish();

        foreach (var scopeError in result.Snapshot.Errors)
        {
            error.WriteLine($"auditor inventory: could not list {scopeError.Scope}: {scopeError.Error}");
        }
        if (result.NoAccess)
        {
            error.WriteLine("auditor inventory: no account or region could be listed; nothing written");
            return CliConsole.Usage;
        }

        try
        {
            WriteAtomically(result.Snapshot, request.Out);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"auditor inventory: cannot write {request.Out}: {e.Message}");
            return CliConsole.Usage;
        }

        foreach (var key in result.Snapshot.Keys.Where(k => k.Error is not null).OrderBy(k => k.KeyArn, StringComparer.Ordinal))
        {
            error.WriteLine($"auditor inventory: {key.KeyArn}: {key.Error}");
        }
        var keys = result.Snapshot.Keys;
        error.WriteLine(
            $"auditor inventory: {keys.Count} keys ({keys.Count(k => k.IsAwsManaged)} AWS-managed, " +
            $"{keys.Count(k => k.Metadata.KeyState == "PendingDeletion")} pending deletion), " +
            $"{keys.Sum(k => k.GrantEntries.Count)} grants, {keys.Sum(k => k.Aliases.Count)} aliases " +
            $"in {result.ScopesListed} of {result.Scopes} account/region scopes; " +
            $"{result.KeysWithErrors} keys not fully read; written to {request.Out}");
        return result.Partial ? CliConsole.PartialInput : CliConsole.Ok;
    }

    /// <summary>Writes next to the target and renames, so a reader never sees half a file and a failed run leaves
    /// the previous inventory in place.</summary>
    private static void WriteAtomically(InventorySnapshot snapshot, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var stream = File.Create(temporary))
            {
                InventoryWriter.Write(snapshot, stream);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string? DefaultRegion(string? profileRegion) =>
        profileRegion
        ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_REGION"))
        ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"))
        ?? TryFallbackRegion();

    private static string? TryFallbackRegion()
    {
        try
        {
            return FallbackRegionFactory.GetRegionEndpoint()?.SystemName;
        }
        catch (AmazonClientException)
        {
            return null;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static bool IsTerminal(TextWriter writer) =>
        ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Progress on stderr: a rewritten line on a terminal; otherwise a line every <see cref="ProgressLineEvery"/> keys.</summary>
    private sealed class ProgressLine(TextWriter writer, bool terminal)
    {
        private readonly Lock _lock = new();
        private int _lastShown;
        private bool _open;

        public void Report(KmsInventoryProgress p)
        {
            lock (_lock)
            {
                if (terminal)
                {
                    writer.Write($"\rauditor inventory: {p.KeysDone}/{p.KeysTotal} keys read");
                    _open = true;
                }
                else if (p.KeysDone - _lastShown >= ProgressLineEvery)
                {
                    _lastShown = p.KeysDone;
                    writer.WriteLine($"auditor inventory: {p.KeysDone}/{p.KeysTotal} keys read");
                }
            }
        }

        public void Write(string line)
        {
            lock (_lock)
            {
                EndOpenLine();
                writer.WriteLine(line);
            }
        }

        public void Finish()
        {
            lock (_lock)
            {
                EndOpenLine();
            }
        }

        private void EndOpenLine()
        {
            if (_open)
            {
                writer.WriteLine();
                _open = false;
            }
        }
    }
}
