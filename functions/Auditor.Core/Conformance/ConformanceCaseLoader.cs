using System.Text.Json;
using Auditor.Core.Authorization;
using Auditor.Core.Grants;
using Auditor.Core.Policy;

namespace Auditor.Core.Conformance;

/// <summary>
/// Reads conformance case files (a JSON array of cases, or one case object) with <see cref="JsonDocument"/>
/// (AOT-safe). Beyond <c>conformance/README.md</c>, a request may carry <c>roleArn</c> (the session's role
/// as <c>sessionIssuer</c> gives it), <c>accountId</c>, <c>principalType</c>, <c>grantId</c> (the grant a
/// RetireGrant/RevokeGrant names) and <c>grantConstraints</c> (those of a grant being created).
/// </summary>
public static class ConformanceCaseLoader
{
    /// <summary>Files to read for a path: the file itself, or every <c>*.json</c> under a directory in ordinal order.</summary>
    public static IEnumerable<string> Expand(string path)
    {
        if (Directory.Exists(path))
            return Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        if (File.Exists(path)) return [path];
        throw new ConformanceFormatException($"{path}: no such file or directory");
    }

    public static IReadOnlyList<ConformanceCase> LoadFile(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException e) { throw new ConformanceFormatException($"{path}: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new ConformanceFormatException($"{path}: {e.Message}", e); }
        return Load(text, path);
    }

    public static IReadOnlyList<ConformanceCase> Load(string json, string fileName)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new ConformanceFormatException($"{fileName}: not valid JSON: {e.Message}", e); }
        using (doc)
        {
            var root = doc.RootElement;
            var cases = new List<ConformanceCase>();
            if (root.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (var c in root.EnumerateArray()) cases.Add(ParseCase(c, fileName, i++));
            }
            else if (root.ValueKind == JsonValueKind.Object) cases.Add(ParseCase(root, fileName, 0));
            else throw new ConformanceFormatException($"{fileName}: expected a case object or an array of cases, got {root.ValueKind}");
            return cases;
        }
    }

    private static ConformanceCase ParseCase(JsonElement c, string file, int index)
    {
        string where = $"{file}: case {index}";
        if (c.ValueKind != JsonValueKind.Object) throw new ConformanceFormatException($"{where}: a case must be an object, got {c.ValueKind}");
        string name = Str(c, "name") ?? throw new ConformanceFormatException($"{where}: missing \"name\"");
        where = $"{file}: case {index} \"{name}\"";
        try
        {
            PolicyDocument? policy = c.TryGetProperty("policy", out var p) && p.ValueKind != JsonValueKind.Null ? PolicyDocument.Parse(p) : null;
            List<PolicyDocument>? identity = null;
            if (c.TryGetProperty("identityPolicies", out var ips) && ips.ValueKind != JsonValueKind.Null)
            {
                if (ips.ValueKind != JsonValueKind.Array) throw new ConformanceFormatException($"{where}: \"identityPolicies\" must be an array");
                identity = [.. ips.EnumerateArray().Select(PolicyDocument.Parse)];
            }
            if (!c.TryGetProperty("request", out var req) || req.ValueKind != JsonValueKind.Object)
                throw new ConformanceFormatException($"{where}: missing \"request\" object");
            var request = ParseRequest(req, where);
            var grants = new List<Grant>();
            if (c.TryGetProperty("grants", out var gs) && gs.ValueKind != JsonValueKind.Null)
            {
                if (gs.ValueKind != JsonValueKind.Array) throw new ConformanceFormatException($"{where}: \"grants\" must be an array");
                int gi = 0;
                foreach (var g in gs.EnumerateArray()) grants.Add(ParseGrant(g, request.Resource, $"{where}: grants[{gi++}]"));
            }
            return new ConformanceCase
            {
                Name = name,
                Source = Strings(c, "source", where),
                Policy = policy,
                IdentityPolicies = identity,
                Grants = grants,
                Request = request,
                Expected = c.TryGetProperty("expected", out var e) && e.ValueKind == JsonValueKind.Object ? ParseExpected(e, where) : null,
                File = file,
                Index = index,
            };
        }
        catch (PolicyFormatException ex)
        {
            throw new ConformanceFormatException($"{where}: {ex.Message}", ex);
        }
    }

    private static RequestContext ParseRequest(JsonElement r, string where)
    {
        string principal = Str(r, "principal") ?? throw new ConformanceFormatException($"{where}: request has no \"principal\"");
        string action = Str(r, "action") ?? throw new ConformanceFormatException($"{where}: request has no \"action\"");
        string resource = Str(r, "resource") ?? throw new ConformanceFormatException($"{where}: request has no \"resource\"");
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (r.TryGetProperty("context", out var ctx) && ctx.ValueKind != JsonValueKind.Null)
        {
            if (ctx.ValueKind != JsonValueKind.Object) throw new ConformanceFormatException($"{where}: request.context must be an object");
            foreach (var k in ctx.EnumerateObject())
                values[k.Name] = k.Value.ValueKind == JsonValueKind.Array
                    ? [.. k.Value.EnumerateArray().Select(v => Scalar(v, $"{where}: request.context.{k.Name}"))]
                    : [Scalar(k.Value, $"{where}: request.context.{k.Name}")];
        }
        return new RequestContext
        {
            Action = action,
            Resource = resource,
            Caller = CallerOf(principal, Str(r, "principalId"), Str(r, "roleArn"), Str(r, "accountId"), Str(r, "principalType")),
            Values = values,
            UnknownKeys = new HashSet<string>(Strings(r, "unknownKeys", where), StringComparer.OrdinalIgnoreCase),
            EncryptionContext = Map(r, "encryptionContext", where),
            TargetGrantId = Str(r, "grantId"),
            RequestedGrantConstraints = r.TryGetProperty("grantConstraints", out var gc) && gc.ValueKind == JsonValueKind.Object ? Constraints(gc, where) : null,
        };
    }

    /// <summary>
    /// The caller as a case names it: an IAM ARN, a session ARN (its role then comes from <c>roleArn</c>, or is
    /// derived from the session with its path unknown), a service principal, or a bare account id — a caller of
    /// that account whose identity is not recorded (CloudTrail's <c>AWSAccount</c> type).
    /// </summary>
    public static CallerPrincipal CallerOf(string principal, string? principalId, string? roleArn, string? accountId, string? type)
    {
        if (principal.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase) && !principal.StartsWith("arn:", StringComparison.Ordinal))
            return new CallerPrincipal { ServicePrincipal = principal, PrincipalId = principalId ?? principal, Type = type ?? "AWSService", AccountId = accountId };
        if (principal.Length == 12 && principal.All(char.IsAsciiDigit))
            // CloudTrail's AWSAccount identity: only the account is known, not which principal in it called.
            return new CallerPrincipal { AccountId = principal, PrincipalId = principalId, Type = type ?? "AWSAccount", IdentityUnknown = true };
        string? inferredType = type;
        if (inferredType is null)
        {
            if (PrincipalArns.TryParseSession(principal, out _, out _, out _)) inferredType = "AssumedRole";
            else if (principal.EndsWith(":root", StringComparison.Ordinal)) inferredType = "Root";
            else if (principal.Contains(":user/", StringComparison.Ordinal)) inferredType = "IAMUser";
            else if (principal.Contains(":federated-user/", StringComparison.Ordinal)) inferredType = "FederatedUser";
        }
        return new CallerPrincipal
        {
            Arn = principal,
            RoleArn = roleArn ?? (principal.Contains(":role/", StringComparison.Ordinal) ? principal : null),
            PrincipalId = principalId,
            AccountId = accountId ?? PrincipalArns.AccountOfArn(principal),
            Type = inferredType,
        };
    }

    private static Grant ParseGrant(JsonElement g, string keyArn, string where)
    {
        if (g.ValueKind != JsonValueKind.Object) throw new ConformanceFormatException($"{where}: a grant must be an object");
        return new Grant
        {
            GrantId = Str(g, "GrantId") ?? throw new ConformanceFormatException($"{where}: missing GrantId"),
            KeyId = Str(g, "KeyId") ?? keyArn,
            GranteePrincipal = Str(g, "GranteePrincipal"),
            RetiringPrincipal = Str(g, "RetiringPrincipal"),
            Operations = Strings(g, "Operations", where),
            Constraints = g.TryGetProperty("Constraints", out var c) && c.ValueKind == JsonValueKind.Object ? Constraints(c, where) : null,
            Name = Str(g, "Name"),
            IssuingAccount = Str(g, "IssuingAccount"),
        };
    }

    private static GrantConstraints Constraints(JsonElement c, string where) => new()
    {
        EncryptionContextSubset = Map(c, "EncryptionContextSubset", where),
        EncryptionContextEquals = Map(c, "EncryptionContextEquals", where),
    };

    private static ConformanceExpectation ParseExpected(JsonElement e, string where)
    {
        string d = Str(e, "decision") ?? throw new ConformanceFormatException($"{where}: expected has no decision");
        string p = Str(e, "path") ?? throw new ConformanceFormatException($"{where}: expected has no path");
        if (!AuthorizationNames.TryParseDecision(d, out var decision)) throw new ConformanceFormatException($"{where}: unknown decision \"{d}\"");
        if (!AuthorizationNames.TryParsePath(p, out var path)) throw new ConformanceFormatException($"{where}: unknown path \"{p}\"");
        return new ConformanceExpectation(decision, path, Str(e, "statementSid"), Str(e, "grantId"));
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Scalar(JsonElement v, string where) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new ConformanceFormatException($"{where}: values must be strings, numbers or booleans, got {v.ValueKind}"),
    };

    private static List<string> Strings(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return [];
        if (v.ValueKind == JsonValueKind.String) return [v.GetString()!];
        if (v.ValueKind != JsonValueKind.Array) throw new ConformanceFormatException($"{where}: \"{name}\" must be a string or an array of strings");
        return [.. v.EnumerateArray().Select(x => Scalar(x, $"{where}: {name}"))];
    }

    private static Dictionary<string, string>? Map(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Object) throw new ConformanceFormatException($"{where}: \"{name}\" must be an object of strings");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject()) map[p.Name] = Scalar(p.Value, $"{where}: {name}.{p.Name}");
        return map;
    }
}
