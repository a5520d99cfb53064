using System.IO.Compression;
using System.Text.Json;
using Auditor.Core.Grants;

namespace Auditor.Core.Inventory;

/// <summary>
/// Reads key inventories (CONTRACT section 4). The format is the KMS API's own shapes so a user can assemble one by
/// hand from <c>aws kms describe-key</c>, <c>get-key-policy</c>, <c>list-grants</c> and <c>list-aliases</c>; the reader
/// therefore accepts what those commands print as well as what the raw API returns (epoch-second or ISO 8601 dates;
/// the policy as a string or, pasted as-is, as a JSON object; aliases per key or as one top-level
/// <c>list-aliases</c> output joined to keys by <c>TargetKeyId</c>). Anything else wrong is an
/// <see cref="InventoryFormatException"/> naming the file and the JSON path.
/// </summary>
public static class InventoryReader
{
    /// <summary>An inventory holds policies of up to 32 KB per key and thousands of grants; 512 MB bounds a hostile file.</summary>
    public const long MaxFileBytes = 512L * 1024 * 1024;

    /// <summary>
    /// Content bytes after decompression. The whole document is parsed at once, so this bounds memory:
    /// 200 MiB holds tens of thousands of keys with their policies and grants.
    /// </summary>
    public const long MaxContentBytes = 200L * 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Reads one inventory file from <paramref name="stream"/> (plain or gzip, told apart by magic bytes).</summary>
    /// <exception cref="InventoryFormatException">The content is not an inventory; the message says where and why.</exception>
    public static InventorySnapshot Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Decompressed(stream), DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new InventoryFormatException(sourceName, $"not valid JSON: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new InventoryFormatException(sourceName, $"corrupt gzip: {e.Message}", e);
        }
        catch (Trail.TrailFormatException e)
        {
            throw new InventoryFormatException(sourceName, e.Message, e);
        }

