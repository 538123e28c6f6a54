using System.Collections;
using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Workflows.Expressions;

/// <summary>
/// Turns the values given to an evaluation (keyed by dotted names) into what CEL reads: nested maps of yes/no,
/// numbers (doubles), texts, dates (UTC timestamps at midnight) and lists of those. Nothing else crosses over, so an
/// expression can never select a property of a .NET object. A null value is left out ("not filled in").
/// </summary>
internal static class ExpressionValues
{
    public static DateTimeOffset ToTimestamp(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static Dictionary<string, object?>? ToCel(
        IReadOnlyDictionary<string, object?> values, IReadOnlyList<string> paths, out string? problem)
    {
        problem = null;
        var root = new Dictionary<string, object?>(StringComparer.Ordinal);

        foreach (var (key, raw) in values ?? new Dictionary<string, object?>())
        {
            if (raw is null)
            {
                continue;
            }

            var value = Convert(raw);
            if (value is null)
            {
                problem = Localized.Format("The value of {0} is of a kind expressions cannot use.", key);
                return null;
            }

            var parts = key.Replace('-', '_').Split('.');
            var map = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (!map.TryGetValue(parts[i], out var next) || next is not Dictionary<string, object?> child)
                {
                    child = new Dictionary<string, object?>(StringComparer.Ordinal);
                    map[parts[i]] = child;
                }

                map = child;
            }

            if (map.TryGetValue(parts[^1], out var existing) && existing is Dictionary<string, object?>)
            {
                continue;
            }

            map[parts[^1]] = value;
        }

        // Every group an expression reads exists, so that a missing value reads as "not filled in", not as a missing group.
        foreach (var path in paths)
        {
            var map = root;
            var parts = path.Split('.');
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (!map.TryGetValue(parts[i], out var next))
                {
                    next = new Dictionary<string, object?>(StringComparer.Ordinal);
                    map[parts[i]] = next;
                }

                if (next is not Dictionary<string, object?> child)
                {
                    problem = Localized.Format("{0} is a single value; it has no part '{1}'.", string.Join('.', parts[..(i + 1)]), parts[i + 1]);
                    return null;
                }

                map = child;
            }
        }

        return root;
    }

    private static object? Convert(object value) => value switch
    {
        bool or string => value,
        decimal d => (double)d,
        double d => d,
        float f => (double)f,
        int i => (double)i,
        long l => (double)l,
        short s => (double)s,
        DateOnly date => ToTimestamp(date),
        DateTimeOffset t => t.ToUniversalTime(),
        DateTime t => new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime()),
        IEnumerable list => ConvertList(list),
        _ => null,
    };

    private static List<object?>? ConvertList(IEnumerable list)
    {
        var items = new List<object?>();
        foreach (var item in list)
        {
            if (items.Count >= ExpressionLimits.MaxListValueItems || item is null or IEnumerable and not string)
            {
                return null;
            }

            var converted = Convert(item);
            if (converted is null)
            {
                return null;
            }

            items.Add(converted);
        }

        return items;
    }
}
