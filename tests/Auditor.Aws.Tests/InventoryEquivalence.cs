using System.Text.Json.Nodes;
using Auditor.Core.Grants;
using Auditor.Core.Inventory;

namespace Auditor.Aws.Tests;

/// <summary>
/// Asserts two snapshots describe the same keys the same way, whatever their textual form (CLI ISO dates with
/// offsets vs the API's epoch seconds, key order, whitespace): what the authorization engine reads — key state,
/// policy document, grants with their constraints, aliases.
/// </summary>
internal static class InventoryEquivalence
{
    public static void AssertSameKeys(InventorySnapshot expected, InventorySnapshot actual)
    {
        Assert.Equal(expected.Keys.Select(k => k.KeyArn).Order(StringComparer.Ordinal),
                     actual.Keys.Select(k => k.KeyArn).Order(StringComparer.Ordinal));
        foreach (var e in expected.Keys)
        {
            var a = actual.Keys.Single(k => k.KeyArn == e.KeyArn);
            var (em, am) = (e.Metadata, a.Metadata);
            Assert.Equal((em.KeyId, em.AWSAccountId, em.CreationDate, em.Enabled, em.KeyState, em.KeyManager, em.KeyUsage, em.KeySpec, em.Origin, em.DeletionDate, em.MultiRegion, em.Description),
                         (am.KeyId, am.AWSAccountId, am.CreationDate, am.Enabled, am.KeyState, am.KeyManager, am.KeyUsage, am.KeySpec, am.Origin, am.DeletionDate, am.MultiRegion, am.Description));
            Assert.Equal(e.AccountId, a.AccountId);
            Assert.Equal(e.Region, a.Region);

            Assert.Equal(e.Policy is null, a.Policy is null);
            if (e.Policy is not null)
            {
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(e.Policy), JsonNode.Parse(a.Policy!)), $"policy of {e.KeyArn} differs");
            }

            Assert.Equal(e.Grants.Select(g => g.GrantId).Order(StringComparer.Ordinal), a.Grants.Select(g => g.GrantId).Order(StringComparer.Ordinal));
            foreach (var eg in e.Grants)
            {
                AssertSameGrant(eg, a.Grants.Single(g => g.GrantId == eg.GrantId));
            }

            Assert.Equal(
                e.Aliases.OrderBy(x => x.AliasName, StringComparer.Ordinal).Select(x => (x.AliasName, x.AliasArn, x.TargetKeyId, x.CreationDate, x.LastUpdatedDate)),
                a.Aliases.OrderBy(x => x.AliasName, StringComparer.Ordinal).Select(x => (x.AliasName, x.AliasArn, x.TargetKeyId, x.CreationDate, x.LastUpdatedDate)));
        }
    }

    private static void AssertSameGrant(Grant e, Grant a)
    {
        Assert.Equal((e.KeyId, e.GranteePrincipal, e.RetiringPrincipal, e.Name, e.IssuingAccount, e.CreationDate),
                     (a.KeyId, a.GranteePrincipal, a.RetiringPrincipal, a.Name, a.IssuingAccount, a.CreationDate));
        Assert.Equal(e.Operations, a.Operations);
        Assert.Equal(Map(e.Constraints?.EncryptionContextSubset), Map(a.Constraints?.EncryptionContextSubset));
        Assert.Equal(Map(e.Constraints?.EncryptionContextEquals), Map(a.Constraints?.EncryptionContextEquals));
    }

    private static string Map(IReadOnlyDictionary<string, string>? map) =>
        map is null ? "(none)" : string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
