// Longer than 400 lines because it is one walk over the parse tree of CEL with one method per rule of its grammar (expressions, relations, arithmetic, members, literals, calls); the kind rules of the operators read best side by side.
using System.Globalization;
using Antlr4.Runtime;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;
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
    public static readonly IReadOnlyList<string> Functions = ["count", "days_between", "date", "add", "has"];

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
        CheckedKind.Boolean => Localized.Text("a yes/no value"),
        CheckedKind.Number => Localized.Text("a number"),
        CheckedKind.Text => Localized.Text("a text"),
        CheckedKind.Date => Localized.Text("a date"),
        CheckedKind.Timestamp => Localized.Text("a date and time"),
        CheckedKind.TextList => Localized.Text("a list of texts"),
        CheckedKind.NumberList => Localized.Text("a list of numbers"),
        CheckedKind.DateList => Localized.Text("a list of dates"),
        CheckedKind.BooleanList => Localized.Text("a list of yes/no values"),
        CheckedKind.Null => Localized.Text("null (nothing)"),
        CheckedKind.Group => Localized.Text("a group of values"),
        _ => Localized.Text("a value"),
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

        Require(condition, CheckedKind.Boolean, (kind, actual) => Localized.Format("The condition before '?' must be {0}, but it is {1}.", kind, actual), Column(e.e));
        var whenTrue = Or(e.e1);
        var whenFalse = Expr(e.e2);
        if (!Fits(whenTrue.Kind, whenFalse.Kind))
        {
            Problem(Localized.Format("Both answers of '? :' must be of the same kind, but one is {0} and the other {1}.", Describe(whenTrue), Describe(whenFalse)), Column(e.e1));
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
            Require(parts[i], CheckedKind.Boolean, (kind, actual) => Localized.Format("Each side of '{0}' must be {1}, but it is {2}.", op, kind, actual), columns[i]);
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
                    Problem(Localized.Format("Cannot compare {0} with {1}.", Describe(left), Describe(right)), column);
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
                    Problem(Localized.Format("'in' needs a list on its right (such as [\"PL\", \"LV\"] or partners.countries), but it has {0}.", Describe(right)), column);
                }
                else if (!Fits(left.Kind, item.Value) || left.Kind == CheckedKind.Null)
                {
                    Problem(Localized.Format("'in' looks for {0} in {1}; their kinds do not match.", Describe(left), Describe(right)), column);
                }

                break;
            default:
                if (!(Ordered(left.Kind) && Ordered(right.Kind) && Fits(left.Kind, right.Kind)))
                {
                    Problem(Localized.Format("'{0}' compares two numbers, two dates or two texts, but here it has {1} and {2}.", op, Describe(left), Describe(right)), column);
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
            Problem(Localized.Text("The remainder operator '%' is not available; use whole numbers and comparisons instead."), column);
            return new Typed(CheckedKind.Number);
        }

        if (op == "+" && (left.Kind == CheckedKind.Text || right.Kind == CheckedKind.Text))
        {
            if (!Fits(left.Kind, CheckedKind.Text) || !Fits(right.Kind, CheckedKind.Text))
            {
                Problem(Localized.Format("'+' joins two texts or adds two numbers, but here it has {0} and {1}.", Describe(left), Describe(right)), column);
            }

            return new Typed(CheckedKind.Text);
        }

        if (IsDate(left.Kind) || IsDate(right.Kind))
        {
            Problem(Localized.Format("Dates cannot be used with '{0}'; for the days between two dates write days_between(earlier, later).", op), column);
            return new Typed(CheckedKind.Number);
        }

        if (op == "/")
        {
            Edits.Add(new TextEdit(c.calc(0).Start.StartIndex, 0, "div("));
            Edits.Add(new TextEdit(c.op.StartIndex, 3, ",", 1));
            Edits.Add(new TextEdit(c.calc(1).Stop.StopIndex + 1, 2, ")"));
        }

        Require(left, CheckedKind.Number, (kind, actual) => Localized.Format("The left side of '{0}' must be {1}, but it is {2}.", op, kind, actual), Column(c.calc(0)));
        Require(right, CheckedKind.Number, (kind, actual) => Localized.Format("The right side of '{0}' must be {1}, but it is {2}.", op, kind, actual), Column(c.calc(1)));
        return new Typed(CheckedKind.Number);
    }

    private Typed Unary(P.UnaryContext u)
    {
        switch (u)
        {
            case P.LogicalNotContext not:
                Require(Member(not.member()), CheckedKind.Boolean, (kind, actual) => Localized.Format("What follows '!' must be {0}, but it is {1}.", kind, actual), Column(not.member()));
                return new Typed(CheckedKind.Boolean);
            case P.NegateContext negate:
                Require(Member(negate.member()), CheckedKind.Number, (kind, actual) => Localized.Format("What follows '-' must be {0}, but it is {1}.", kind, actual), Column(negate.member()));
                return new Typed(CheckedKind.Number);
            case P.MemberExprContext member:
                return Member(member.member());
            default:
                Problem(Localized.Text("This part of the expression is not understood."), Column(u));
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
                    Problem(Localized.Text("Optional selection '.?' is not available."), Column(select.op));
                    return new Typed(CheckedKind.Any);
                }

                if (owner.Path is null || owner.Kind is not (CheckedKind.Group or CheckedKind.Any))
                {
                    Problem(Localized.Format("{0} has no parts; '.{1}' cannot be read from it.", Describe(owner), select.id.Text), Column(select.id));
                    return new Typed(CheckedKind.Any);
                }

                return Resolve($"{owner.Path}.{select.id.Text}", Column(select.member()));
            case P.MemberCallContext call:
                Problem(Localized.Format("Methods such as '.{0}(...)' are not available; use the functions {1}.", call.id.Text, string.Join(", ", Functions)), Column(call.id));
                return new Typed(CheckedKind.Any);
            default:
                Problem(Localized.Text("Indexing with [...] is not available; name the value by its path, such as form.amount."), Column(m));
                return new Typed(CheckedKind.Any);
        }
    }

    private Typed Primary(P.PrimaryContext p)
    {
        switch (p)
        {
            case P.IdentOrGlobalCallContext ident when ident.leadingDot is not null:
                Problem(Localized.Text("A name cannot start with '.'."), Column(ident));
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
                Problem(Localized.Text("Maps and messages ({...}) are not available in expressions."), Column(p));
                return new Typed(CheckedKind.Any);
        }
    }

    private Typed List(P.CreateListContext list)
    {
        var items = list.elems?._elems ?? [];
        if (items.Count > ExpressionLimits.MaxListItems)
        {
            Problem(Localized.Format("The list has {0} items; at most {1} are allowed.", items.Count, ExpressionLimits.MaxListItems), Column(list));
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
                Problem(Localized.Format("All items of a list must be of one kind, but {0} follows {1}.", Describe(typed), Words(kind)), Column(item));
            }
        }

        return new Typed(kind switch
        {
            CheckedKind.Text => CheckedKind.TextList,
            CheckedKind.Number => CheckedKind.NumberList,
            CheckedKind.Date or CheckedKind.Timestamp => CheckedKind.DateList,
            CheckedKind.Boolean => CheckedKind.BooleanList,
            CheckedKind.Any => CheckedKind.Any,
            _ => Invalid(CheckedKind.Any, Localized.Text("A list holds texts, numbers, dates or yes/no values."), Column(list)),
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
                    Problem(Localized.Format("The number {0} is too large; numbers have at most {1} digits.", Shorten(integer.tok.Text), ExpressionLimits.MaxNumberDigits), Column(integer));
                }

                Edits.Add(new TextEdit(integer.tok.StopIndex + 1, 1, ".0"));
                return new Typed(CheckedKind.Number);
            case P.DoubleContext number:
                var digits = number.tok.Text.Count(char.IsAsciiDigit);
                if (digits > ExpressionLimits.MaxNumberDigits || number.tok.Text.Contains('e', StringComparison.OrdinalIgnoreCase))
                {
                    Problem(Localized.Format("The number {0} is too large or too precise; write it in plain digits (at most {1}).", Shorten(number.tok.Text), ExpressionLimits.MaxNumberDigits), Column(number));
                }

                return new Typed(CheckedKind.Number);
            case P.StringContext text:
                if (text.tok.Text.Length - 2 > ExpressionLimits.MaxTextLength)
                {
                    Problem(Localized.Format("The text is {0} characters long; texts in expressions have at most {1}.", text.tok.Text.Length - 2, ExpressionLimits.MaxTextLength), Column(text));
                }

                if (text.tok.Text.Length > 0 && (text.tok.Text[0] is 'r' or 'R' || text.tok.Text.StartsWith("'''", StringComparison.Ordinal) || text.tok.Text.StartsWith("\"\"\"", StringComparison.Ordinal)))
                {
                    Problem(Localized.Text("Write texts in plain quotes, such as \"PL\"."), Column(text));
                }

                return new Typed(CheckedKind.Text);
            case P.BoolTrueContext or P.BoolFalseContext:
                return new Typed(CheckedKind.Boolean);
            case P.NullContext:
                return new Typed(CheckedKind.Null);
            default:
                Problem(Localized.Text("Only numbers, texts in quotes, true, false and null can be written as values (no bytes or unsigned numbers)."), Column(literal));
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
                    Problem(Localized.Text("has(...) takes one value by its path, such as has(form.amount)."), column);
                    return new Typed(CheckedKind.Boolean);
                }

                var target = Expr(args[0]);
                if (target.Kind == CheckedKind.Group)
                {
                    Problem(Localized.Format("has(...) asks whether a value is filled in, but {0} is a group of values.", target.Path), column);
                }

                return new Typed(CheckedKind.Boolean);
            case "count":
                if (Arity(name, args, 1, "count(partners.countries)", column))
                {
                    var list = Expr(args[0]);
                    if (list.Kind is not (CheckedKind.TextList or CheckedKind.NumberList or CheckedKind.DateList or CheckedKind.BooleanList or CheckedKind.Any))
                    {
                        Problem(Localized.Format("count(...) counts the items of a list, but it was given {0}.", Describe(list)), Column(args[0]));
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
                            Problem(Localized.Format("days_between(...) takes two dates, but it was given {0}.", Describe(date)), Column(arg));
                        }
                    }
                }

                return new Typed(CheckedKind.Number);
            case "date":
                if (Arity(name, args, 1, "date(\"2026-06-24\")", column))
                {
                    var text = Expr(args[0]);
                    Require(text, CheckedKind.Text, (kind, actual) => Localized.Format("date(...) takes a text such as \"2026-06-24\"; its argument must be {0}, but it is {1}.", kind, actual), Column(args[0]));
                    if (Unwrap(args[0]) is P.PrimaryExprContext primary && primary.primary() is P.ConstantLiteralContext constant
                        && constant.literal() is P.StringContext s
                        && !DateOnly.TryParseExact(s.tok.Text.Trim('"', '\''), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    {
                        Problem(Localized.Format("{0} is not a date; write it as \"YYYY-MM-DD\", such as \"2026-06-24\".", s.tok.Text), Column(args[0]));
                    }
                }

                return new Typed(CheckedKind.Date);
            case "add":
                if (Arity(name, args, 2, "add(step.started, \"P12M\")", column))
                {
                    var moment = Expr(args[0]);
                    if (!IsDate(moment.Kind) && moment.Kind != CheckedKind.Any)
                    {
                        Problem(Localized.Format("add(...) adds a duration to a date, but it was given {0}.", Describe(moment)), Column(args[0]));
                    }

                    if (Unwrap(args[1]) is not P.PrimaryExprContext duration || duration.primary() is not P.ConstantLiteralContext literal
                        || literal.literal() is not P.StringContext text || !IsoDuration.TryParse(text.tok.Text.Trim('"', '\''), out _, out _))
                    {
                        Problem(Localized.Text("The second value of add(...) is a duration in quotes, such as \"P12M\" or \"P10D\"."), Column(args[1]));
                    }
                }

                return new Typed(CheckedKind.Timestamp);
            default:
                var hint = Suggest.Closest(name, Functions);
                Problem(hint is null
                    ? Localized.Format("'{0}' is not a known function; the functions are {1}.", name, string.Join(", ", Functions))
                    : Localized.Format("'{0}' is not a known function (did you mean '{1}'?); the functions are {2}.", name, hint, string.Join(", ", Functions)), column);
                return new Typed(CheckedKind.Any);
        }
    }

    private bool Arity(string name, IList<P.ExprContext> args, int count, string example, int column)
    {
        if (args.Count == count)
        {
            return true;
        }

        Problem(count == 1
            ? Localized.Format("{0}(...) takes one value, such as {1}.", name, example)
            : Localized.Format("{0}(...) takes {1} values, such as {2}.", name, count, example), column);
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
        var known = sameGroup.Count > 0
            ? string.Join(", ", sameGroup)
            : string.Join(", ", groups.Where(g => !g.Contains('.', StringComparison.Ordinal)).Concat(variables.Keys.Where(v => !v.Contains('.', StringComparison.Ordinal))).Order(StringComparer.Ordinal));
        Problem((hint is null, sameGroup.Count > 0) switch
        {
            (true, true) => Localized.Format("'{0}' is not known here; known: {1}.", path, known),
            (false, true) => Localized.Format("'{0}' is not known here (did you mean '{1}'?); known: {2}.", path, hint, known),
            (true, false) => Localized.Format("'{0}' is not known here; names start with {1}.", path, known),
            (false, false) => Localized.Format("'{0}' is not known here (did you mean '{1}'?); names start with {2}.", path, hint, known),
        }, column);
        return new Typed(CheckedKind.Any, path);
    }

    /// <summary>A problem when <paramref name="actual"/> is not of the <paramref name="expected"/> kind, said by <paramref name="message"/> (the kind wanted, what it is).</summary>
    private void Require(Typed actual, CheckedKind expected, Func<string, string, string> message, int column)
    {
        if (!Fits(actual.Kind, expected) || actual.Kind is CheckedKind.Null or CheckedKind.Group)
        {
            Problem(message(Words(expected), Describe(actual)), column);
        }
    }

    private static bool IsDate(CheckedKind kind) => kind is CheckedKind.Date or CheckedKind.Timestamp;

    private static bool Ordered(CheckedKind kind) => kind is CheckedKind.Number or CheckedKind.Text or CheckedKind.Date or CheckedKind.Timestamp or CheckedKind.Any;

    internal static bool Fits(CheckedKind a, CheckedKind b) =>
        a == b || a == CheckedKind.Any || b == CheckedKind.Any || (IsDate(a) && IsDate(b))
        || (a == CheckedKind.Null && b != CheckedKind.Group) || (b == CheckedKind.Null && a != CheckedKind.Group);
}
