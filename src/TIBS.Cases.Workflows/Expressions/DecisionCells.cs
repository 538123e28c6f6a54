using System.Globalization;
using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Workflows.Expressions;

/// <summary>The kinds of a decision table's inputs.</summary>
internal enum DecisionKind
{
    Number,
    Date,
    Text,
    Boolean,
}

/// <summary>A closed or open interval of numbers (dates are their day numbers); null bounds are unbounded.</summary>
internal readonly record struct Interval(decimal? Low, bool LowIncluded, decimal? High, bool HighIncluded)
{
    public bool Contains(decimal value) =>
        (Low is not { } low || value > low || (LowIncluded && value == low))
        && (High is not { } high || value < high || (HighIncluded && value == high));
}

/// <summary>
/// One cell of a rule: any value (<c>-</c>), a union of intervals (numbers and dates: <c>10</c>, <c>&gt;= 10</c>,
/// <c>10..250</c>, <c>1, 2, 5..9</c>) or a set of values (texts and yes/no: <c>PL, LV</c>).
/// </summary>
internal sealed record DecisionCell(bool IsAny, IReadOnlyList<Interval> Intervals, IReadOnlySet<string> Values, string Text)
{
    public bool Matches(object value) => IsAny || value switch
    {
        decimal number => Intervals.Any(i => i.Contains(number)),
        string text => Values.Contains(text),
        bool flag => Values.Contains(flag ? "yes" : "no"),
        _ => false,
    };

    public static DecisionCell? Parse(string text, DecisionKind kind, out string? problem)
    {
        problem = null;
        var trimmed = text.Trim();
        if (trimmed == "-")
        {
            return new DecisionCell(true, [], new HashSet<string>(), trimmed);
        }

        if (trimmed.Length == 0)
        {
            problem = Localized.Text("The cell is empty; write - for any value.");
            return null;
        }

        var parts = trimmed.Split(',', StringSplitOptions.TrimEntries);
        if (kind is DecisionKind.Text or DecisionKind.Boolean)
        {
            var values = new HashSet<string>(StringComparer.Ordinal);
            foreach (var part in parts)
            {
                var value = part.Length >= 2 && part[0] == '"' && part[^1] == '"' ? part[1..^1] : part;
                if (kind == DecisionKind.Boolean)
                {
                    value = value.ToLowerInvariant() switch { "yes" or "true" => "yes", "no" or "false" => "no", _ => "" };
                    if (value.Length == 0)
                    {
                        problem = Localized.Format("'{0}' is not yes or no.", part);
                        return null;
                    }
                }
                else if (value.Length == 0 || value.StartsWith('<') || value.StartsWith('>') || value.Contains("..", StringComparison.Ordinal))
                {
                    problem = Localized.Format("'{0}' is not a text value; text cells list values separated by commas (PL, LV), comparisons and ranges are for numbers and dates.", part);
                    return null;
                }

                values.Add(value);
            }

            return new DecisionCell(false, [], values, trimmed);
        }

        var intervals = new List<Interval>();
        foreach (var part in parts)
        {
            if (ParseInterval(part, kind, out var interval, out problem) is false)
            {
                return null;
            }

            intervals.Add(interval);
        }

        return new DecisionCell(false, intervals, new HashSet<string>(), trimmed);
    }

    private static bool ParseInterval(string part, DecisionKind kind, out Interval interval, out string? problem)
    {
        interval = default;
        problem = null;
        string[] operators = [">=", "<=", ">", "<", "="];
        var op = operators.FirstOrDefault(o => part.StartsWith(o, StringComparison.Ordinal));
        if (op is not null)
        {
            if (!TryValue(part[op.Length..].Trim(), kind, out var value))
            {
                problem = kind == DecisionKind.Date
                    ? Localized.Format("'{0}': after '{1}' comes a date (YYYY-MM-DD).", part, op)
                    : Localized.Format("'{0}': after '{1}' comes a number.", part, op);
                return false;
            }

            interval = op switch
            {
                ">=" => new Interval(value, true, null, false),
                ">" => new Interval(value, false, null, false),
                "<=" => new Interval(null, false, value, true),
                "<" => new Interval(null, false, value, false),
                _ => new Interval(value, true, value, true),
            };
        }
        else if (part.Split("..") is [var from, var to])
        {
            if (!TryValue(from.Trim(), kind, out var low) || !TryValue(to.Trim(), kind, out var high))
            {
                problem = kind == DecisionKind.Date
                    ? Localized.Format("'{0}' is not a range of dates; write it as {1}.", part, "2026-01-01..2026-06-30")
                    : Localized.Format("'{0}' is not a range of numbers; write it as {1}.", part, "10..250");
                return false;
            }

            if (low > high)
            {
                problem = Localized.Format("The range '{0}' is empty: its start is after its end.", part);
                return false;
            }

            interval = new Interval(low, true, high, true);
        }
        else if (TryValue(part, kind, out var value))
        {
            interval = new Interval(value, true, value, true);
        }
        else
        {
            problem = kind == DecisionKind.Date
                ? Localized.Format("'{0}' is not a date (YYYY-MM-DD), a comparison (>= 10) or a range (10..250).", part)
                : Localized.Format("'{0}' is not a number, a comparison (>= 10) or a range (10..250).", part);
            return false;
        }

        // Dates are whole days: '< d' is '<= d - 1', so that the analysis of gaps sees no room between days.
        if (kind == DecisionKind.Date)
        {
            interval = new Interval(
                interval.Low is { } l ? (interval.LowIncluded ? l : l + 1) : null, true,
                interval.High is { } h ? (interval.HighIncluded ? h : h - 1) : null, true);
        }

        return true;
    }

    private static bool TryValue(string text, DecisionKind kind, out decimal value)
    {
        value = 0;
        if (kind == DecisionKind.Date)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return false;
            }

            value = date.DayNumber;
            return true;
        }

        return text.Length <= ExpressionLimits.MaxNumberDigits + 2
               && decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    public static string Words(decimal value, DecisionKind kind) => kind == DecisionKind.Date
        ? DateOnly.FromDayNumber((int)value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : value.ToString(CultureInfo.InvariantCulture);
}
