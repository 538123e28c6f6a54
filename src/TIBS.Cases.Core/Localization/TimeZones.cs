namespace TIBS.Cases.Core.Localization;

/// <summary>
/// The time zones a user may choose (IANA ids), and the default of each region: a user who chose none sees times in
/// the zone of their home region, and in UTC when they have no region. Stored times stay UTC.
/// </summary>
public static class TimeZones
{
    /// <summary>The zone of each country of the programme, by the region code's country prefix.</summary>
    private static readonly Dictionary<string, string> ByCountry = new(StringComparer.OrdinalIgnoreCase)
    {
        ["PL"] = "Europe/Warsaw",
        ["LV"] = "Europe/Riga",
        ["EE"] = "Europe/Tallinn",
        ["LT"] = "Europe/Vilnius",
        ["FI"] = "Europe/Helsinki",
        ["DE"] = "Europe/Berlin",
        ["DK"] = "Europe/Copenhagen",
        ["SE"] = "Europe/Stockholm",
    };

    /// <summary>The zones offered in Preferences: the programme's countries first, then every other zone the system knows.</summary>
    public static IReadOnlyList<string> Offered { get; } = ByCountry.Values.Distinct()
        .Concat(TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).Select(z => z.Id).Where(id => id.Contains('/', StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        .Append("UTC")
        .Distinct(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Whether <paramref name="id"/> is a zone this system knows by its IANA id.</summary>
    public static bool IsKnown(string? id) => id is not null && id.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    /// <summary>The default zone for a user whose home region is <paramref name="regionCode"/> (NUTS code, country first); UTC without one.</summary>
    public static string ForRegion(string? regionCode) =>
        regionCode is { Length: >= 2 } && ByCountry.TryGetValue(regionCode[..2], out var zone) ? zone : "UTC";

    /// <summary>The zone a user sees: their choice when known, otherwise their region's.</summary>
    public static TimeZoneInfo Resolve(string? chosen, string? regionCode) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(IsKnown(chosen) ? chosen! : ForRegion(regionCode), out var zone) ? zone : TimeZoneInfo.Utc;
}
