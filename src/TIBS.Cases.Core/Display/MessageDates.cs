using System.Globalization;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Display;

/// <summary>
/// Dates, times and numbers written into a message for the person reading it (a refusal, a result, a mail): in the
/// reader's formats, the current culture's. A thread without one (the invariant culture of a job or a test) writes the
/// formats of its interface language instead, and English writes days as ISO dates (2026-12-03) or "12 March 2027",
/// never 12/03/2026. Records written once (administration log details) keep the invariant form and do not use this.
/// </summary>
internal static class MessageDates
{
    /// <summary>The culture dates and numbers of a message are written in.</summary>
    public static CultureInfo Culture => string.IsNullOrEmpty(CultureInfo.CurrentCulture.Name)
        ? Languages.FormatCulture(Languages.Current)
        : CultureInfo.CurrentCulture;

    /// <summary>The day in the short form: 2027-03-12 in English (ISO), 12.03.2027 in German.</summary>
    public static string Short(DateOnly day) => Languages.Current == Languages.Default
        ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : day.ToString("d", Culture);

    /// <summary>The calendar day of <paramref name="value"/> as stored (UTC) in the short form.</summary>
    public static string Short(DateTimeOffset value) => Short(DateOnly.FromDateTime(value.UtcDateTime));

    /// <summary>The day in the long form: "12 March 2027" in English, the reader's long date otherwise ("2027. gada 12. marts").</summary>
    public static string Long(DateOnly day) => Languages.Current == Languages.Default
        ? day.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)
        : day.ToString("D", Culture);

    /// <summary>A period of days in the long form: one day, or "first to last" in the current language.</summary>
    public static string Period(DateOnly from, DateOnly to) => from == to ? Long(from) : Localized.Format("{0} to {1}", Long(from), Long(to));

    /// <summary>A number with group separators ("N0"): 12 000, 12,000.</summary>
    public static string Number(long value) => value.ToString("N0", Culture);

    /// <summary>An instant as the clock of <paramref name="zone"/> shows it, in the current culture's short date and time ("g").</summary>
    public static string Time(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>An instant in the recipient's zone with the zone named: "2026-05-04 10:00 (Europe/Riga)", "… (UTC)".</summary>
    public static string TimeWithZone(DateTimeOffset at, TimeZoneInfo zone) =>
        Localized.Format("{0} ({1})", Time(at, zone), ZoneName(zone));

    /// <summary>The zone as people know it: its IANA id, "UTC" for UTC.</summary>
    public static string ZoneName(TimeZoneInfo zone) => zone == TimeZoneInfo.Utc ? "UTC" : zone.Id;
}
