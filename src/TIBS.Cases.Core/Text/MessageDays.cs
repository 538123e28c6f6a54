using System.Globalization;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Text;

/// <summary>
/// Days written into a message for the person reading it: "12 March 2027" in English, the long date of the reader's
/// language otherwise ("2027. gada 12. marts"). Records written once (administration log details) keep the invariant form.
/// </summary>
internal static class MessageDays
{
    /// <summary>The day in the current language's long form.</summary>
    public static string Day(DateOnly day) => Languages.Current == Languages.Default
        ? day.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)
        : day.ToString("D", CultureInfo.CurrentCulture);

    /// <summary>The day in the current language's short form: 2027-03-12 in English (ISO), 12.03.2027 in German.</summary>
    public static string ShortDay(DateOnly day) => Languages.Current == Languages.Default
        ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : day.ToString("d", CultureInfo.CurrentCulture);

    /// <summary>The calendar day of <paramref name="at"/> as stored (UTC) in the current language's short form.</summary>
    public static string ShortDay(DateTimeOffset at) => ShortDay(DateOnly.FromDateTime(at.UtcDateTime));

    /// <summary>A period of days: one day, or "first to last" in the current language.</summary>
    public static string Period(DateOnly from, DateOnly to) => from == to ? Day(from) : Localized.Format("{0} to {1}", Day(from), Day(to));
}
