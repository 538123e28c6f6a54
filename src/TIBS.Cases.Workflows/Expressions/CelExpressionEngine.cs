using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Cel;
using P = Cel.Internal.CelParser;

namespace TIBS.Cases.Workflows.Expressions;

/// <summary>The default expression engine, shared by everything that decides from a case's data.</summary>
public static class WorkflowExpressions
{
    /// <summary>The one engine: Google CEL (the <c>Cel</c> package) with the checker and bounds of this library.</summary>
    public static IExpressionEngine Engine { get; } = new CelExpressionEngine();

    /// <summary>The functions expressions may call.</summary>
    public static IReadOnlyList<string> Functions => ExpressionChecker.Functions;
}

/// <summary>
/// <see cref="IExpressionEngine"/> on the CEL library: CEL parses and evaluates; <see cref="ExpressionChecker"/> checks
/// kinds and refuses everything outside the sandbox; <see cref="ExpressionLimits"/> bounds size and depth. Values are
/// handed to CEL only as yes/no, numbers, texts, dates, lists of those and nested maps, never as .NET objects, so an
/// expression cannot reach into the application. Compiled programs are cached by text.
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
            : throw new ExpressionFailure("count(...) was not given a list."));
        environment.RegisterFunction("days_between", [typeof(object), typeof(object)], args =>
            args[0] is DateTimeOffset from && args[1] is DateTimeOffset to
                ? (double)(DateOnly.FromDateTime(to.UtcDateTime).DayNumber - DateOnly.FromDateTime(from.UtcDateTime).DayNumber)
                : throw new ExpressionFailure("days_between(...) was not given two dates."));
        environment.RegisterFunction("div", [typeof(object), typeof(object)], args =>
            args[0] is double a && args[1] is double b
                ? (b == 0 ? throw new ExpressionFailure("The expression divides by zero.") : (object)(a / b))
                : throw new ExpressionFailure("'/' divides two numbers."));
        environment.RegisterFunction("date", [typeof(object)], args =>
            args[0] is string text && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? (object)ExpressionValues.ToTimestamp(date)
                : throw new ExpressionFailure($"date(...) was given '{args[0]}', which is not a date written as YYYY-MM-DD."));
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
            var what = result.Path is null ? ExpressionChecker.Words(result.Kind) : $"{result.Path} ({ExpressionChecker.Words(result.Kind)})";
            problems.Add(new ExpressionProblem($"The expression must give {ExpressionChecker.Words(wanted)}, but it gives {what}.", 1));
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
                double => ExpressionEvaluation.Failure("The expression gives a number too large to use."),
                DateTimeOffset t => ExpressionEvaluation.Success(t),
                _ => ExpressionEvaluation.Failure("The expression gives a value of a kind conditions cannot use."),
            };
        }
#pragma warning disable CA1031 // evaluation never throws into the caller: every failure becomes a reason in words
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return ExpressionEvaluation.Failure(Explain(exception, text ?? ""));
        }
    }

    private Compiled Compile(string text)
    {
        if (cache.TryGetValue(text, out var cached))
        {
            return cached;
        }

        Compiled compiled;
        if (ExpressionLimits.CheckText(text) is { } bound)
        {
            compiled = new Compiled(null, [], $"The expression was refused: {bound.Message}");
        }
        else if (!TryParse(text, out var tree, out var syntax))
        {
            compiled = new Compiled(null, [], $"The expression cannot be read: {syntax!.Message}");
        }
        else
        {
            var checker = new ExpressionChecker(null);
            checker.Check(tree!);
            if (checker.Problems.Count > 0)
            {
                compiled = new Compiled(null, [], $"The expression was refused: {checker.Problems[0].Message}");
            }
            else
            {
                var program = CompileProgram(Rewrite(text, checker.Edits));
                compiled = new Compiled(program, checker.Paths.ToArray(), null);
            }
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
            return new ExpressionProblem("The expression cannot be read; check brackets, quotes and operators.", 1);
        }

        var column = int.Parse(match.Groups["column"].Value, CultureInfo.InvariantCulture) + 1;
        var found = match.Groups["found"].Value;
        var words = found == "<EOF>"
            ? "The expression ends too early; something is missing at its end (a value after an operator, or a closing bracket)."
            : $"'{found}' is not expected here; check the operators and brackets around it.";
        if (match.Groups["kind"].Value == "token recognition error at")
        {
            words = $"{found} is not part of the expression language (texts go in quotes; 'and', 'or', 'not' are written &&, ||, !).";
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
                CelDivideByZeroException or CelModulusByZeroException => "The expression divides by zero.",
                CelNoSuchOverloadException => "The expression combines values of kinds that do not fit together (for example a number and a text).",
                CelOverflowException => "A number in the expression grows too large.",
                _ => "The expression could not be evaluated.",
            };

    private static string NotFilled(string message, string text)
    {
        var match = FieldMessage().Match(message);
        if (!match.Success)
        {
            return "A value the expression needs is not filled in.";
        }

        var field = match.Groups["field"].Value;
        var owner = match.Groups["owner"].Value;
        var path = Regex.Match(text, $@"[A-Za-z_][A-Za-z0-9_.]*\.{Regex.Escape(field)}\b", RegexOptions.None, TimeSpan.FromMilliseconds(50));
        var name = path.Success ? path.Value : $"{owner}.{field}";
        return $"{name} is not filled in.";
    }

    [GeneratedRegex(@"^Line (?<line>\d+):(?<column>\d+) (?<kind>token recognition error at|mismatched input|extraneous input|no viable alternative at input|missing)\s*:?\s*'?(?<found>.*?)'?( expecting.*)?$", RegexOptions.Singleline, 100)]
    private static partial Regex ParserMessage();

    [GeneratedRegex(@"select field '(?<field>[^']*)' in variable '(?<owner>[^']*)'", RegexOptions.None, 100)]
    private static partial Regex FieldMessage();

    private sealed record Compiled(CelProgramDelegate? Program, IReadOnlyList<string> Paths, string? Problem);
}

/// <summary>A failure inside a function of the engine, with its reason in words.</summary>
internal sealed class ExpressionFailure(string message) : Exception(message);
