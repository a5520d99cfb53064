namespace Auditor.Report.Tests;

/// <summary>Finds the repository root (the folder holding Auditor.sln) and the shared folder beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SharedPath(params string[] parts) => Path.Combine([Path.GetFullPath(Path.Combine(Root, "..", "shared")), .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Auditor.sln"))) return dir.FullName;
        throw new InvalidOperationException("Auditor.sln not found above " + AppContext.BaseDirectory);
    }
}
