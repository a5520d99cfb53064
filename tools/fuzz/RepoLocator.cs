namespace Auditor.Fuzz;

/// <summary>Finds the repository root (the folder holding Auditor.sln) and the shared folder beside it.</summary>
public static class RepoLocator
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared</c> relative to the repository root (real trails, conformance cases).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>Where crashing inputs are kept as regression cases.</summary>
    public static string CorpusDir => Path.Combine(Root, "tests", "fuzz-corpus");

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Auditor.sln"))) return dir.FullName;
        throw new InvalidOperationException("Auditor.sln not found above " + AppContext.BaseDirectory);
    }
}
