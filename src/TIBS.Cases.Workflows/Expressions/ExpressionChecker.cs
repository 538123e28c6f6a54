// Longer than 400 lines because it is one walk over the parse tree of CEL with one method per rule of its grammar (expressions, relations, arithmetic, members, literals, calls); the kind rules of the operators read best side by side.
using System.Globalization;
using Antlr4.Runtime;
using TIBS.Cases.Workflows.Definitions;
using P = Cel.Internal.CelParser;

namespace TIBS.Cases.Workflows.Expressions;

/// <summary>The kinds the checker tracks: the public kinds plus lists, null, groups of values and "not known".</summary>
internal enum CheckedKind
{
    Any,
    Boolean,
    Number,
    Text,
    Date,
    Timestamp,
    TextList,
    NumberList,
    DateList,
    BooleanList,
    Null,
    Group,
}

internal readonly record struct Typed(CheckedKind Kind, string? Path = null);

/// <summary>
/// A change to the text before CEL compiles it: at <see cref="Index"/>, remove <see cref="Remove"/> characters and
/// insert <see cref="Text"/>. Edits at one index apply in descending <see cref="Order"/>.
/// </summary>
internal readonly record struct TextEdit(int Index, int Order, string Text, int Remove = 0);

/// <summary>
/// The type checker of workflow expressions, written over the parse tree of the CEL library (which has none): it
/// resolves variables against the scope (with "did you mean"), refuses what the sandbox does not allow (methods,
/// indexing, maps, messages, bytes, unknown functions) and literals beyond <see cref="ExpressionLimits"/>, and checks
/// that operators get values of fitting kinds. Without a scope (at evaluation) variables are of any kind, so only the
/// structure is checked. It also notes where integer literals are, so that evaluation can treat every number alike.
/// </summary>
internal sealed class ExpressionChecker
{
    public static readonly IReadOnlyList<string> Functions = ["count", "days_between", "date", "has"];

    private readonly Dictionary<string, CheckedKind>? variables;
    private readonly HashSet<string> groups = new(StringComparer.Ordinal);
    private readonly List<ExpressionProblem> problems = [];

    public ExpressionChecker(ExpressionScope? scope)
    {
        if (scope is null)
        {
            return;
        }

        variables = new Dictionary<string, CheckedKind>(StringComparer.Ordinal);
        foreach (var (name, kind) in scope.Variables)
        {
            var normalized = name.Replace('-', '_');
            variables[normalized] = From(kind);
            for (var dot = normalized.IndexOf('.', StringComparison.Ordinal); dot > 0; dot = normalized.IndexOf('.', dot + 1))
            {
                groups.Add(normalized[..dot]);
            }
        }
    }

    public IReadOnlyList<ExpressionProblem> Problems => problems;

    /// <summary>
    /// How evaluation rewrites the text: integer literals as decimals (3 -> 3.0: CEL's int64 and double do not mix, and
    /// every number of a workflow is the same kind) and divisions as div(a, b), which refuses a division by zero.
    /// </summary>
    public List<TextEdit> Edits { get; } = [];

    /// <summary>Every dotted path the expression reads.</summary>
    public HashSet<string> Paths { get; } = new(StringComparer.Ordinal);

    public Typed Check(P.StartContext start) => Expr(start.e);

    internal static CheckedKind From(ExpressionValueKind kind) => kind switch
    {
        ExpressionValueKind.Boolean => CheckedKind.Boolean,
        ExpressionValueKind.Number => CheckedKind.Number,
        ExpressionValueKind.Text => CheckedKind.Text,
        ExpressionValueKind.Date => CheckedKind.Date,
        ExpressionValueKind.Timestamp => CheckedKind.Timestamp,
        _ => CheckedKind.TextList,
    };

    internal static string Words(CheckedKind kind) => kind switch
    {
        CheckedKind.Boolean => "a yes/no value",
        CheckedKind.Number => "a number",
        CheckedKind.Text => "a text",
        CheckedKind.Date => "a date",
        CheckedKind.Timestamp => "a date and time",
        CheckedKind.TextList => "a list of texts",
        CheckedKind.NumberList => "a list of numbers",
        CheckedKind.DateList => "a list of dates",
        CheckedKind.BooleanList => "a list of yes/no values",
        CheckedKind.Null => "null (nothing)",
        CheckedKind.Group => "a group of values",
        _ => "a value",
    };

