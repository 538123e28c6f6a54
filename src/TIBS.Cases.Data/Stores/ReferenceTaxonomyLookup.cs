using System.Globalization;
using System.Text.RegularExpressions;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// Checks taxonomy codes in forms against the reference data: S3 areas and regions as seeded, NACE sections and
/// divisions/groups (C, C10, C10.5), ISO 3166-1 country codes. Loaded once at start-up (<see cref="LoadAsync"/>).
/// </summary>
public sealed partial class ReferenceTaxonomyLookup(IReferenceDataStore reference) : ITaxonomyLookup
{
    private HashSet<string> s3 = [];
    private HashSet<string> regions = [];
    private HashSet<string> nace = [];

    [GeneratedRegex(@"^(?<section>[A-U])(\d{2}(\.\d{1,2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NaceCode();

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        s3 = [.. (await reference.S3AreasAsync(cancellationToken)).Select(a => a.Code)];
        regions = [.. (await reference.RegionsAsync(cancellationToken)).Select(r => r.Code)];
        nace = [.. (await reference.NaceSectionsAsync(cancellationToken)).Select(n => n.Code)];
    }

    public bool IsKnown(string taxonomy, string code) => taxonomy switch
    {
        "s3-area" => s3.Contains(code),
        "region" => regions.Contains(code),
        "nace" => NaceCode().Match(code) is { Success: true } m && nace.Contains(m.Groups["section"].Value),
        "country" => IsCountry(code),
        _ => false,
    };

    /// <summary>Two-letter codes already looked up (at most 26 × 26): a region's data is not built again per form.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Countries = new(StringComparer.Ordinal);

    private static bool IsCountry(string code) =>
        code.Length == 2 && code.All(char.IsAsciiLetterUpper) && Countries.GetOrAdd(code, IsRegionName);

    private static bool IsRegionName(string code)
    {
        try
        {
            return new RegionInfo(code).TwoLetterISORegionName == code;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