        using (document)
        {
            // Text that is not valid Unicode surfaces only when a string is read.
            try { return new Parser(sourceName).Snapshot(document.RootElement); }
            catch (InvalidOperationException e) { throw new InventoryFormatException(sourceName, $"invalid text: {e.Message}", e); }
        }
    }

    /// <summary>
    /// Reads a file, or every <c>.json</c>/<c>.json.gz</c> file under a directory (recursively, in ordinal path order).
    /// Never throws for bad content: each unreadable file is named in <see cref="InventoryReadResult.Errors"/> and the
    /// others are still read.
    /// </summary>
    public static InventoryReadResult ReadPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        IEnumerable<string> files;
        if (Directory.Exists(path))
        {
            files = Directory.EnumerateFiles(path, "*", new EnumerationOptions
                {
                    RecurseSubdirectories = true,
                    // Symbolic links could lead out of the directory the user named.
                    AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
                })
                .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                            || f.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            return new InventoryReadResult { Errors = [new InventoryFileError(path, "no such file or directory")] };
        }

        var snapshots = new List<InventorySnapshot>();
        var errors = new List<InventoryFileError>();
        foreach (var file in files)
        {
            try
            {
                using var stream = File.OpenRead(file);
                if (stream.Length > MaxFileBytes)
                {
                    errors.Add(new InventoryFileError(file, $"larger than {MaxFileBytes} bytes"));
                    continue;
                }
                snapshots.Add(Read(stream, file));
            }
            catch (InventoryFormatException e)
            {
                errors.Add(new InventoryFileError(file, e.Problem));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add(new InventoryFileError(file, $"cannot read: {e.Message}"));
            }
        }
        return new InventoryReadResult { Snapshots = snapshots, Errors = errors };
    }

    /// <summary>The file's content (gzip told apart by magic bytes), refusing to inflate past <see cref="MaxContentBytes"/>: an inventory is untrusted input too.</summary>
    private static Stream Decompressed(Stream stream) => new Trail.BoundedStream(Trail.ContentStream.Open(stream), MaxContentBytes);

    /// <summary>One file's parse; carries the file name into every message.</summary>
    private sealed class Parser(string source)
    {
        private InventoryFormatException Fail(string path, string problem) => new(source, $"{path}: {problem}");

        public InventorySnapshot Snapshot(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InventoryFormatException(source, $"expected a JSON object with capturedAt and Keys, found {Describe(root)}");
            }
            if (!root.TryGetProperty("capturedAt", out var capturedAtElement))
            {
                throw new InventoryFormatException(source, "missing capturedAt (the time the snapshot describes)");
            }
            var capturedAt = Date(capturedAtElement, "capturedAt");
            if (!root.TryGetProperty("Keys", out var keysElement))
            {
                throw new InventoryFormatException(source, "missing Keys");
            }
            if (keysElement.ValueKind != JsonValueKind.Array)
            {
                throw Fail("Keys", $"expected an array, found {Describe(keysElement)}");
            }

            var keys = new List<InventoryKey>();
            var arns = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var keyElement in keysElement.EnumerateArray())
            {
                var key = Key(keyElement, $"Keys[{index}]");
                if (!arns.Add(key.KeyArn))
                {
                    throw Fail($"Keys[{index}]", $"key {key.KeyArn} appears twice");
                }
                keys.Add(key);
                index++;
            }

            if (root.TryGetProperty("Aliases", out var topAliases) && topAliases.ValueKind != JsonValueKind.Null)
            {
                keys = JoinAliases(keys, Aliases(topAliases, "Aliases"));
            }

            var errors = new List<InventoryCollectionError>();
            if (root.TryGetProperty("Errors", out var errorsElement) && errorsElement.ValueKind != JsonValueKind.Null)
            {
                var i = 0;
                foreach (var e in Array(errorsElement, "Errors"))
                {
                    var path = $"Errors[{i++}]";
                    errors.Add(new InventoryCollectionError(
                        RequiredString(e, "Scope", path), RequiredString(e, "Error", path)));
                }
            }

            return new InventorySnapshot { CapturedAt = capturedAt, Keys = keys, Source = source, Errors = errors };
        }

        /// <summary>A whole-account <c>list-aliases</c> output given next to the keys: each alias joins its target key.</summary>
        private static List<InventoryKey> JoinAliases(List<InventoryKey> keys, IReadOnlyList<InventoryAlias> aliases)
        {
            var byTarget = aliases.Where(a => a.TargetKeyId is not null).ToLookup(a => a.TargetKeyId!, StringComparer.Ordinal);
            return keys.Select(k =>
            {
                var extra = byTarget[k.Metadata.KeyId]
                    .Where(a => !k.Aliases.Any(existing => existing.AliasName == a.AliasName))
                    .ToArray();
                return extra.Length == 0 ? k : k with { Aliases = [.. k.Aliases, .. extra] };
            }).ToList();
        }

        private InventoryKey Key(JsonElement element, string path)
        {
            RequireObject(element, path);
            if (!element.TryGetProperty("KeyMetadata", out var metadataElement))
            {
                throw Fail(path, "missing KeyMetadata (the DescribeKey output)");
            }
            var metadata = Metadata(metadataElement, $"{path}.KeyMetadata");

            string? policy = null;
            if (element.TryGetProperty("Policy", out var policyElement))
            {
                policy = Policy(policyElement, $"{path}.Policy");
            }

            var grants = new List<InventoryGrant>();
            if (element.TryGetProperty("Grants", out var grantsElement) && grantsElement.ValueKind != JsonValueKind.Null)
            {
                var i = 0;
                foreach (var g in Array(grantsElement, $"{path}.Grants"))
                {
                    grants.Add(Grant(g, $"{path}.Grants[{i++}]", metadata.Arn));
                }
            }

            IReadOnlyList<InventoryAlias> aliases = [];
            if (element.TryGetProperty("Aliases", out var aliasesElement) && aliasesElement.ValueKind != JsonValueKind.Null)
            {
                aliases = Aliases(aliasesElement, $"{path}.Aliases");
            }

            List<InventoryTag>? tags = null;
            if (element.TryGetProperty("Tags", out var tagsElement) && tagsElement.ValueKind != JsonValueKind.Null)
            {
                tags = [];
                var i = 0;
                foreach (var t in Array(tagsElement, $"{path}.Tags"))
                {
                    var tagPath = $"{path}.Tags[{i++}]";
                    tags.Add(new InventoryTag(RequiredString(t, "TagKey", tagPath), OptionalString(t, "TagValue", tagPath) ?? ""));
                }
            }

            return new InventoryKey
            {
                Metadata = metadata,
                Policy = policy,
                GrantEntries = grants,
                Aliases = aliases,
                Error = OptionalString(element, "Error", path),
                RotationEnabled = OptionalBool(element, "RotationEnabled", path),
                Tags = tags,
                LastUsage = element.TryGetProperty("LastUsage", out var usage) && usage.ValueKind != JsonValueKind.Null
                    ? LastUsage(usage, $"{path}.LastUsage")
                    : null,
            };
        }

        private static readonly HashSet<string> KnownMetadataFields =
        [
            "KeyId", "Arn", "AWSAccountId", "CreationDate", "Enabled", "Description", "KeyState", "KeyManager",
            "KeyUsage", "KeySpec", "CustomerMasterKeySpec", "Origin", "DeletionDate", "PendingDeletionWindowInDays",
            "ValidTo", "ExpirationModel", "MultiRegion", "CustomKeyStoreId", "CloudHsmClusterId", "CurrentKeyMaterialId",
            "EncryptionAlgorithms", "SigningAlgorithms", "MacAlgorithms", "KeyAgreementAlgorithms", "EncapsulationAlgorithms",
        ];

        private KmsKeyMetadata Metadata(JsonElement element, string path)
        {
            RequireObject(element, path);
            var keyId = OptionalString(element, "KeyId", path);
            var arn = OptionalString(element, "Arn", path);
            if (arn is null)
            {
                throw Fail(path, "missing Arn (the key ARN DescribeKey returns)");
            }
            if (!arn.StartsWith("arn:", StringComparison.Ordinal) || arn.Split(':', 6) is not { Length: 6 } parts
                || parts[2] != "kms" || !parts[5].StartsWith("key/", StringComparison.Ordinal))
            {
                throw Fail($"{path}.Arn", $"not a KMS key ARN: '{arn}'");
            }
            keyId ??= arn[(arn.IndexOf("key/", StringComparison.Ordinal) + 4)..];

            var other = new List<KeyValuePair<string, JsonElement>>();
            foreach (var property in element.EnumerateObject())
            {
                if (!KnownMetadataFields.Contains(property.Name))
                {
                    other.Add(new(property.Name, property.Value.Clone()));
                }
            }

            return new KmsKeyMetadata
            {
                KeyId = keyId,
                Arn = arn,
                AWSAccountId = OptionalString(element, "AWSAccountId", path),
                CreationDate = OptionalDate(element, "CreationDate", path),
                Enabled = OptionalBool(element, "Enabled", path),
                Description = OptionalString(element, "Description", path),
                KeyState = OptionalString(element, "KeyState", path),
                KeyManager = OptionalString(element, "KeyManager", path),
                KeyUsage = OptionalString(element, "KeyUsage", path),
                KeySpec = OptionalString(element, "KeySpec", path),
                CustomerMasterKeySpec = OptionalString(element, "CustomerMasterKeySpec", path),
                Origin = OptionalString(element, "Origin", path),
                DeletionDate = OptionalDate(element, "DeletionDate", path),
                PendingDeletionWindowInDays = OptionalInt(element, "PendingDeletionWindowInDays", path),
                ValidTo = OptionalDate(element, "ValidTo", path),
                ExpirationModel = OptionalString(element, "ExpirationModel", path),
                MultiRegion = OptionalBool(element, "MultiRegion", path),
                CustomKeyStoreId = OptionalString(element, "CustomKeyStoreId", path),
                CloudHsmClusterId = OptionalString(element, "CloudHsmClusterId", path),
                CurrentKeyMaterialId = OptionalString(element, "CurrentKeyMaterialId", path),
                EncryptionAlgorithms = OptionalStrings(element, "EncryptionAlgorithms", path),
                SigningAlgorithms = OptionalStrings(element, "SigningAlgorithms", path),
                MacAlgorithms = OptionalStrings(element, "MacAlgorithms", path),
                KeyAgreementAlgorithms = OptionalStrings(element, "KeyAgreementAlgorithms", path),
                EncapsulationAlgorithms = OptionalStrings(element, "EncapsulationAlgorithms", path),
                OtherFields = other,
            };
        }

        /// <summary>
        /// The policy as GetKeyPolicy returns it: a string holding a JSON document. A document pasted as an object
        /// (from <c>--query Policy --output text</c> into the file) is accepted and kept as its raw text. Either way
        /// it must parse, since an unparseable policy would silently turn every call on the key into "unknown".
        /// </summary>
        private string? Policy(JsonElement element, string path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Null:
                    return null;
                case JsonValueKind.Object:
                    return element.GetRawText();
                case JsonValueKind.String:
                    var text = element.GetString()!;
                    try
                    {
                        using var policy = JsonDocument.Parse(text, DocumentOptions);
                        if (policy.RootElement.ValueKind != JsonValueKind.Object)
                        {
                            throw Fail(path, $"the policy document is {Describe(policy.RootElement)}, not a JSON object");
                        }
                    }
                    catch (JsonException e)
                    {
                        throw Fail(path, $"the policy string is not a JSON document: {e.Message}");
                    }
                    return text;
                default:
                    throw Fail(path, $"expected the policy document as a string, found {Describe(element)}");
            }
        }

        private InventoryGrant Grant(JsonElement element, string path, string keyArn)
        {
            RequireObject(element, path);
            GrantConstraints? constraints = null;
            string? sourceArn = null;
            if (element.TryGetProperty("Constraints", out var c) && c.ValueKind != JsonValueKind.Null)
            {
                var cPath = $"{path}.Constraints";
                RequireObject(c, cPath);
                constraints = new GrantConstraints
                {
                    EncryptionContextSubset = OptionalStringMap(c, "EncryptionContextSubset", cPath),
                    EncryptionContextEquals = OptionalStringMap(c, "EncryptionContextEquals", cPath),
                };
                sourceArn = OptionalString(c, "SourceArn", cPath);
            }

            return new InventoryGrant
            {
                Grant = new Grant
                {
                    GrantId = RequiredString(element, "GrantId", path),
                    // ListGrants returns the key ARN here; a hand-made file may give the id, so the owning key's ARN wins
                    // when the two name the same key.
                    KeyId = OptionalString(element, "KeyId", path) is { } id && id.StartsWith("arn:", StringComparison.Ordinal) ? id : keyArn,
                    GranteePrincipal = OptionalString(element, "GranteePrincipal", path),
                    RetiringPrincipal = OptionalString(element, "RetiringPrincipal", path),
                    Operations = OptionalStrings(element, "Operations", path) ?? [],
                    Constraints = constraints,
                    Name = OptionalString(element, "Name", path),
                    IssuingAccount = OptionalString(element, "IssuingAccount", path),
                    CreationDate = OptionalDate(element, "CreationDate", path),
                },
                GranteeServicePrincipal = OptionalString(element, "GranteeServicePrincipal", path),
                RetiringServicePrincipal = OptionalString(element, "RetiringServicePrincipal", path),
                SourceArnConstraint = sourceArn,
            };
        }

        private List<InventoryAlias> Aliases(JsonElement element, string path)
        {
            var aliases = new List<InventoryAlias>();
            var i = 0;
            foreach (var a in Array(element, path))
            {
                var aPath = $"{path}[{i++}]";
                RequireObject(a, aPath);
                aliases.Add(new InventoryAlias
                {
                    AliasName = RequiredString(a, "AliasName", aPath),
                    AliasArn = OptionalString(a, "AliasArn", aPath),
                    TargetKeyId = OptionalString(a, "TargetKeyId", aPath),
                    CreationDate = OptionalDate(a, "CreationDate", aPath),
                    LastUpdatedDate = OptionalDate(a, "LastUpdatedDate", aPath),
                });
            }
            return aliases;
        }

        /// <summary>The GetKeyLastUsage response: <c>TrackingStartDate</c> and a <c>KeyLastUsage</c> object.</summary>
        private KeyLastUsage LastUsage(JsonElement element, string path)
        {
            RequireObject(element, path);
            var usage = new KeyLastUsage { TrackingStartDate = OptionalDate(element, "TrackingStartDate", path) };
            if (element.TryGetProperty("KeyLastUsage", out var last) && last.ValueKind != JsonValueKind.Null)
            {
                var lPath = $"{path}.KeyLastUsage";
                RequireObject(last, lPath);
                usage = usage with
                {
                    Operation = OptionalString(last, "Operation", lPath),
                    Timestamp = OptionalDate(last, "Timestamp", lPath),
                    CloudTrailEventId = OptionalString(last, "CloudTrailEventId", lPath),
                    KmsRequestId = OptionalString(last, "KmsRequestId", lPath),
                };
            }
            return usage;
        }

        private JsonElement.ArrayEnumerator Array(JsonElement element, string path) =>
            element.ValueKind == JsonValueKind.Array
                ? element.EnumerateArray()
                : throw Fail(path, $"expected an array, found {Describe(element)}");

        private void RequireObject(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Fail(path, $"expected an object, found {Describe(element)}");
            }
        }

        private string RequiredString(JsonElement element, string name, string path) =>
            OptionalString(element, name, path) ?? throw Fail(path, $"missing {name}");

        private string? OptionalString(JsonElement element, string name, string path)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            return value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw Fail($"{path}.{name}", $"expected a string, found {Describe(value)}");
        }

        private bool? OptionalBool(JsonElement element, string name, string path)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Fail($"{path}.{name}", $"expected true or false, found {Describe(value)}"),
            };
        }

        private int? OptionalInt(JsonElement element, string name, string path)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
                ? number
                : throw Fail($"{path}.{name}", $"expected an integer, found {Describe(value)}");
        }

        private DateTimeOffset? OptionalDate(JsonElement element, string name, string path) =>
            element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                ? Date(value, $"{path}.{name}")
                : null;

        private DateTimeOffset Date(JsonElement value, string path) =>
            KmsTimestamp.TryRead(value, out var time)
                ? time
                : throw Fail(path, $"not a date (epoch seconds or ISO 8601 expected), found {Describe(value)}");

        private List<string>? OptionalStrings(JsonElement element, string name, string path)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            var list = new List<string>();
            var i = 0;
            foreach (var item in Array(value, $"{path}.{name}"))
            {
                list.Add(item.ValueKind == JsonValueKind.String
                    ? item.GetString()!
                    : throw Fail($"{path}.{name}[{i}]", $"expected a string, found {Describe(item)}"));
                i++;
            }
            return list;
        }

        private Dictionary<string, string>? OptionalStringMap(JsonElement element, string name, string path)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            RequireObject(value, $"{path}.{name}");
            // Encryption context keys and values are case-sensitive: an ordinal map, no normalisation.
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in value.EnumerateObject())
            {
                map[pair.Name] = pair.Value.ValueKind == JsonValueKind.String
                    ? pair.Value.GetString()!
                    : throw Fail($"{path}.{name}.{pair.Name}", $"expected a string, found {Describe(pair.Value)}");
            }
            return map;
        }

        private static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => Truncate($"the string '{element.GetString()}'"),
            JsonValueKind.Number => $"the number {element.GetRawText()}",
            JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            _ => "null",
        };

        private static string Truncate(string text) => text.Length <= 80 ? text : text[..77] + "...'";
    }
}