    private static string Describe(Typed t) => t.Path is null ? Words(t.Kind) : $"{t.Path} ({Words(t.Kind)})";

    private static int Column(ParserRuleContext context) => context.Start.Column + 1;

    private static int Column(IToken token) => token.Column + 1;

    private void Problem(string message, int column) => problems.Add(new ExpressionProblem(message, column));

    private Typed Expr(P.ExprContext e)
    {
        var condition = Or(e.e);
        if (e.op is null)
        {
            return condition;
        }

        Require(condition, CheckedKind.Boolean, "The condition before '?'", Column(e.e));
        var whenTrue = Or(e.e1);
        var whenFalse = Expr(e.e2);
        if (!Fits(whenTrue.Kind, whenFalse.Kind))
        {
            Problem($"Both answers of '? :' must be of the same kind, but one is {Describe(whenTrue)} and the other {Describe(whenFalse)}.", Column(e.e1));
        }

        return whenTrue.Kind == CheckedKind.Null ? whenFalse with { Path = null } : whenTrue with { Path = null };
    }

    private Typed Or(P.ConditionalOrContext c) => Logical(c.conditionalAnd().Select(And).ToList(), c.conditionalAnd().Select(Column).ToList(), "||");

    private Typed And(P.ConditionalAndContext c) => Logical(c.relation().Select(Relation).ToList(), c.relation().Select(Column).ToList(), "&&");

    private Typed Logical(List<Typed> parts, List<int> columns, string op)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        for (var i = 0; i < parts.Count; i++)
        {
            Require(parts[i], CheckedKind.Boolean, $"Each side of '{op}'", columns[i]);
        }

