using System.Globalization;
using System.Text.RegularExpressions;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>Small helpers shared by the definition pages.</summary>
public static partial class DefinitionPages
{
    [GeneratedRegex(@"^version:[^\r\n]*", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex VersionLine();

    /// <summary>The first 12 characters of a content hash.</summary>
    public static string ShortHash(string hash) => hash.Length <= 12 ? hash : hash[..12];

    /// <summary>A problem as <c>path (line N): message</c>.</summary>
    public static string Describe(ValidationError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var where = error.Path.Length == 0 ? "" : error.Path;
        if (error.Position is { } p)
        {
            where = (where.Length == 0 ? "" : where + " ") + $"(line {p.Line.ToString(CultureInfo.InvariantCulture)})";
        }

        return where.Length == 0 ? error.Message : $"{where}: {error.Message}";
    }

    /// <summary>The YAML with its top-level <c>version:</c> set to <paramref name="number"/>.</summary>
    public static string WithVersion(string yaml, int number)
    {
        var line = "version: " + number.ToString(CultureInfo.InvariantCulture);
        return VersionLine().IsMatch(yaml) ? VersionLine().Replace(yaml, line, 1) : line + "\n" + yaml;
    }

    /// <summary>Parses a route's version number (<c>v{number}</c>); null when it is not a positive whole number.</summary>
    public static int? ParseNumber(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    public static string When(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "";
}
