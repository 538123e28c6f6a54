using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Workflows.Expressions;

/// <summary>
/// The expression a coordinator builds in a form from a value to read (a field of the form or a fact of the case), an
/// operator and a value: <c>form.amount &gt;= 10000</c>, <c>form.country == "LV"</c>, <c>"LV" in partners.countries</c>,
/// <c>form.signed &lt;= date("2026-12-31")</c>. The value is written as the kind of what is read needs (a number, yes/no,
/// a date, a text in quotes), so the form never asks for expression syntax; <see cref="Parse"/> reads such a simple
/// expression back into the form.
/// </summary>
public static partial class ExpressionBuilder
{
    /// <summary>The operators of the form, each with its words in the current UI culture.</summary>
    public static IReadOnlyList<(string Operator, string Words)> Operators =>
    [
        ("==", Localized.Text("is")),
        ("!=", Localized.Text("is not")),
        (">=", Localized.Text("is at least")),
        (">", Localized.Text("is more than")),
        ("<=", Localized.Text("is at most")),
        ("<", Localized.Text("is less than")),
        ("contains", Localized.Text("contains")),
    ];

    /// <summary>The expression, or what is wrong with the value in words (the expression is then null).</summary>
    public static (string? Expression, string? Problem) Compose(string variable, string op, string? value, ExpressionValueKind kind)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (Operators.All(o => o.Operator != op))
        {
            return (null, Localized.Format("Choose how {0} is compared (one of: {1}).", variable, string.Join(", ", Operators.Select(o => o.Words))));
        }

        var trimmed = value?.Trim() ?? "";
        if (op == "contains")
        {
            return kind == ExpressionValueKind.TextList
                ? (trimmed.Length == 0 ? (null, Localized.Text("Enter the value the list must contain.")) : ($"{Quote(trimmed)} in {variable}", null))
                : (null, Localized.Format("{0} is not a list; “contains” only applies to lists (multiple choices, countries).", variable));
        }

        if (kind == ExpressionValueKind.TextList)
        {
            return (null, Localized.Format("{0} is a list; use “contains”.", variable));
        }

        if (op is not ("==" or "!=") && kind is ExpressionValueKind.Text or ExpressionValueKind.Boolean)
        {
            return (null, kind == ExpressionValueKind.Text
                ? Localized.Format("{0} is a text; compare it with “is” or “is not”.", variable)
                : Localized.Format("{0} is yes or no; compare it with “is” or “is not”.", variable));
        }

        string? literal = kind switch
        {
            ExpressionValueKind.Number => decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)
                ? n.ToString(CultureInfo.InvariantCulture) : null,
            ExpressionValueKind.Boolean => trimmed.ToLowerInvariant() switch
            {
                "yes" or "true" => "true",
                "no" or "false" => "false",
                _ => null,
            },
            ExpressionValueKind.Date or ExpressionValueKind.Timestamp => DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? $"date({Quote(trimmed)})" : null,
            _ => Quote(trimmed),
        };
        return literal is null
            ? (null, kind switch
            {
                ExpressionValueKind.Number => Localized.Format("Enter a number for {0} (for example 10000 or 2.5), not “{1}”.", variable, trimmed),
                ExpressionValueKind.Boolean => Localized.Format("{0} is yes or no: enter yes or no, not “{1}”.", variable, trimmed),
                _ => Localized.Format("Enter a date for {0} as YYYY-MM-DD (for example 2026-12-31), not “{1}”.", variable, trimmed),
            })
            : ($"{variable} {op} {literal}", null);
    }

    /// <summary>A simple expression as the form's parts (what is read, operator, value), or null when it is not one.</summary>
    public static (string Variable, string Operator, string Value)? Parse(string? expression)
    {
        if (expression is null)
        {
            return null;
        }

        var contains = ContainsPattern().Match(expression.Trim());
        if (contains.Success)
        {
            return (contains.Groups["name"].Value, "contains", Unquote(contains.Groups["text"].Value));
        }

        var compare = ComparePattern().Match(expression.Trim());
        if (!compare.Success)
        {
            return null;
        }

        var literal = compare.Groups["value"].Value;
        var value = literal switch
        {
            "true" => "yes",
            "false" => "no",
            _ when DatePattern().Match(literal) is { Success: true } d => d.Groups["date"].Value,
            _ when literal.StartsWith('"') => Unquote(literal[1..^1]),
            _ => literal,
        };
        return (compare.Groups["name"].Value, compare.Groups["op"].Value, value);
    }

    private static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    private static string Unquote(string text) => text.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex(@"^(?<name>[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+) (?<op>==|!=|>=|<=|>|<) (?<value>-?\d+(\.\d+)?|true|false|""(\\.|[^""\\])*""|date\(""\d{4}-\d{2}-\d{2}""\))$", RegexOptions.CultureInvariant)]
    private static partial Regex ComparePattern();

    [GeneratedRegex(@"^""(?<text>(\\.|[^""\\])*)"" in (?<name>[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainsPattern();

    [GeneratedRegex(@"^date\(""(?<date>\d{4}-\d{2}-\d{2})""\)$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();
}
