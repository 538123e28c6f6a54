using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Cel;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;
using P = Cel.Internal.CelParser;

namespace TIBS.Cases.Workflows.Expressions;

/// <summary>The default expression engine, shared by everything that decides from a case's data.</summary>
public static class WorkflowExpressions
{
    /// <summary>The one engine: Google CEL (the <c>Cel</c> package) with the checker and bounds of this library.</summary>
    public static IExpressionEngine Engine { get; } = new CelExpressionEngine();

    /// <summary>The functions expressions may call.</summary>
    public static IReadOnlyList<string> Functions => ExpressionChecker.Functions;

    /// <summary>Parses and compiles an expression ahead of its first evaluation (plans do it once); returns the text.</summary>
    internal static string? Prepare(string? text)
    {
        if (text is not null && Engine is CelExpressionEngine engine)
        {
            engine.Compile(text);
        }

        return text;
    }

    /// <summary>The dotted names an expression reads (empty when it cannot be compiled).</summary>
    internal static IReadOnlyList<string> PathsOf(string text) =>
        Engine is CelExpressionEngine engine ? engine.Compile(text).Paths : [];
}

/// <summary>
/// <see cref="IExpressionEngine"/> on the CEL library: CEL parses and evaluates; <see cref="ExpressionChecker"/> checks
/// kinds and refuses everything outside the sandbox; <see cref="ExpressionLimits"/> bounds size and depth. Values are
/// handed to CEL only as yes/no, numbers, texts, dates, lists of those and nested maps, never as .NET objects, so an
/// expression cannot reach into the application. Compiled programs are cached by text; an expression that cannot be
/// compiled is not cached, so its reason is always said in the language of the moment.
/// </summary>
internal sealed partial class CelExpressionEngine : IExpressionEngine
{
    private const int CacheLimit = 4096;

    private readonly CelEnvironment environment = new([], "");
    private readonly Lock compileLock = new();
    private readonly ConcurrentDictionary<string, Compiled> cache = new(StringComparer.Ordinal);

    public CelExpressionEngine()
    {
        environment.RegisterFunction("count", [typeof(object)], args => args[0] is ICollection list
            ? (object)(double)list.Count
            : throw new ExpressionFailure(Localized.Text("count(...) was not given a list.")));
        environment.RegisterFunction("days_between", [typeof(object), typeof(object)], args =>
            args[0] is DateTimeOffset from && args[1] is DateTimeOffset to
                ? (double)(DateOnly.FromDateTime(to.UtcDateTime).DayNumber - DateOnly.FromDateTime(from.UtcDateTime).DayNumber)
                : throw new ExpressionFailure(Localized.Text("days_between(...) was not given two dates.")));
        environment.RegisterFunction("add", [typeof(object), typeof(object)], args =>
            args[0] is DateTimeOffset moment && args[1] is string text && IsoDuration.TryParse(text, out var duration, out _)
                ? (object)duration.AddTo(moment)
                : throw new ExpressionFailure(Localized.Text("add(...) was not given a date and a duration.")));
        environment.RegisterFunction("div", [typeof(object), typeof(object)], args =>
            args[0] is double a && args[1] is double b
                ? (b == 0 ? throw new ExpressionFailure(Localized.Text("The expression divides by zero.")) : (object)(a / b))
                : throw new ExpressionFailure(Localized.Text("'/' divides two numbers.")));
        environment.RegisterFunction("date", [typeof(object)], args =>
            args[0] is string text && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? (object)ExpressionValues.ToTimestamp(date)
                : throw new ExpressionFailure(Localized.Format("date(...) was given '{0}', which is not a date written as YYYY-MM-DD.", args[0])));
    }

    public IReadOnlyList<ExpressionProblem> Check(string text, ExpressionScope scope, ExpressionValueKind expected)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (ExpressionLimits.CheckText(text ?? "") is { } bound)
        {
            return [bound];
        }

        if (!TryParse(text!, out var tree, out var syntax))
        {
            return [syntax!];
        }

        var checker = new ExpressionChecker(scope);
        var result = checker.Check(tree!);
        var problems = checker.Problems.ToList();
        var wanted = ExpressionChecker.From(expected);
        if (problems.Count == 0 && !ExpressionChecker.Fits(result.Kind, wanted) || result.Kind is CheckedKind.Null or CheckedKind.Group)
        {
            problems.Add(new ExpressionProblem(result.Path is null
                ? Localized.Format("The expression must give {0}, but it gives {1}.", ExpressionChecker.Words(wanted), ExpressionChecker.Words(result.Kind))
                : Localized.Format("The expression must give {0}, but it gives {1} ({2}).", ExpressionChecker.Words(wanted), result.Path, ExpressionChecker.Words(result.Kind)), 1));
        }

