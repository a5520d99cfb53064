namespace Auditor.Testing;

/// <summary>Finds the repository root (the directory holding Auditor.sln) and the shared data beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared</c> relative to the repository root (read-only test data).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string RealTrails => Path.Combine(Shared, "real-trails");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Auditor.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Auditor.sln not found above {AppContext.BaseDirectory}");
    }
}
