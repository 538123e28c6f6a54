using System.Globalization;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// The keyset cursor of the case list as pages and the API pass it: the last row's opening time (UTC ticks) and id,
/// <c>638700000000000000_0193…</c>. The list is newest first; the next page starts after that row.
/// </summary>
public static class CaseListCursor
{
    public static string Format(CaseListItem last)
    {
        ArgumentNullException.ThrowIfNull(last);
        return string.Create(CultureInfo.InvariantCulture, $"{last.OpenedAt.UtcTicks}_{last.Id:N}");
    }

    /// <summary>The row a cursor names, or null when it is not a cursor of the list.</summary>
    public static (DateTimeOffset OpenedAt, Guid Id)? Parse(string? cursor)
    {
        var parts = cursor?.Split('_');
        return parts is { Length: 2 } && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && Guid.TryParse(parts[1], out var id)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? (new DateTimeOffset(ticks, TimeSpan.Zero), id)
            : null;
    }
}
