using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TIBS.Cases.Workflows.Calendars;

using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Workflows.Definitions;

/// <summary>
/// An ISO-8601 duration (<c>PnYnMnWnDTnHnMnS</c>, whole numbers only). Years and months stay calendar
/// months (<c>P3M</c> after 31 January is 30 April), weeks and days become a fixed <see cref="Time"/>.
/// <c>P&lt;n&gt;BD</c> is n business days (<see cref="BusinessDays"/>): counted on a <see cref="WorkingCalendar"/>,
/// the calendar of the case's region, skipping weekends and that country's public holidays.
/// </summary>
public readonly partial record struct IsoDuration(int Months, TimeSpan Time)
{
    /// <summary>The most business days a duration may have (about ten years).</summary>
    public const int MaxBusinessDays = 2600;

    public static IsoDuration FromDays(int days) => new(0, TimeSpan.FromDays(days));

    public static IsoDuration FromMonths(int months) => new(months, TimeSpan.Zero);

    /// <summary>n business days (<c>P&lt;n&gt;BD</c>).</summary>
    public static IsoDuration FromBusinessDays(int days) => new(0, TimeSpan.Zero) { BusinessDays = days };

    /// <summary>Business days of a <c>P&lt;n&gt;BD</c> duration (never mixed with months or time).</summary>
    public int BusinessDays { get; init; }

    /// <summary>True for a <c>P&lt;n&gt;BD</c> duration.</summary>
    public bool IsBusinessDays => BusinessDays != 0;

    public bool IsZero => Months == 0 && Time == TimeSpan.Zero && BusinessDays == 0;

    /// <summary>
    /// Adds the duration to a point in time: calendar months first, then the fixed time. Business days are counted
    /// on weekdays only; use <see cref="AddTo(DateTimeOffset, WorkingCalendar?)"/> to skip a country's holidays too.
    /// </summary>
    public DateTimeOffset AddTo(DateTimeOffset start) => AddTo(start, null);

    /// <summary>Adds the duration to a point in time, counting business days on <paramref name="calendar"/> (weekdays when null).</summary>
    public DateTimeOffset AddTo(DateTimeOffset start, WorkingCalendar? calendar) =>
        IsBusinessDays ? (calendar ?? WorkingCalendar.WeekdaysOnly).AddBusinessDays(start, BusinessDays) : start.AddMonths(Months).Add(Time);

    /// <summary>Adds the duration to a date (the time part is counted in whole days; business days on weekdays).</summary>
    public DateOnly AddTo(DateOnly start) =>
        IsBusinessDays ? WorkingCalendar.WeekdaysOnly.AddBusinessDays(start, BusinessDays) : start.AddMonths(Months).AddDays((int)Time.TotalDays);

    /// <summary>Compares two durations as they would apply from the same, given start.</summary>
    public int CompareFrom(DateTimeOffset start, IsoDuration other) => AddTo(start).CompareTo(other.AddTo(start));

    /// <summary>
    /// True when this duration ends strictly before <paramref name="other"/> whatever the start: months are as long as
    /// the calendar makes them, so both are compared from the first and the last days of every month of a common
    /// and a leap year (the only days where month lengths make a difference).
    /// </summary>
    public bool IsAlwaysBefore(IsoDuration other)
    {
        foreach (var year in (ReadOnlySpan<int>)[2023, 2024])
        {
            for (var month = 1; month <= 12; month++)
            {
                for (var day = 1; day <= DateTime.DaysInMonth(year, month); day += day is 1 ? 26 : 1)
                {
                    if (CompareFrom(new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero), other) >= 0)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    /// <summary>Parses an ISO-8601 duration, throwing <see cref="FormatException"/> with a readable message.</summary>
    public static IsoDuration Parse(string text) =>
        TryParse(text, out var duration, out var error) ? duration : throw new FormatException(error);

    public static bool TryParse(string? text, out IsoDuration duration) => TryParse(text, out duration, out _);

    /// <summary>Parses an ISO-8601 duration; on failure <paramref name="error"/> says what is wrong in words.</summary>
    public static bool TryParse(string? text, out IsoDuration duration, out string error)
    {
        duration = default;
        error = "";
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            error = Localized.Text("A duration is missing (examples: P5D = 5 days, P3M = 3 months, PT12H = 12 hours, P20BD = 20 business days).");
            return false;
        }

        if (BusinessDayPattern().Match(value) is { Success: true } businessDays)
        {
            if (!int.TryParse(businessDays.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > MaxBusinessDays)
            {
                error = Localized.Format("'{0}' is more business days than the {1} (about ten years) a duration may have.", value, MaxBusinessDays);
                return false;
            }

            duration = FromBusinessDays(n);
            return true;
        }

        if (BusinessDayPattern().IsMatch(value.ToUpperInvariant()))
        {
            error = Localized.Format("'{0}' must be written in capitals: {1}.", value, value.ToUpperInvariant());
            return false;
        }

        var match = Pattern().Match(value);
        if (!match.Success || value == "P" || value.EndsWith('T'))
        {
            var upper = value.ToUpperInvariant();
            error = upper != value && Pattern().IsMatch(upper) && upper != "P" && !upper.EndsWith('T')
                ? Localized.Format("'{0}' must be written in capitals: {1}.", value, upper)
                : Localized.Format("'{0}' is not an ISO-8601 duration (examples: P5D = 5 days, P2W = 2 weeks, P3M = 3 months, P1Y = 1 year, PT12H = 12 hours, P20BD = 20 business days).", value);
            return false;
        }

        try
        {
            checked
            {
                var years = Number(match, "y");
                var months = Number(match, "mo");
                var weeks = Number(match, "w");
                var days = Number(match, "d");
                var hours = Number(match, "h");
                var minutes = Number(match, "mi");
                var seconds = Number(match, "s");
                var totalMonths = (years * 12) + months;
                var time = TimeSpan.FromDays((weeks * 7) + days) + TimeSpan.FromHours(hours)
                    + TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(seconds);
                if (totalMonths > 12 * 100 || time > TimeSpan.FromDays(36_500))
                {
                    error = Localized.Format("'{0}' is longer than a hundred years.", value);
                    return false;
                }

                duration = new IsoDuration((int)totalMonths, time);
                return true;
            }
        }
        catch (OverflowException)
        {
            error = Localized.Format("'{0}' is far too long.", value);
            return false;
        }
    }

    private static long Number(Match match, string group) =>
        match.Groups[group].Success ? long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    /// <summary>The canonical ISO-8601 text, e.g. <c>P1Y3M</c>, <c>P10D</c>, <c>PT12H</c>, <c>PT0S</c>.</summary>
    public override string ToString()
    {
        if (IsBusinessDays)
        {
            return string.Create(CultureInfo.InvariantCulture, $"P{BusinessDays}BD");
        }

        var builder = new StringBuilder("P");
        if (Months / 12 != 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{Months / 12}Y");
        }

        if (Months % 12 != 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{Months % 12}M");
        }

        if (Time.Days != 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{Time.Days}D");
        }

        if (Time.Hours != 0 || Time.Minutes != 0 || Time.Seconds != 0 || builder.Length == 1)
        {
            builder.Append('T');
            if (Time.Hours != 0)
            {
                builder.Append(CultureInfo.InvariantCulture, $"{Time.Hours}H");
            }

            if (Time.Minutes != 0)
            {
                builder.Append(CultureInfo.InvariantCulture, $"{Time.Minutes}M");
            }

            if (Time.Seconds != 0 || builder.Length == 2)
            {
                builder.Append(CultureInfo.InvariantCulture, $"{Time.Seconds}S");
            }
        }

        return builder.ToString();
    }

    /// <summary>The duration in English words whatever the reader's language, for records written once (a case's events).</summary>
    public string ToEnglishWords()
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (CultureInfo.InvariantCulture, CultureInfo.InvariantCulture);
            return ToWords();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }

    /// <summary>The duration in words in the reader's language, e.g. "3 months", "10 days", "1 year and 2 weeks".</summary>
    public string ToWords()
    {
        if (IsBusinessDays)
        {
            return Count(BusinessDays, Localized.Text("{0} business day"), Localized.Text("{0} business days (few)"), Localized.Text("{0} business days"));
        }

        var parts = new List<string>();
        void Add(long n, string unit)
        {
            if (n != 0)
            {
                parts.Add(Count(n, $"{{0}} {unit}", $"{{0}} {unit}s (few)", $"{{0}} {unit}s"));
            }
        }

        Add(Months / 12, "year");
        Add(Months % 12, "month");
        Add(Time.Days, "day");
        Add(Time.Hours, "hour");
        Add(Time.Minutes, "minute");
        Add(Time.Seconds, "second");
        return parts.Count switch
        {
            0 => Localized.Text("no time"),
            1 => parts[0],
            _ => Localized.Format("{0} and {1}", string.Join(", ", parts[..^1]), parts[^1]),
        };
    }

    /// <summary>
    /// A count with its unit in the plural form the current language needs: one, a few (Polish and Lithuanian
    /// 2–4 / 2–9) or many. The keys are English ("{0} day", "{0} days (few)", "{0} days"); a language without a
    /// separate form for a few translates that key like the many one.
    /// </summary>
    private static string Count(long n, string one, string few, string many)
    {
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var tens = n % 100;
        var units = n % 10;
        var form = language switch
        {
            "lv" => units == 1 && tens != 11 ? one : many,
            "lt" => units == 1 && tens != 11 ? one : units is >= 2 and <= 9 && tens is < 11 or > 19 ? few : many,
            "pl" => n == 1 ? one : units is >= 2 and <= 4 && tens is < 12 or > 14 ? few : many,
            _ => n == 1 ? one : many,
        };
        return Localized.Format(form, n);
    }

    // [0-9], not \d: \d also matches Arabic-Indic, Devanagari and other digits that long.Parse does not read.
    [GeneratedRegex(@"^P(?:(?<y>[0-9]+)Y)?(?:(?<mo>[0-9]+)M)?(?:(?<w>[0-9]+)W)?(?:(?<d>[0-9]+)D)?(?:T(?:(?<h>[0-9]+)H)?(?:(?<mi>[0-9]+)M)?(?:(?<s>[0-9]+)S)?)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^P(?<n>[0-9]+)BD\z", RegexOptions.CultureInvariant)]
    private static partial Regex BusinessDayPattern();
}
