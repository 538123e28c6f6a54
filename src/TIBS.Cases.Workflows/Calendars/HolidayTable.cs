namespace TIBS.Cases.Workflows.Calendars;

/// <summary>
/// Public holidays kept as data next to the PublicHoliday package's: the days each country's law names that the
/// package lacks in some version, or that are days off in practice. Joined with the package's list, so a day in both
/// counts once. Each row says where it comes from.
/// </summary>
internal static class HolidayTable
{
    /// <summary>A fixed-date holiday of <see cref="Country"/> from <see cref="FromYear"/> on (up to <see cref="ToYear"/> if set).</summary>
    public sealed record FixedHoliday(string Country, int Month, int Day, string Name, int FromYear = 1990, int? ToYear = null);

    public static IReadOnlyList<FixedHoliday> Fixed { get; } =
    [
        // Latvia: Law on Public Holidays, Commemoration Days and Celebration Days (likumi.lv/ta/id/72608), section 1.
        new("LV", 5, 4, "Restoration of Independence Day"),
        new("LV", 6, 23, "Midsummer Eve (Līgo)"),
        new("LV", 6, 24, "Midsummer Day (Jāņi)"),
        new("LV", 11, 18, "Proclamation Day of the Republic of Latvia"),

        // Estonia: Public Holidays and Days of National Importance Act (riigiteataja.ee/akt/PPSKS), § 2.
        new("EE", 2, 24, "Independence Day"),
        new("EE", 6, 23, "Victory Day"),
        new("EE", 6, 24, "Midsummer Day (Jaanipäev)"),
        new("EE", 8, 20, "Day of Restoration of Independence"),

        // Lithuania: Labour Code, Article 123 (e-tar.lt, XII-2603).
        new("LT", 2, 16, "Day of Restoration of the State of Lithuania"),
        new("LT", 3, 11, "Day of Restoration of Independence of Lithuania"),
        new("LT", 6, 24, "Midsummer Day (Joninės, Rasos)"),
        new("LT", 7, 6, "Statehood Day (Coronation of King Mindaugas)"),
        new("LT", 8, 15, "Assumption Day"),
        new("LT", 11, 1, "All Saints' Day"),
        new("LT", 11, 2, "All Souls' Day", FromYear: 2020),

        // Poland: Act of 18 January 1951 on non-working days (Dz.U. 1951 nr 4 poz. 28), Christmas Eve added in 2024.
        new("PL", 5, 3, "Constitution Day"),
        new("PL", 11, 11, "Independence Day"),
        new("PL", 12, 24, "Christmas Eve", FromYear: 2025),

        // Germany: German Unity Day (Unification Treaty, art. 2); Hamburg's Reformation Day since 2018
        // (Gesetz über Sonntage, Feiertage, Gedenktage und Trauertage, § 1, as amended 2018).
        new("DE", 10, 3, "German Unity Day"),
        new("DE-HH", 10, 3, "German Unity Day"),
        new("DE-HH", 10, 31, "Reformation Day", FromYear: 2018),

        // Finland: Independence Day (Act 388/1937 on the Independence Day). Midsummer Eve: see MidsummerEve.
        new("FI", 12, 6, "Independence Day"),

        // Denmark: Constitution Day, a day off by collective agreement for most employees (Grundlovsdag).
        new("DK", 6, 5, "Constitution Day (Grundlovsdag)"),

        // Sweden: National Day, a public holiday since 2005 (Lag (1989:253) om allmänna helgdagar).
        new("SE", 6, 6, "National Day of Sweden", FromYear: 2005),
    ];

    /// <summary>
    /// Countries where Midsummer Eve, the Friday between 19 and 25 June, is a day off: Sweden (not a holiday by law
    /// but treated as a Sunday by the Annual Leave Act and collective agreements) and Finland (the same, by the
    /// Working Hours Act's list of days off).
    /// </summary>
    public static IReadOnlyList<string> MidsummerEveCountries { get; } = ["FI", "SE"];

    /// <summary>The table's holidays of a calendar key (a country code, or <c>DE-HH</c>) in a year.</summary>
    public static IEnumerable<DateOnly> For(string key, int year)
    {
        foreach (var h in Fixed)
        {
            if (h.Country == key && year >= h.FromYear && (h.ToYear is null || year <= h.ToYear))
            {
                yield return new DateOnly(year, h.Month, h.Day);
            }
        }

        if (MidsummerEveCountries.Contains(key))
        {
            yield return MidsummerEve(year);
        }
    }

    /// <summary>The Friday between 19 and 25 June.</summary>
    public static DateOnly MidsummerEve(int year)
    {
        var day = new DateOnly(year, 6, 19);
        while (day.DayOfWeek != DayOfWeek.Friday)
        {
            day = day.AddDays(1);
        }

        return day;
    }
}
