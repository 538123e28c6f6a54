using System.Globalization;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>Small helpers shared by the definition pages.</summary>
internal static class DefinitionPages
{
    /// <summary>The first 12 characters of a content hash.</summary>
    public static string ShortHash(string hash) => hash.Length <= 12 ? hash : hash[..12];

    /// <summary>A problem as <c>path (line N): message</c>, "line" in the reader's language.</summary>
    public static string Describe(ValidationError error, IStringLocalizer t)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(t);
        var where = error.Path.Length == 0 ? "" : error.Path;
        if (error.Position is { } p)
        {
            where = (where.Length == 0 ? "" : where + " ") + t["(line {0})", p.Line.ToString(CultureInfo.InvariantCulture)];
        }

        return where.Length == 0 ? error.Message : $"{where}: {error.Message}";
    }

    /// <summary>Parses a route's version number (<c>v{number}</c>); null when it is not a positive whole number.</summary>
    public static int? ParseNumber(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
