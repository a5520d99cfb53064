using System.Globalization;
using System.Text.RegularExpressions;

namespace Auditor.Core.Reporting;

/// <summary>
/// The UTC day a CloudTrail log file belongs to, from its name
/// (<c>ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_UNIQUE.json.gz</c>, the delivery time) or else from its
/// <c>…/YYYY/MM/DD/</c> folder. Used to find days of a period with no log file at all.
/// </summary>
public static partial class LogFileDates
{
    [GeneratedRegex(@"_(\d{4})(\d{2})(\d{2})T\d{4}Z_", RegexOptions.CultureInvariant)]
    private static partial Regex NameStamp();

    [GeneratedRegex(@"[/\\](\d{4})[/\\](\d{2})[/\\](\d{2})[/\\]", RegexOptions.CultureInvariant)]
    private static partial Regex FolderDate();

    public static DateOnly? DayOf(string path)
    {
        var name = Path.GetFileName(path);
        var m = NameStamp().Match(name);
        if (!m.Success) m = FolderDate().Match(path);
        if (!m.Success) return null;
        return DateOnly.TryParseExact($"{m.Groups[1].Value}-{m.Groups[2].Value}-{m.Groups[3].Value}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }
}
