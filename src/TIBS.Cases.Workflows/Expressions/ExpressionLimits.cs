using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Workflows.Expressions;

/// <summary>
/// The bounds every expression must keep, checked on the raw text before the parser sees it (a deeply nested text
/// would exhaust the parser's stack) and again on the parsed expression (literal sizes). Together with the absence of
/// loops and user functions they bound the time an evaluation can take.
/// </summary>
public static class ExpressionLimits
{
    /// <summary>The longest expression accepted, in characters.</summary>
    public const int MaxLength = 1000;

    /// <summary>The deepest nesting of brackets and prefix operators (<c>(</c>, <c>[</c>, <c>!</c>, <c>-</c>).</summary>
    public const int MaxDepth = 24;

    /// <summary>The longest number literal, in digits.</summary>
    public const int MaxNumberDigits = 15;

    /// <summary>The longest text literal, in characters.</summary>
    public const int MaxTextLength = 200;

    /// <summary>The most items a list literal may hold.</summary>
    public const int MaxListItems = 50;

    /// <summary>The most items a list value given to an evaluation may hold.</summary>
    public const int MaxListValueItems = 10_000;

    /// <summary>Checks length and nesting on the raw text; null when within bounds, else the problem.</summary>
    internal static ExpressionProblem? CheckText(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new ExpressionProblem(Localized.Text("The expression is empty; write a condition such as form.eligible == true."), 1);
        }

        if (text.Length > MaxLength)
        {
            return new ExpressionProblem(
                Localized.Format("The expression is {0} characters long; at most {1} are allowed. Split it into simpler conditions or a decision table.", text.Length, MaxLength),
                MaxLength + 1);
        }

        var depth = 0;
        var prefixRun = 0;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    prefixRun = 0;
                    break;
                case '(' or '[' or '{':
                    depth++;
                    if (depth + prefixRun > MaxDepth)
                    {
                        return TooDeep(i);
                    }

                    break;
                case ')' or ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    prefixRun = 0;
                    break;
                case '!' when i + 1 < text.Length && text[i + 1] == '=':
                    i++;
                    prefixRun = 0;
                    break;
                case '!' or '-':
                    prefixRun++;
                    if (depth + prefixRun > MaxDepth)
                    {
                        return TooDeep(i);
                    }

                    break;
                case ' ' or '\t' or '\r' or '\n':
                    break;
                default:
                    prefixRun = 0;
                    break;
            }
        }

        return null;
    }

    private static ExpressionProblem TooDeep(int index) =>
        new(Localized.Format("The expression is nested more than {0} levels deep (brackets and negations); simplify it.", MaxDepth), index + 1);
}
