using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Web.Infrastructure.Localization;

/// <summary>
/// Dates, times and numbers as the person reading them writes them: in their language's conventions and their time
/// zone (their choice in Preferences, else their home region's, else UTC). Stored values stay UTC; every time element
/// carries the exact UTC instant in <c>datetime</c> and its title. Views have it as <c>Show</c>.
/// </summary>
internal sealed class Show(IHttpContextAccessor accessor, TimeProvider time)
{
    private TimeZoneInfo? zone;

    /// <summary>The zone times are shown in for this request's user.</summary>
    public TimeZoneInfo Zone => zone ??= Resolve(accessor.HttpContext?.User);

    /// <summary>A time as text, in the user's zone and culture ("2026-12-03 11:15" in English, "03.12.2026 11:15" in German).</summary>
    public string TimeText(DateTimeOffset value) =>
        TimeZoneInfo.ConvertTime(value, Zone).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>The present moment as text, in the user's zone and culture.</summary>
    public string NowText() => TimeText(time.GetUtcNow());

    /// <summary>A time as a <c>&lt;time&gt;</c> element: local text, the UTC instant in <c>datetime</c> and title.</summary>
    public IHtmlContent Time(DateTimeOffset? value) =>
        value is not { } v ? HtmlString.Empty : Element(v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), v.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), TimeText(v));

    /// <summary>The calendar day of an instant in the user's zone, as text in their culture.</summary>
    public string DateText(DateTimeOffset value) => TimeZoneInfo.ConvertTime(value, Zone).ToString("d", CultureInfo.CurrentCulture);

    /// <summary>A calendar day (no zone: due dates, periods) as text in the user's culture.</summary>
    public string DateText(DateOnly value) => value.ToString("d", CultureInfo.CurrentCulture);

    /// <summary>A day as a <c>&lt;time&gt;</c> element.</summary>
    public IHtmlContent Date(DateOnly? value) =>
        value is not { } v ? HtmlString.Empty : Element(v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, DateText(v));

    /// <summary>The day of an instant in the user's zone as a <c>&lt;time&gt;</c> element.</summary>
    public IHtmlContent Date(DateTimeOffset? value) =>
        value is not { } v ? HtmlString.Empty : Element(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(v, Zone).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, DateText(v));

    /// <summary>A day in words ("3 December 2026", "3. Dezember 2026").</summary>
    public string LongDateText(DateOnly value) => value.ToString("D", CultureInfo.CurrentCulture);

    /// <summary>A number in the user's culture (72,5 in Latvian).</summary>
    public string Number(decimal value, string format = "0.##") => value.ToString(format, CultureInfo.CurrentCulture);

    /// <summary>A whole number with the culture's grouping (12 345).</summary>
    public string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    private static HtmlString Element(string machine, string? title, string text)
    {
        var encoder = HtmlEncoder.Default;
        var titleAttribute = title is null ? "" : $" title=\"{encoder.Encode(title)}\"";
        return new HtmlString($"<time datetime=\"{encoder.Encode(machine)}\"{titleAttribute}>{encoder.Encode(text)}</time>");
    }

    private static TimeZoneInfo Resolve(ClaimsPrincipal? user) =>
        TimeZones.Resolve(user?.FindFirstValue(LocalizationSetup.TimeZoneClaim), user?.FindFirstValue(SignInService.RegionClaim));
}
