using System.Globalization;
using System.Text.RegularExpressions;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Display;

/// <summary>
/// The names of taxonomy entries: S3 areas, NACE sections (and the divisions under them), regions and countries. A
/// code not in the reference data is shown as it is written: it is then the only thing known about it.
/// </summary>
public sealed partial class ReferenceLabels
{
    private readonly Dictionary<string, string> s3;
    private readonly Dictionary<string, string> nace;
    private readonly Dictionary<string, string> regions;

    public ReferenceLabels(IEnumerable<S3Area> s3Areas, IEnumerable<NaceSection> naceSections, IEnumerable<Region> regionList)
    {
        s3 = s3Areas.ToDictionary(a => a.Code, a => a.Name, StringComparer.Ordinal);
        nace = naceSections.ToDictionary(n => n.Code, n => n.Name, StringComparer.Ordinal);
        regions = regionList.ToDictionary(r => r.Code, r => r.Name, StringComparer.Ordinal);
    }

    /// <summary>Empty reference data: only countries are named.</summary>
    public static ReferenceLabels None { get; } = new([], [], []);

    public static async Task<ReferenceLabels> LoadAsync(IReferenceDataStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new ReferenceLabels(
            await store.S3AreasAsync(cancellationToken),
            await store.NaceSectionsAsync(cancellationToken),
            await store.RegionsAsync(cancellationToken));
    }

    [GeneratedRegex(@"^(?<section>[A-U])(?<rest>\d{2}(\.\d{1,2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NaceCode();

    /// <summary>The name of <paramref name="code"/> in <paramref name="taxonomy"/> (<c>s3-area</c>, <c>nace</c>, <c>region</c>, <c>country</c>).</summary>
    public string Name(string? taxonomy, string code) => taxonomy switch
    {
        "s3-area" => s3.GetValueOrDefault(code) ?? code,
        "region" => Region(code),
        "nace" => Nace(code),
        "country" => Country(code),
        _ => s3.GetValueOrDefault(code) ?? regions.GetValueOrDefault(code) ?? code,
    };

    public string Region(string code) => regions.GetValueOrDefault(code) ?? code;

    /// <summary>"C — Manufacturing"; a division or group keeps its code with the section's name: "C16 (Manufacturing)".</summary>
    public string Nace(string code)
    {
        var match = NaceCode().Match(code);
        if (!match.Success || !nace.TryGetValue(match.Groups["section"].Value, out var name))
        {
            return code;
        }

        return match.Groups["rest"].Success ? $"{code} ({name})" : $"{code} — {name}";
    }

    public static string Country(string code) => Countries.Name(code);
}

/// <summary>
/// Country codes offered in country fields, named in the reader's language: the partner countries first, then the rest
/// of the EU/EEA and frequent others. <see cref="EnglishName"/> is for records written once (the administration log).
/// </summary>
public static class Countries
{
    private static readonly (string Code, string Name)[] English =
    [
        ("PL", "Poland"), ("LV", "Latvia"), ("EE", "Estonia"), ("LT", "Lithuania"), ("DE", "Germany"), ("FI", "Finland"), ("DK", "Denmark"), ("SE", "Sweden"),
        ("AT", "Austria"), ("BE", "Belgium"), ("BG", "Bulgaria"), ("CY", "Cyprus"), ("CZ", "Czechia"), ("ES", "Spain"), ("FR", "France"), ("GR", "Greece"),
        ("HR", "Croatia"), ("HU", "Hungary"), ("IE", "Ireland"), ("IS", "Iceland"), ("IT", "Italy"), ("LU", "Luxembourg"), ("MT", "Malta"), ("NL", "Netherlands"),
        ("NO", "Norway"), ("PT", "Portugal"), ("RO", "Romania"), ("SI", "Slovenia"), ("SK", "Slovakia"), ("CH", "Switzerland"), ("UA", "Ukraine"),
        ("GB", "United Kingdom"), ("US", "United States"), ("CA", "Canada"), ("JP", "Japan"), ("CN", "China"), ("IN", "India"),
    ];

    private static readonly Dictionary<string, string> ByCode = English.ToDictionary(c => c.Code, c => c.Name, StringComparer.Ordinal);

    /// <summary>Every offered country with its name in the reader's language, in the offered order.</summary>
    public static IReadOnlyList<(string Code, string Name)> All => [.. English.Select(c => (c.Code, Localized.Text(c.Name)))];

    /// <summary>The name of an ISO 3166-1 code in the reader's language; other valid codes are named by .NET's region data (in English).</summary>
    public static string Name(string code) => ByCode.TryGetValue(code, out var name) ? Localized.Text(name) : EnglishName(code);

    /// <summary>The English name of an ISO 3166-1 code, for records written once.</summary>
    public static string EnglishName(string code)
    {
        if (ByCode.TryGetValue(code, out var name))
        {
            return name;
        }

        try
        {
            return code.Length == 2 && code.All(char.IsAsciiLetterUpper) ? new RegionInfo(code).EnglishName : code;
        }
        catch (ArgumentException)
        {
            return code;
        }
    }
}
