using System.Text.Json;

namespace Auditor.Core.Policy;

/// <summary>
/// A parsed IAM policy document (a key policy or an identity policy), compiled for evaluation.
/// Parsing is strict about structure (what KMS would reject as <c>MalformedPolicyDocument</c>) and
/// reports the statement and element at fault.
/// </summary>
public sealed class PolicyDocument
{
    public string? Version { get; init; }
    public string? Id { get; init; }
    public IReadOnlyList<PolicyStatement> Statements { get; init; } = [];

    /// <summary>Parses a policy from its JSON text (as GetKeyPolicy or a CloudTrail record carries it).</summary>
    public static PolicyDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new PolicyFormatException($"policy is not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            // Text that is not valid Unicode (a lone surrogate escape) surfaces only when a string is read.
            try { return Parse(doc.RootElement); }
            catch (InvalidOperationException e) { throw new PolicyFormatException($"policy holds invalid text: {e.Message}", e); }
        }
    }

    /// <summary>Parses a policy from a JSON element (a conformance case may embed the document as an object).</summary>
    public static PolicyDocument Parse(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.String) return Parse(root.GetString()!);
        if (root.ValueKind != JsonValueKind.Object) throw new PolicyFormatException($"policy must be a JSON object, got {root.ValueKind}");
        string? version = null, id = null;
        JsonElement statement = default;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "Version": version = ExpectString(p.Value, "Version"); break;
                case "Id": id = ExpectString(p.Value, "Id"); break;
                case "Statement": statement = p.Value; break;
            }
        }
        if (statement.ValueKind == JsonValueKind.Undefined) throw new PolicyFormatException("policy has no Statement");
        var statements = new List<PolicyStatement>();
        if (statement.ValueKind == JsonValueKind.Object) statements.Add(ParseStatement(statement, 0));
        else if (statement.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var s in statement.EnumerateArray()) statements.Add(ParseStatement(s, i++));
        }
        else throw new PolicyFormatException($"Statement must be an object or an array, got {statement.ValueKind}");
        return new PolicyDocument { Version = version, Id = id, Statements = statements };
    }

    private static PolicyStatement ParseStatement(JsonElement s, int index)
    {
        string where = $"Statement[{index}]";
        if (s.ValueKind != JsonValueKind.Object) throw new PolicyFormatException($"{where} must be an object, got {s.ValueKind}");
        string? sid = null, effect = null;
        JsonElement principal = default, notPrincipal = default, action = default, notAction = default,
            resource = default, notResource = default, condition = default;
        foreach (var p in s.EnumerateObject())
        {
            switch (p.Name)
            {
                case "Sid": sid = ExpectString(p.Value, $"{where}.Sid"); break;
                case "Effect": effect = ExpectString(p.Value, $"{where}.Effect"); break;
                case "Principal": principal = p.Value; break;
                case "NotPrincipal": notPrincipal = p.Value; break;
                case "Action": action = p.Value; break;
                case "NotAction": notAction = p.Value; break;
                case "Resource": resource = p.Value; break;
                case "NotResource": notResource = p.Value; break;
                case "Condition": condition = p.Value; break;
            }
        }
        if (sid is not null) where = $"Statement[{index}] (Sid \"{sid}\")";
        PolicyEffect eff = effect switch
        {
            "Allow" => PolicyEffect.Allow,
            "Deny" => PolicyEffect.Deny,
            null => throw new PolicyFormatException($"{where} has no Effect"),
            _ => throw new PolicyFormatException($"{where}: Effect must be \"Allow\" or \"Deny\", got \"{effect}\""),
        };
        if (Has(principal) && Has(notPrincipal)) throw new PolicyFormatException($"{where} has both Principal and NotPrincipal");
        if (Has(action) && Has(notAction)) throw new PolicyFormatException($"{where} has both Action and NotAction");
        if (!Has(action) && !Has(notAction)) throw new PolicyFormatException($"{where} has neither Action nor NotAction");
        if (Has(resource) && Has(notResource)) throw new PolicyFormatException($"{where} has both Resource and NotResource");

        var actions = Strings(action, $"{where}.Action").Select(a => new WildcardPattern(a, ignoreCase: true)).ToArray();
        var notActions = Strings(notAction, $"{where}.NotAction").Select(a => new WildcardPattern(a, ignoreCase: true)).ToArray();
        var resources = Strings(resource, $"{where}.Resource").Select(r => new PolicyValue(r)).ToArray();
        var notResources = Strings(notResource, $"{where}.NotResource").Select(r => new PolicyValue(r)).ToArray();
        return new PolicyStatement
        {
            Sid = sid,
            Index = index,
            Effect = eff,
            Principal = Has(principal) ? ParsePrincipal(principal, $"{where}.Principal") : null,
            NotPrincipal = Has(notPrincipal) ? ParsePrincipal(notPrincipal, $"{where}.NotPrincipal") : null,
            Actions = actions,
            NotActions = notActions,
            Resources = resources,
            NotResources = notResources,
            ResourcePatterns = resources.Select(r => new WildcardPattern(r.Text, ignoreCase: false)).ToArray(),
            NotResourcePatterns = notResources.Select(r => new WildcardPattern(r.Text, ignoreCase: false)).ToArray(),
            Conditions = Has(condition) ? ParseConditions(condition, $"{where}.Condition") : [],
        };
    }

    private static PrincipalElement ParsePrincipal(JsonElement e, string where)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            string v = e.GetString()!;
            if (v == "*") return new PrincipalElement(true, [], [], [], []);
            throw new PolicyFormatException($"{where}: a string principal must be \"*\"; name others as {{\"AWS\": \"{v}\"}}");
        }
        if (e.ValueKind != JsonValueKind.Object) throw new PolicyFormatException($"{where} must be \"*\" or an object, got {e.ValueKind}");
        var aws = new List<PrincipalRef>();
        var service = new List<PrincipalRef>();
        var federated = new List<string>();
        var canonical = new List<string>();
        foreach (var p in e.EnumerateObject())
        {
            var values = Strings(p.Value, $"{where}.{p.Name}");
            switch (p.Name)
            {
                case "AWS": aws.AddRange(values.Select(PrincipalRef.Parse)); break;
                case "Service": service.AddRange(values.Select(PrincipalRef.Parse)); break;
                case "Federated": federated.AddRange(values); break;
                case "CanonicalUser": canonical.AddRange(values); break;
                default: throw new PolicyFormatException($"{where}: unknown principal type \"{p.Name}\" (expected AWS, Service, Federated or CanonicalUser)");
            }
        }
        return new PrincipalElement(false, aws, service, federated, canonical);
    }

    private static ConditionClause[] ParseConditions(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new PolicyFormatException($"{where} must be an object, got {e.ValueKind}");
        var clauses = new List<ConditionClause>();
        foreach (var op in e.EnumerateObject())
        {
            if (!ConditionOperator.TryParse(op.Name, out var parsed))
                throw new PolicyFormatException($"{where}: unknown condition operator \"{op.Name}\"");
            if (op.Value.ValueKind != JsonValueKind.Object)
                throw new PolicyFormatException($"{where}.{op.Name} must map condition keys to values, got {op.Value.ValueKind}");
            foreach (var key in op.Value.EnumerateObject())
            {
                var values = ConditionValues(key.Value, $"{where}.{op.Name}.{key.Name}");
                clauses.Add(new ConditionClause(parsed, key.Name, values.Select(v => new PolicyValue(v)).ToArray()));
            }
        }
        return [.. clauses];
    }

    private static List<string> ConditionValues(JsonElement e, string where)
    {
        var list = new List<string>();
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var v in e.EnumerateArray()) list.Add(Scalar(v, where));
            return list;
        }
        list.Add(Scalar(e, where));
        return list;
    }

    // IAM compares condition values as text: numbers and booleans keep their JSON spelling.
    private static string Scalar(JsonElement v, string where) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new PolicyFormatException($"{where}: a condition value must be a string, number or boolean, got {v.ValueKind}"),
    };

    private static List<string> Strings(JsonElement e, string where)
    {
        var list = new List<string>();
        if (e.ValueKind == JsonValueKind.Undefined) return list;
        if (e.ValueKind == JsonValueKind.String) { list.Add(e.GetString()!); return list; }
        if (e.ValueKind != JsonValueKind.Array) throw new PolicyFormatException($"{where} must be a string or a list of strings, got {e.ValueKind}");
        foreach (var v in e.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.String) throw new PolicyFormatException($"{where} must hold only strings, got {v.ValueKind}");
            list.Add(v.GetString()!);
        }
        return list;
    }

    private static string? ExpectString(JsonElement e, string where) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Null => null,
        _ => throw new PolicyFormatException($"{where} must be a string, got {e.ValueKind}"),
    };

    private static bool Has(JsonElement e) => e.ValueKind != JsonValueKind.Undefined;
}
