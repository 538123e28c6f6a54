using System.Collections.Concurrent;

namespace TIBS.Cases.Workflows.Calendars;

/// <summary>
/// The working days of one country: Monday to Friday, less its public holidays (<see cref="WorkingCalendars"/> builds
/// one per country from the PublicHoliday package and <see cref="HolidayTable"/>). Days are counted in the country's
/// own time zone, so a step started late on a Friday evening in Riga counts from Riga's Friday. No I/O: holidays are
/// computed per year and kept.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly Func<int, IEnumerable<DateOnly>> _holidaysOf;
    private readonly ConcurrentDictionary<int, HashSet<DateOnly>> _years = new();

    public WorkingCalendar(string countryCode, string name, TimeZoneInfo timeZone, Func<int, IEnumerable<DateOnly>> holidaysOf)
    {
        CountryCode = countryCode;
        Name = name;
        TimeZone = timeZone;
        _holidaysOf = holidaysOf;
    }

    /// <summary>Weekdays only, in UTC: used where no country is known (and to compare durations in the validator).</summary>
    public static WorkingCalendar WeekdaysOnly { get; } = new("", "weekdays", TimeZoneInfo.Utc, _ => []);

    /// <summary>ISO 3166-1 alpha-2 code of the country (<c>LV</c>), empty for <see cref="WeekdaysOnly"/>.</summary>
    public string CountryCode { get; }

    /// <summary>What the calendar is, in words ("Latvia", "Germany (Hamburg)").</summary>
    public string Name { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>True when <paramref name="date"/> is a public holiday of the country (whatever the weekday).</summary>
    public bool IsHoliday(DateOnly date) => _years.GetOrAdd(date.Year, year => [.. _holidaysOf(year)]).Contains(date);

    /// <summary>True on Monday to Friday when it is not a public holiday.</summary>
    public bool IsBusinessDay(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(date);

    /// <summary>
    /// The date <paramref name="days"/> business days after <paramref name="start"/>: the first business day after it
    /// is day 1 (so 1 business day after a Friday is the Monday, or the Tuesday when Monday is a holiday).
    /// </summary>
    public DateOnly AddBusinessDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var date = start;
        var counted = 0;
        while (counted < days)
        {
            date = date.AddDays(1);
            if (IsBusinessDay(date))
            {
                counted++;
            }
        }

        return date;
    }

    /// <summary>
    /// The moment <paramref name="days"/> business days after <paramref name="start"/>, at the same time of day in the
    /// country's time zone; the result has the offset of <paramref name="start"/>.
    /// </summary>
    public DateTimeOffset AddBusinessDays(DateTimeOffset start, int days)
    {
        var local = TimeZoneInfo.ConvertTime(start, TimeZone);
        var date = AddBusinessDays(DateOnly.FromDateTime(local.DateTime), days);
        var wall = date.ToDateTime(TimeOnly.FromDateTime(local.DateTime), DateTimeKind.Unspecified);
        while (TimeZone.IsInvalidTime(wall))
        {
            wall = wall.AddHours(1); // the hour the clocks skip in spring
        }

        return new DateTimeOffset(wall, TimeZone.GetUtcOffset(wall)).ToOffset(start.Offset);
    }

    public override string ToString() => Name;
}
