using System.Reflection;

namespace Auditor.Core.Findings.Formats;

/// <summary>
/// How the auditor names itself in exported findings (OCSF <c>metadata.product</c>, ASFF <c>ProductName</c>/<c>CompanyName</c>).
/// The version defaults to the core library's informational version without the source-revision suffix, so the
/// same build always writes the same bytes.
/// </summary>
public sealed record FindingProductInfo
{
    public string Name { get; init; } = "KMS Trail Auditor";
    public string VendorName { get; init; } = "KMS Trail Auditor project";
    public string Version { get; init; } = DefaultVersion();

    public static readonly FindingProductInfo Default = new();

    private static string DefaultVersion()
    {
        // Attributes survive trimming and native AOT; no reflection over members is involved.
        var v = typeof(FindingProductInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        int plus = v.IndexOf('+');
        return plus < 0 ? v : v[..plus];
    }
}