        return problems;
    }

    public ExpressionEvaluation Evaluate(string text, IReadOnlyDictionary<string, object?> values)
    {
        try
        {
            var compiled = Compile(text ?? "");
            if (compiled.Problem is not null)
            {
                return ExpressionEvaluation.Failure(compiled.Problem);
            }

            var variables = ExpressionValues.ToCel(values, compiled.Paths, out var valueProblem);
            if (valueProblem is not null)
            {
                return ExpressionEvaluation.Failure(valueProblem);
            }

            var result = compiled.Program!.Invoke(variables!);
            return result switch
            {
                bool or string => ExpressionEvaluation.Success(result),
                double d when double.IsFinite(d) && Math.Abs(d) < 7.9e27 => ExpressionEvaluation.Success((decimal)d),
                double => ExpressionEvaluation.Failure(Localized.Text("The expression gives a number too large to use.")),
                DateTimeOffset t => ExpressionEvaluation.Success(t),
                // CEL gives back a marker object, not an exception, when the whole expression is a missing value.
                null or { } when compiled.Paths.Count > 0 && (result is null || result.GetType().Name == "CelNoSuchField") =>
                    ExpressionEvaluation.Failure(Localized.Format("{0} is not filled in.", compiled.Paths.MaxBy(p => p.Length))),
                _ => ExpressionEvaluation.Failure(Localized.Text("The expression gives a value of a kind conditions cannot use.")),
            };
        }
#pragma warning disable CA1031 // evaluation never throws into the caller: every failure becomes a reason in words
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return ExpressionEvaluation.Failure(Explain(exception, text ?? ""));
        }
    }

    internal Compiled Compile(string text)
    {
        if (cache.TryGetValue(text, out var cached))
        {
            return cached;
        }

        Compiled compiled;
        if (ExpressionLimits.CheckText(text) is { } bound)
        {
            compiled = new Compiled(null, [], Localized.Format("The expression was refused: {0}", bound.Message));
        }
        else if (!TryParse(text, out var tree, out var syntax))
        {
            compiled = new Compiled(null, [], Localized.Format("The expression cannot be read: {0}", syntax!.Message));
        }
        else
        {
            var checker = new ExpressionChecker(null);
            checker.Check(tree!);
            if (checker.Problems.Count > 0)
            {
                compiled = new Compiled(null, [], Localized.Format("The expression was refused: {0}", checker.Problems[0].Message));
            }
            else
            {
                var program = CompileProgram(Rewrite(text, checker.Edits));
                compiled = new Compiled(program, checker.Paths.ToArray(), null);
            }
        }

        if (compiled.Problem is not null)
        {
            return compiled; // its reason is in the language of this call: kept out of the cache shared by all languages
        }

        if (cache.Count >= CacheLimit)
        {
            cache.Clear();
        }

        cache[text] = compiled;
        return compiled;
    }

    private CelProgramDelegate CompileProgram(string text)
    {
        lock (compileLock)
        {
            return environment.Compile(text);
        }
    }

    private bool TryParse(string text, out P.StartContext? tree, out ExpressionProblem? problem)
    {
        try
        {
            lock (compileLock)
            {
                tree = environment.Parse(text);
            }

            problem = null;
            return true;
        }
        catch (CelExpressionParserException exception)
        {
            tree = null;
            problem = SyntaxProblem(exception.Message);
            return false;
        }
    }

    private static string Rewrite(string text, List<TextEdit> edits)
    {
        var builder = new StringBuilder(text);
        foreach (var edit in edits.OrderByDescending(e => e.Index).ThenByDescending(e => e.Order))
        {
            builder.Remove(edit.Index, edit.Remove).Insert(edit.Index, edit.Text);
        }

        return builder.ToString();
    }

    private static ExpressionProblem SyntaxProblem(string message)
    {
        var match = ParserMessage().Match(message);
        if (!match.Success)
        {
            return new ExpressionProblem(Localized.Text("The expression cannot be read; check brackets, quotes and operators."), 1);
        }

        var column = int.Parse(match.Groups["column"].Value, CultureInfo.InvariantCulture) + 1;
        var found = match.Groups["found"].Value;
        var words = found == "<EOF>"
            ? Localized.Text("The expression ends too early; something is missing at its end (a value after an operator, or a closing bracket).")
            : Localized.Format("'{0}' is not expected here; check the operators and brackets around it.", found);
        if (match.Groups["kind"].Value == "token recognition error at")
        {
            words = Localized.Format("{0} is not part of the expression language (texts go in quotes; 'and', 'or', 'not' are written &&, ||, !).", found);
        }

        return new ExpressionProblem(words, column);
    }

    private static string Explain(Exception exception, string text) =>
        exception.InnerException is { } inner && exception is not ExpressionFailure and not CelException
            ? Explain(inner, text)
            : exception switch
            {
                ExpressionFailure failure => failure.Message,
                CelNoSuchFieldException => NotFilled(exception.Message, text),
                CelDivideByZeroException or CelModulusByZeroException => Localized.Text("The expression divides by zero."),
                CelNoSuchOverloadException => Localized.Text("The expression combines values of kinds that do not fit together (for example a number and a text)."),
                CelOverflowException => Localized.Text("A number in the expression grows too large."),
                _ => Localized.Text("The expression could not be evaluated."),
            };

    private static string NotFilled(string message, string text)
    {
        var match = FieldMessage().Match(message);
        if (!match.Success)
        {
            return Localized.Text("A value the expression needs is not filled in.");
        }

        var field = match.Groups["field"].Value;
        var owner = match.Groups["owner"].Value;
        // Linear-time matching without a time limit: a limit that runs out on a starved machine would throw into the page.
        var path = Regex.Match(text, $@"[A-Za-z_][A-Za-z0-9_.]*\.{Regex.Escape(field)}\b", RegexOptions.NonBacktracking);
        var name = path.Success ? path.Value : $"{owner}.{field}";
        return Localized.Format("{0} is not filled in.", name);
    }

    [GeneratedRegex(@"^Line (?<line>\d+):(?<column>\d+) (?<kind>token recognition error at|mismatched input|extraneous input|no viable alternative at input|missing)\s*:?\s*'?(?<found>.*?)'?( expecting.*)?$", RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex ParserMessage();

    [GeneratedRegex(@"select field '(?<field>[^']*)' in variable '(?<owner>[^']*)'", RegexOptions.NonBacktracking)]
    private static partial Regex FieldMessage();

    internal sealed record Compiled(CelProgramDelegate? Program, IReadOnlyList<string> Paths, string? Problem);
}

/// <summary>A failure inside a function of the engine, with its reason in words.</summary>
internal sealed class ExpressionFailure(string message) : Exception(message);
