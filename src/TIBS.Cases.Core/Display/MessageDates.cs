using System.Globalization;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Display;

/// <summary>
/// Dates written into a message (a refusal, a result): in the reader's date format, the current culture's. A thread
/// without one (the invariant culture of a job or a test) writes the format of its interface language instead, so
/// an English message reads 2026-12-03, never 12/03/2026.
/// </summary>
internal static class MessageDates
{
    /// <summary>The culture dates and numbers of a message are written in.</summary>
    public static CultureInfo Culture => string.IsNullOrEmpty(CultureInfo.CurrentCulture.Name)
        ? Languages.FormatCulture(Languages.Current)
        : CultureInfo.CurrentCulture;

    /// <summary>The day of <paramref name="value"/> (UTC) in the short date format ("d").</summary>
    public static string Short(DateTimeOffset value) => value.UtcDateTime.ToString("d", Culture);

    /// <summary>The day in the short date format ("d").</summary>
    public static string Short(DateOnly value) => value.ToString("d", Culture);

    /// <summary>A number with group separators ("N0"): 12 000, 12,000.</summary>
    public static string Number(long value) => value.ToString("N0", Culture);
}
