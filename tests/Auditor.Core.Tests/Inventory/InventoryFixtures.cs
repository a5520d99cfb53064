namespace Auditor.Core.Tests.Inventory;

/// <summary>Finds tests/fixtures/inventory from the repository root (the directory holding Auditor.sln).</summary>
internal static class InventoryFixtures
{
    public static string Directory { get; } = Path.Combine(RepoRoot(), "tests", "fixtures", "inventory");

    public static string Path_(string name) => Path.Combine(Directory, name);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Auditor.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Auditor.sln not found above " + AppContext.BaseDirectory);
    }
}