        return new Typed(CheckedKind.Boolean);
    }

    private Typed Relation(P.RelationContext r)
    {
        if (r.calc() is { } calc)
        {
            return Calc(calc);
        }

        var left = Relation(r.relation(0));
        var right = Relation(r.relation(1));
        var op = r.op.Text;
        var column = Column(r.op);
        switch (op)
        {
            case "==" or "!=":
                if (!Fits(left.Kind, right.Kind))
                {
                    Problem($"Cannot compare {Describe(left)} with {Describe(right)}.", column);
                }

                break;
            case "in":
                var item = right.Kind switch
                {
                    CheckedKind.TextList => CheckedKind.Text,
                    CheckedKind.NumberList => CheckedKind.Number,
                    CheckedKind.DateList => CheckedKind.Date,
                    CheckedKind.BooleanList => CheckedKind.Boolean,
                    CheckedKind.Any => CheckedKind.Any,
                    _ => (CheckedKind?)null,
                };
                if (item is null)
                {
                    Problem($"'in' needs a list on its right (such as [\"PL\", \"LV\"] or partners.countries), but it has {Describe(right)}.", column);
                }
                else if (!Fits(left.Kind, item.Value) || left.Kind == CheckedKind.Null)
                {
                    Problem($"'in' looks for {Describe(left)} in {Describe(right)}; their kinds do not match.", column);
                }

                break;
            default:
                if (!(Ordered(left.Kind) && Ordered(right.Kind) && Fits(left.Kind, right.Kind)))
                {
                    Problem($"'{op}' compares two numbers, two dates or two texts, but here it has {Describe(left)} and {Describe(right)}.", column);
                }

                break;
        }

        return new Typed(CheckedKind.Boolean);
    }

    private Typed Calc(P.CalcContext c)
    {
        if (c.unary() is { } unary)
        {
            return Unary(unary);
        }

        var left = Calc(c.calc(0));
        var right = Calc(c.calc(1));
        var op = c.op.Text;
        var column = Column(c.op);
        if (op == "%")
        {
            Problem("The remainder operator '%' is not available; use whole numbers and comparisons instead.", column);
            return new Typed(CheckedKind.Number);
        }

        if (op == "+" && (left.Kind == CheckedKind.Text || right.Kind == CheckedKind.Text))
        {
            if (!Fits(left.Kind, CheckedKind.Text) || !Fits(right.Kind, CheckedKind.Text))
            {
                Problem($"'+' joins two texts or adds two numbers, but here it has {Describe(left)} and {Describe(right)}.", column);
            }

            return new Typed(CheckedKind.Text);
        }

        if (IsDate(left.Kind) || IsDate(right.Kind))
        {
            Problem($"Dates cannot be used with '{op}'; for the days between two dates write days_between(earlier, later).", column);
            return new Typed(CheckedKind.Number);
        }

        if (op == "/")
        {
            Edits.Add(new TextEdit(c.calc(0).Start.StartIndex, 0, "div("));
            Edits.Add(new TextEdit(c.op.StartIndex, 3, ",", 1));
            Edits.Add(new TextEdit(c.calc(1).Stop.StopIndex + 1, 2, ")"));
        }

        Require(left, CheckedKind.Number, $"The left side of '{op}'", Column(c.calc(0)));
        Require(right, CheckedKind.Number, $"The right side of '{op}'", Column(c.calc(1)));
        return new Typed(CheckedKind.Number);
    }

    private Typed Unary(P.UnaryContext u)
    {
        switch (u)
        {
            case P.LogicalNotContext not:
                Require(Member(not.member()), CheckedKind.Boolean, "What follows '!'", Column(not.member()));
                return new Typed(CheckedKind.Boolean);
            case P.NegateContext negate:
                Require(Member(negate.member()), CheckedKind.Number, "What follows '-'", Column(negate.member()));
                return new Typed(CheckedKind.Number);
            case P.MemberExprContext member:
                return Member(member.member());
            default:
                Problem("This part of the expression is not understood.", Column(u));
                return new Typed(CheckedKind.Any);
        }
    }

    private Typed Member(P.MemberContext m)
    {
        switch (m)
        {
            case P.PrimaryExprContext primary:
                return Primary(primary.primary());
            case P.SelectContext select:
                var owner = Member(select.member());
                if (select.opt is not null)
                {
                    Problem("Optional selection '.?' is not available.", Column(select.op));
                    return new Typed(CheckedKind.Any);
                }

                if (owner.Path is null || owner.Kind is not (CheckedKind.Group or CheckedKind.Any))
                {
                    Problem($"{Describe(owner)} has no parts; '.{select.id.Text}' cannot be read from it.", Column(select.id));
                    return new Typed(CheckedKind.Any);
                }

                return Resolve($"{owner.Path}.{select.id.Text}", Column(select.member()));
            case P.MemberCallContext call:
                Problem($"Methods such as '.{call.id.Text}(...)' are not available; use the functions {string.Join(", ", Functions)}.", Column(call.id));
                return new Typed(CheckedKind.Any);
            default:
                Problem("Indexing with [...] is not available; name the value by its path, such as form.amount.", Column(m));
                return new Typed(CheckedKind.Any);
        }
    }

    private Typed Primary(P.PrimaryContext p)
    {
        switch (p)
        {
            case P.IdentOrGlobalCallContext ident when ident.leadingDot is not null:
                Problem("A name cannot start with '.'.", Column(ident));
                return new Typed(CheckedKind.Any);
            case P.IdentOrGlobalCallContext ident when ident.op is not null:
                return Call(ident);
            case P.IdentOrGlobalCallContext ident:
                return Resolve(ident.id.Text, Column(ident));
            case P.NestedContext nested:
                return Expr(nested.e);
            case P.CreateListContext list:
                return List(list);
            case P.ConstantLiteralContext constant:
                return Literal(constant.literal());
            default:
                Problem("Maps and messages ({...}) are not available in expressions.", Column(p));
                return new Typed(CheckedKind.Any);
        }
    }

    private Typed List(P.CreateListContext list)
    {
        var items = list.elems?._elems ?? [];
        if (items.Count > ExpressionLimits.MaxListItems)
        {
            Problem($"The list has {items.Count} items; at most {ExpressionLimits.MaxListItems} are allowed.", Column(list));
        }

        var kind = CheckedKind.Any;
        foreach (var item in items)
        {
            var typed = Expr(item.e);
            if (kind == CheckedKind.Any)
            {
                kind = typed.Kind;
            }
            else if (!Fits(kind, typed.Kind))
            {
                Problem($"All items of a list must be of one kind, but {Describe(typed)} follows {Words(kind)}.", Column(item));
            }
        }

        return new Typed(kind switch
        {
            CheckedKind.Text => CheckedKind.TextList,
            CheckedKind.Number => CheckedKind.NumberList,
            CheckedKind.Date or CheckedKind.Timestamp => CheckedKind.DateList,
            CheckedKind.Boolean => CheckedKind.BooleanList,
            CheckedKind.Any => CheckedKind.Any,
            _ => Invalid(CheckedKind.Any, "A list holds texts, numbers, dates or yes/no values.", Column(list)),
        });
    }

    private CheckedKind Invalid(CheckedKind kind, string message, int column)
    {
        Problem(message, column);
        return kind;
    }

    private Typed Literal(P.LiteralContext literal)
    {
        switch (literal)
        {
            case P.IntContext integer:
                if (integer.tok.Text.TrimStart('-').Length > ExpressionLimits.MaxNumberDigits || integer.tok.Text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                {
                    Problem($"The number {Shorten(integer.tok.Text)} is too large; numbers have at most {ExpressionLimits.MaxNumberDigits} digits.", Column(integer));
                }

                Edits.Add(new TextEdit(integer.tok.StopIndex + 1, 1, ".0"));
                return new Typed(CheckedKind.Number);
            case P.DoubleContext number:
                var digits = number.tok.Text.Count(char.IsAsciiDigit);
                if (digits > ExpressionLimits.MaxNumberDigits || number.tok.Text.Contains('e', StringComparison.OrdinalIgnoreCase))
                {
                    Problem($"The number {Shorten(number.tok.Text)} is too large or too precise; write it in plain digits (at most {ExpressionLimits.MaxNumberDigits}).", Column(number));
                }

                return new Typed(CheckedKind.Number);
            case P.StringContext text:
                if (text.tok.Text.Length - 2 > ExpressionLimits.MaxTextLength)
                {
                    Problem($"The text is {text.tok.Text.Length - 2} characters long; texts in expressions have at most {ExpressionLimits.MaxTextLength}.", Column(text));
                }

                if (text.tok.Text.Length > 0 && (text.tok.Text[0] is 'r' or 'R' || text.tok.Text.StartsWith("'''", StringComparison.Ordinal) || text.tok.Text.StartsWith("\"\"\"", StringComparison.Ordinal)))
                {
                    Problem("Write texts in plain quotes, such as \"PL\".", Column(text));
                }

                return new Typed(CheckedKind.Text);
            case P.BoolTrueContext or P.BoolFalseContext:
                return new Typed(CheckedKind.Boolean);
            case P.NullContext:
                return new Typed(CheckedKind.Null);
            default:
                Problem("Only numbers, texts in quotes, true, false and null can be written as values (no bytes or unsigned numbers).", Column(literal));
                return new Typed(CheckedKind.Any);
        }
    }

    private static string Shorten(string text) => text.Length > 20 ? text[..20] + "…" : text;

    private Typed Call(P.IdentOrGlobalCallContext call)
    {
        var name = call.id.Text;
        var args = call.args?._e ?? [];
        var column = Column(call);
        switch (name)
        {
            case "has":
                if (args.Count != 1 || Unwrap(args[0]) is not P.SelectContext)
                {
                    Problem("has(...) takes one value by its path, such as has(form.amount).", column);
                    return new Typed(CheckedKind.Boolean);
                }

                var target = Expr(args[0]);
                if (target.Kind == CheckedKind.Group)
                {
                    Problem($"has(...) asks whether a value is filled in, but {target.Path} is a group of values.", column);
                }

                return new Typed(CheckedKind.Boolean);
            case "count":
                if (Arity(name, args, 1, "count(partners.countries)", column))
                {
                    var list = Expr(args[0]);
                    if (list.Kind is not (CheckedKind.TextList or CheckedKind.NumberList or CheckedKind.DateList or CheckedKind.BooleanList or CheckedKind.Any))
                    {
                        Problem($"count(...) counts the items of a list, but it was given {Describe(list)}.", Column(args[0]));
                    }
                }

                return new Typed(CheckedKind.Number);
            case "days_between":
                if (Arity(name, args, 2, "days_between(case.opened, today)", column))
                {
                    foreach (var arg in args)
                    {
                        var date = Expr(arg);
                        if (!IsDate(date.Kind) && date.Kind != CheckedKind.Any)
                        {
                            Problem($"days_between(...) takes two dates, but it was given {Describe(date)}.", Column(arg));
                        }
                    }
                }

                return new Typed(CheckedKind.Number);
            case "date":
                if (Arity(name, args, 1, "date(\"2026-06-24\")", column))
                {
                    var text = Expr(args[0]);
                    Require(text, CheckedKind.Text, "date(...) takes a text such as \"2026-06-24\"; its argument", Column(args[0]));
                    if (Unwrap(args[0]) is P.PrimaryExprContext primary && primary.primary() is P.ConstantLiteralContext constant
                        && constant.literal() is P.StringContext s
                        && !DateOnly.TryParseExact(s.tok.Text.Trim('"', '\''), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    {
                        Problem($"{s.tok.Text} is not a date; write it as \"YYYY-MM-DD\", such as \"2026-06-24\".", Column(args[0]));
                    }
                }

                return new Typed(CheckedKind.Date);
            default:
                var hint = Suggest.Closest(name, Functions);
                Problem($"'{name}' is not a known function{(hint is null ? "" : $" (did you mean '{hint}'?)")}; the functions are {string.Join(", ", Functions)}.", column);
                return new Typed(CheckedKind.Any);
        }
    }

    private bool Arity(string name, IList<P.ExprContext> args, int count, string example, int column)
    {
        if (args.Count == count)
        {
            return true;
        }

        Problem($"{name}(...) takes {(count == 1 ? "one value" : $"{count} values")}, such as {example}.", column);
        return false;
    }

    private static P.MemberContext? Unwrap(P.ExprContext e) =>
        e.op is null && e.e.conditionalAnd().Length == 1 && e.e.conditionalAnd(0).relation().Length == 1
        && e.e.conditionalAnd(0).relation(0).calc() is { } calc && calc.unary() is P.MemberExprContext member
            ? member.member()
            : null;

    private Typed Resolve(string path, int column)
    {
        Paths.Add(path);
        if (variables is null)
        {
            return new Typed(CheckedKind.Any, path);
        }

        if (variables.TryGetValue(path, out var kind))
        {
            return new Typed(kind, path);
        }

        if (groups.Contains(path))
        {
            return new Typed(CheckedKind.Group, path);
        }

        var hint = Suggest.Closest(path, variables.Keys.Concat(groups));
        var sameGroup = path.Contains('.', StringComparison.Ordinal)
            ? variables.Keys.Where(v => v.StartsWith(path[..(path.LastIndexOf('.') + 1)], StringComparison.Ordinal)).Take(8).ToList()
            : [];
        Problem($"'{path}' is not known here" +
                (hint is not null ? $" (did you mean '{hint}'?)" : "") +
                (sameGroup.Count > 0 ? $"; known: {string.Join(", ", sameGroup)}." : $"; names start with {string.Join(", ", groups.Where(g => !g.Contains('.', StringComparison.Ordinal)).Concat(variables.Keys.Where(v => !v.Contains('.', StringComparison.Ordinal))).Order(StringComparer.Ordinal))}."),
            column);
        return new Typed(CheckedKind.Any, path);
    }

    private void Require(Typed actual, CheckedKind expected, string what, int column)
    {
        if (!Fits(actual.Kind, expected) || actual.Kind is CheckedKind.Null or CheckedKind.Group)
        {
            Problem($"{what} must be {Words(expected)}, but it is {Describe(actual)}.", column);
        }
    }

    private static bool IsDate(CheckedKind kind) => kind is CheckedKind.Date or CheckedKind.Timestamp;

    private static bool Ordered(CheckedKind kind) => kind is CheckedKind.Number or CheckedKind.Text or CheckedKind.Date or CheckedKind.Timestamp or CheckedKind.Any;

    internal static bool Fits(CheckedKind a, CheckedKind b) =>
        a == b || a == CheckedKind.Any || b == CheckedKind.Any || (IsDate(a) && IsDate(b))
        || (a == CheckedKind.Null && b != CheckedKind.Group) || (b == CheckedKind.Null && a != CheckedKind.Group);
}
