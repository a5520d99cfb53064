using System.Text.Json;

namespace Auditor.Infra.Tests;

/// <summary>
/// Walks every policy statement of a CloudFormation template and reports the ones that break the least-privilege rules
/// of issue 6: no Allow of <c>*</c>, <c>kms:*</c> or <c>s3:*</c> anywhere (identity or resource policy; a NotAction
/// Allow counts as <c>*</c>), and in identity policies no write (any action not named Get…/List…/Describe…) on
/// Resource <c>*</c>. In a resource policy (bucket, queue, key policy) <c>*</c> names the resource itself, so only the
/// first rule applies there.
/// </summary>
public static class IamStatementAudit
{
    private static readonly string[] ReadOnlyVerbs = ["Get", "List", "Describe"];

    /// <summary>Resource types whose policies are identity policies (attached to principals).</summary>
    private static readonly HashSet<string> IdentityPolicyTypes =
        ["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"];

    /// <summary>One rule broken by one statement.</summary>
    public sealed record Violation(string LogicalId, string Action, string Reason)
    {
        public override string ToString() => $"{LogicalId}: {Action}: {Reason}";
    }

    /// <summary>
    /// True when the action only reads: its name part (after <c>service:</c>) starts with Get, List or Describe. A
    /// wildcard that could also match a write (<c>s3:Put*</c>, <c>kms:*</c>, <c>*</c>) is not read-only.
    /// </summary>
    public static bool IsReadOnly(string action)
    {
        var colon = action.IndexOf(':');
        if (colon <= 0 || colon == action.Length - 1)
        {
            return false;
        }

        var name = action[(colon + 1)..];
        // "Get*" stays within reads; "G*" or "*" could match anything.
        return ReadOnlyVerbs.Any(verb => name.StartsWith(verb, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True for the actions no statement may allow, wildcards of whole services included.</summary>
    public static bool IsForbiddenEverywhere(string action) =>
        action is "*" || action.Equals("kms:*", StringComparison.OrdinalIgnoreCase)
        || action.Equals("s3:*", StringComparison.OrdinalIgnoreCase);

    /// <summary>The violations of every policy statement in a template.</summary>
    public static IReadOnlyList<Violation> Audit(JsonElement template)
    {
        var violations = new List<Violation>();
        foreach (var resource in template.GetProperty("Resources").EnumerateObject())
        {
            var type = resource.Value.GetProperty("Type").GetString()!;
            if (!resource.Value.TryGetProperty("Properties", out var properties))
            {
                continue;
            }

            foreach (var property in properties.EnumerateObject())
            {
                // A role's trust policy is a resource policy on the role: it names principals, not resources.
                var identity = IdentityPolicyTypes.Contains(type) && property.Name != "AssumeRolePolicyDocument";
                foreach (var statement in Statements(property.Value))
                {
                    violations.AddRange(AuditStatement(resource.Name, statement, identity));
                }
            }
        }

        return violations;
    }

    /// <summary>The violations of one statement.</summary>
    public static IEnumerable<Violation> AuditStatement(string logicalId, JsonElement statement, bool identityPolicy)
    {
        if (statement.TryGetProperty("Effect", out var effect) && effect.GetString() != "Allow")
        {
            yield break;
        }

        if (statement.TryGetProperty("NotAction", out var notAction))
        {
            yield return new Violation(logicalId, string.Join(",", Strings(notAction)), "Allow with NotAction grants nearly everything");
        }

        var actions = statement.TryGetProperty("Action", out var action) ? Strings(action).ToList() : [];
        var onEverything = !statement.TryGetProperty("Resource", out var resources)
            || Strings(resources).Any(r => r == "*");
        if (statement.TryGetProperty("NotResource", out _))
        {
            onEverything = true;
        }

        foreach (var name in actions)
        {
            if (IsForbiddenEverywhere(name))
            {
                yield return new Violation(logicalId, name, "service-wide or global wildcard action");
            }
            else if (identityPolicy && onEverything && !IsReadOnly(name))
            {
                yield return new Violation(logicalId, name, "write or mutating action on Resource \"*\"");
            }
        }
    }

    /// <summary>Every statement in the policy documents a resource's properties hold, wherever they are nested.</summary>
    public static IEnumerable<JsonElement> Statements(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "Statement" && property.Value.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var statement in property.Value.EnumerateArray())
                        {
                            yield return statement;
                        }
                    }
                    else
                    {
                        foreach (var nested in Statements(property.Value))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var nested in Statements(item))
                    {
                        yield return nested;
                    }
                }

                break;
        }
    }

    /// <summary>A string or an array of strings; a CloudFormation intrinsic (object) yields its JSON text.</summary>
    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [element.GetRawText()],
    };
}
