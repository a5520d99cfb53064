using System.IO.Enumeration;

namespace Auditor.Cli.Input;

/// <summary>
/// Turns the paths a user gave into the files to read. Directories are walked recursively (an
/// <c>AWSLogs/…</c> tree copied from S3, organization trails included) in a stable order; inside a directory
/// only <c>.json</c> and <c>.gz</c> files are candidates, CloudTrail digest files are skipped by name, and
/// symbolic links that lead outside the directory are not followed. A file named explicitly is always read.
/// </summary>
public static class TrailDiscovery
{
    public sealed record Result(List<TrailSource> Sources, List<(string Path, string Reason)> Skipped, List<(string Path, string Error)> Errors, int Digests);

    public static Result Discover(IEnumerable<string> paths)
    {
        var result = new Result([], [], [], 0);
        int digests = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (path == "-")
            {
                result.Sources.Add(new TrailSource("<stdin>", null));
                continue;
            }
            if (File.Exists(path))
            {
                if (seen.Add(Path.GetFullPath(path))) result.Sources.Add(new TrailSource(path, path));
                continue;
            }
            if (!Directory.Exists(path))
            {
                result.Errors.Add((path, "no such file or directory"));
                continue;
            }
            var root = Path.GetFullPath(path);
            IEnumerable<string> files;
            try
            {
                // Symbolic links to directories are never descended into: a link loop (or a link to /) would
                // otherwise make the walk endless. Linked files are judged one by one below.
                var walk = new FileSystemEnumerable<string>(path, (ref FileSystemEntry e) => e.ToFullPath(),
                    new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = 0 })
                {
                    ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory,
                    ShouldRecursePredicate = (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) == 0,
                };
                files = walk.Order(StringComparer.Ordinal).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                result.Errors.Add((path, $"cannot list directory: {e.Message}"));
                continue;
            }
            foreach (var file in files)
            {
                try
                {
                    var name = Path.GetFileName(file);
                    if (!IsCandidate(name))
                    {
                        result.Skipped.Add((file, "not a .json or .json.gz file"));
                        continue;
                    }
                    if (IsDigestName(file))
                    {
                        digests++;
                        result.Skipped.Add((file, "CloudTrail digest file"));
                        continue;
                    }
                    if (LeavesRoot(file, root))
                    {
                        result.Skipped.Add((file, "symbolic link to outside the directory given; not followed"));
                        continue;
                    }
                    // A FIFO, socket or device reports length 0 and could block the run forever on open; CloudTrail
                    // never writes empty objects either. (A path named explicitly, like <(zcat …), is still read.)
                    if (new FileInfo(file).Length == 0)
                    {
                        result.Errors.Add((file, "empty file (0 bytes), or not a regular file (FIFO, socket or device); not read"));
                        continue;
                    }
                    if (seen.Add(Path.GetFullPath(file))) result.Sources.Add(new TrailSource(file, file));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A name the platform cannot open (not valid UTF-8, vanished meanwhile): named, and the walk goes on.
                    result.Errors.Add((file, $"cannot read: {e.Message}"));
                }
            }
        }
        return result with { Digests = digests };
    }

    private static bool IsCandidate(string name) =>
        name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Digest files live under <c>CloudTrail-Digest/</c> and are named <c>…_CloudTrail-Digest_…</c>.</summary>
    private static bool IsDigestName(string path) => path.Contains("CloudTrail-Digest", StringComparison.Ordinal);

    private static bool LeavesRoot(string file, string root)
    {
        try
        {
            var info = new FileInfo(file);
            if (info.LinkTarget is null && !AnyParentIsLink(info.Directory, root)) return false;
            var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(file);
            var real = RealPath(target);
            var realRoot = RealPath(root);
            return !real.StartsWith(realRoot.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true; // a broken or looping link: do not follow
        }
    }

    private static bool AnyParentIsLink(DirectoryInfo? dir, string root)
    {
        for (var d = dir; d is not null && d.FullName.Length > root.Length; d = d.Parent)
            if (d.LinkTarget is not null) return true;
        return false;
    }

    /// <summary>Resolves every link along a path, so a linked directory cannot smuggle a file out.</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var parts = full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = Path.DirectorySeparatorChar.ToString();
        foreach (var part in parts)
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(true) is { } t) current = t.FullName;
        }
        return current;
    }
}
