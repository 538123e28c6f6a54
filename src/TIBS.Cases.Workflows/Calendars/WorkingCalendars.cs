using System.Collections.Frozen;
using PublicHoliday;

namespace TIBS.Cases.Workflows.Calendars;

/// <summary>
/// The working calendar of each country of the programme (PL, LV, EE, LT, DE, FI, DK, SE): the PublicHoliday
/// package's national holidays joined with <see cref="HolidayTable"/> (what the package lacks or may lack). Germany
/// counts federal holidays plus Hamburg's (the programme's German region, <c>DE60</c>); another German region counts
/// the federal holidays plus those of every state (the package's "all states" list) until it is named here.
/// A region's country is the first two letters of its NUTS code (<c>LV008</c> → LV).
/// </summary>
public static class WorkingCalendars
{
    private static readonly FrozenDictionary<string, WorkingCalendar> ByKey = new Dictionary<string, WorkingCalendar>(StringComparer.Ordinal)
    {
        ["PL"] = Make("PL", "Poland", "Europe/Warsaw", new PolandPublicHoliday()),
        ["LV"] = Make("LV", "Latvia", "Europe/Riga", new LatviaPublicHoliday()),
        ["EE"] = Make("EE", "Estonia", "Europe/Tallinn", new EstoniaPublicHoliday()),
        ["LT"] = Make("LT", "Lithuania", "Europe/Vilnius", new LithuaniaPublicHoliday()),
        ["DE"] = Make("DE", "Germany", "Europe/Berlin", new GermanPublicHoliday { State = GermanPublicHoliday.States.ALL }),
        ["DE-HH"] = Make("DE", "Germany (Hamburg)", "Europe/Berlin", new GermanPublicHoliday { State = GermanPublicHoliday.States.HH }, "DE-HH"),
        ["FI"] = Make("FI", "Finland", "Europe/Helsinki", new FinlandPublicHoliday()),
        ["DK"] = Make("DK", "Denmark", "Europe/Copenhagen", new DenmarkPublicHoliday()),
        ["SE"] = Make("SE", "Sweden", "Europe/Stockholm", new SwedenPublicHoliday()),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The countries with a calendar of their own.</summary>
    public static IReadOnlyList<string> Countries { get; } = ["PL", "LV", "EE", "LT", "DE", "FI", "DK", "SE"];

    /// <summary>The calendar of a country (ISO 3166-1 alpha-2); weekdays only for a country without one.</summary>
    public static WorkingCalendar ForCountry(string? countryCode) =>
        countryCode is not null && ByKey.TryGetValue(countryCode.ToUpperInvariant(), out var calendar) ? calendar : WorkingCalendar.WeekdaysOnly;

    /// <summary>The calendar of a region by its NUTS code (<c>DE60</c> → Germany (Hamburg), <c>LV008</c> → Latvia).</summary>
    public static WorkingCalendar ForRegion(string? regionCode)
    {
        if (string.IsNullOrWhiteSpace(regionCode) || regionCode.Length < 2)
        {
            return WorkingCalendar.WeekdaysOnly;
        }

        var code = regionCode.ToUpperInvariant();
        return code.StartsWith("DE6", StringComparison.Ordinal) ? ByKey["DE-HH"] : ForCountry(code[..2]);
    }

    private static WorkingCalendar Make(string country, string name, string timeZoneId, PublicHolidayBase package, string? tableKey = null) =>
        new(country, name, Zone(timeZoneId), year =>
            package.PublicHolidays(year).Select(DateOnly.FromDateTime).Concat(HolidayTable.For(tableKey ?? country, year)));

    private static TimeZoneInfo Zone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
