using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Notifications;

/// <summary>
/// A sentence to be written in the reader's language: its key (the English format text, also its key in Core's
/// Messages resources) and its parameters. Rendered when it is read or e-mailed, never when it is written (decision 0048).
/// </summary>
internal sealed record TextTemplate(string Key, IReadOnlyList<TemplateArg> Args)
{
    /// <summary>The template <paramref name="key"/> (a literal English format text) filled with <paramref name="args"/>.</summary>
    public static TextTemplate Of(string key, params TemplateArg[] args) => new(key, args);

    /// <summary>The sentence in the current UI culture, times in <paramref name="zone"/>.</summary>
    public string Render(TimeZoneInfo zone) =>
        string.Format(CultureInfo.CurrentCulture, Localized.Text(Key), [.. (Args ?? []).Select(a => a.Render(zone))]);
}

/// <summary>
/// One typed parameter of a <see cref="TextTemplate"/>: stored invariantly, written in the reader's language and zone.
/// Kinds: <c>text</c> (names, references, free text: as written), <c>number</c>, <c>date</c> (a calendar day,
/// yyyy-MM-dd, written short: 2026-01-20, 20.01.2026), <c>long-date</c> (a calendar day in words: 20 January 2026),
/// <c>time</c> (a UTC instant, ISO 8601, written in the reader's zone), <c>step</c> (a workflow step's name),
/// <c>role</c> (a role's code, written as its name), <c>message</c> (a nested template) and <c>lines</c> (each on a line).
/// </summary>
internal sealed record TemplateArg
{
    public required string Kind { get; init; }

    public string? Value { get; init; }

    /// <summary>The nested sentence of a <c>message</c> parameter.</summary>
    public TextTemplate? Message { get; init; }

    public static TemplateArg Text(string? value) => new() { Kind = "text", Value = value ?? "" };

    public static TemplateArg Number(long value) => new() { Kind = "number", Value = value.ToString(CultureInfo.InvariantCulture) };

    public static TemplateArg Date(DateOnly value) => new() { Kind = "date", Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };

    /// <summary>The UTC calendar day of <paramref name="value"/>; "—" when there is none.</summary>
    public static TemplateArg Date(DateTimeOffset? value) => value is { } v ? Date(DateOnly.FromDateTime(v.UtcDateTime)) : Text("—");

    public static TemplateArg LongDate(DateOnly value) => new() { Kind = "long-date", Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };

    public static TemplateArg Time(DateTimeOffset value) => new() { Kind = "time", Value = value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) };

    public static TemplateArg Step(string name) => new() { Kind = "step", Value = name };

    public static TemplateArg Role(string role) => new() { Kind = "role", Value = role };

    public static TemplateArg Of(TextTemplate message) => new() { Kind = "message", Message = message };

    /// <summary>Several parameters, each written on a line of its own (a list under a sentence).</summary>
    public static TemplateArg Lines(IEnumerable<TemplateArg> items) => new() { Kind = "lines", Items = [.. items] };

    /// <summary>The parameters of a <c>lines</c> parameter.</summary>
    public IReadOnlyList<TemplateArg>? Items { get; init; }

    public string Render(TimeZoneInfo zone)
    {
        var culture = CultureInfo.CurrentCulture;
        return Kind switch
        {
            "number" when long.TryParse(Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n.ToString("N0", culture),
            "date" when TryDay(Value, out var day) => day.ToString("d", culture),
            "long-date" when TryDay(Value, out var day) => day.ToString(LongDatePattern(culture), culture),
            "time" when DateTimeOffset.TryParse(Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) =>
                Display.MessageDates.Time(t, zone) + (zone == TimeZoneInfo.Utc ? " UTC" : ""),
            "role" => Roles.DisplayName(Value ?? ""),
            "message" when Message is not null => Message.Render(zone),
            "lines" => string.Concat((Items ?? []).Select(i => "\n" + i.Render(zone))),

            // Step names are the definition's words; they are shown as the definition writes them.
            _ => Value ?? "",
        };
    }

    private static bool TryDay(string? value, out DateOnly day) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    /// <summary>The culture's long date without the weekday ("20 January 2026", "20. Januar 2026").</summary>
    private static string LongDatePattern(CultureInfo culture)
    {
        if (Languages.Of(culture) == Languages.Default)
        {
            return "d MMMM yyyy";
        }

        var pattern = culture.DateTimeFormat.LongDatePattern;
        var weekday = pattern.IndexOf("dddd", StringComparison.Ordinal);
        return weekday < 0 ? pattern : (pattern[..weekday] + pattern[(weekday + 4)..].TrimStart(',', ' ')).Trim();
    }
}

/// <summary>A notification's title and body as templates, and how they are stored (JSON) and rendered.</summary>
internal sealed record NotificationTemplate(TextTemplate Title, TextTemplate Body)
{
    /// <summary>The longest title kept (the column's length): longer renderings are shortened with "…".</summary>
    public const int MaxTitleLength = 300;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The stored template, or null when there is none or it cannot be read (the row is then shown as stored).</summary>
    public static NotificationTemplate? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<NotificationTemplate>(json, Json) is { Title: not null, Body: not null } t ? t : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The notification with this template and, in its title and body columns, the English rendering (UTC).</summary>
    public NotificationRecord ApplyTo(NotificationRecord notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var english = CultureScope.Of(Languages.Default);
        return notification with { Template = ToJson(), Title = Shorten(Title.Render(TimeZoneInfo.Utc)), Body = Body.Render(TimeZoneInfo.Utc) };
    }

    /// <summary>
    /// <paramref name="notification"/> as its reader sees it: title and body in the current UI culture, times in
    /// <paramref name="zone"/>; a row without a template (or with one that cannot be read) as stored.
    /// </summary>
    public static NotificationRecord Render(NotificationRecord notification, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (Parse(notification.Template) is not { } template)
        {
            return notification;
        }

        try
        {
            return notification with { Title = Shorten(template.Title.Render(zone)), Body = template.Body.Render(zone) };
        }
        catch (FormatException)
        {
            // A translation whose placeholders do not fit: the stored English is better than nothing.
            return notification;
        }
    }

    /// <summary>The notifications of one reader (the user whose they are), rendered for them.</summary>
    public static IReadOnlyList<NotificationRecord> Render(IReadOnlyList<NotificationRecord> notifications, UserAccount? reader)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        var zone = TimeZones.Resolve(reader?.TimeZone, reader?.RegionCode);
        return [.. notifications.Select(n => Render(n, zone))];
    }

    private static string Shorten(string text) => text.Length <= MaxTitleLength ? text : text[..(MaxTitleLength - 1)] + "…";
}
