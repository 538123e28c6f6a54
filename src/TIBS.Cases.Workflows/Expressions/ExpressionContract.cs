namespace TIBS.Cases.Workflows.Expressions;

// The contract between the definition format and the expression language: everything in a definition that decides
// something from the case's data (outcome conditions, the join of partner tracks, decision tables) goes through
// IExpressionEngine, so that one sandboxed, bounded evaluator and one type checker serve them all.
//
// Names: variables are dotted paths (form.eligible, steps.eligibility.sme_confirmed, tracks.agreed, case.region).
// A definition's keys are kebab-case; in expressions their hyphens are written as underscores
// (form.contact_data_consent), which is unambiguous because keys never contain underscores.

/// <summary>The kinds of value an expression can work with.</summary>
public enum ExpressionValueKind
{
    /// <summary>true or false (yes/no fields).</summary>
    Boolean,
    /// <summary>A number (<see cref="decimal"/> when given as a value).</summary>
    Number,
    /// <summary>Text (text fields, choice values, codes).</summary>
    Text,
    /// <summary>A calendar date (<see cref="DateOnly"/> when given as a value).</summary>
    Date,
    /// <summary>A point in time (<see cref="DateTimeOffset"/> when given as a value).</summary>
    Timestamp,
    /// <summary>A list of texts (multi-choice and taxonomy fields; <see cref="IReadOnlyList{T}"/> of string).</summary>
    TextList,
}

/// <summary>The variables an expression may use where it is written, each with its kind.</summary>
public sealed record ExpressionScope(IReadOnlyDictionary<string, ExpressionValueKind> Variables);

/// <summary>A problem with an expression: what is wrong, in words, and the 1-based column where it starts.</summary>
public sealed record ExpressionProblem(string Message, int Column);

/// <summary>
/// The result of evaluating an expression. Evaluation never throws: a failure (a missing value, a division by zero,
/// a limit reached) gives <see cref="Succeeded"/> = false and the reason in words.
/// </summary>
public sealed record ExpressionEvaluation(bool Succeeded, object? Value, string? FailureReason)
{
    public static ExpressionEvaluation Success(object? value) => new(true, value, null);

    public static ExpressionEvaluation Failure(string reason) => new(false, null, reason);

    /// <summary>True when the expression evaluated to the boolean true.</summary>
    public bool IsTrue => Succeeded && Value is true;
}

/// <summary>Checks and evaluates expressions written in workflow definitions.</summary>
public interface IExpressionEngine
{
    /// <summary>
    /// Parses and type-checks <paramref name="text"/> against <paramref name="scope"/>; the result must be of kind
    /// <paramref name="expected"/>. No problems means the expression can be evaluated with values of those kinds.
    /// Too long, too deeply nested or otherwise unbounded expressions are problems too.
    /// </summary>
    IReadOnlyList<ExpressionProblem> Check(string text, ExpressionScope scope, ExpressionValueKind expected);

    /// <summary>
    /// Evaluates <paramref name="text"/> with the given values (keyed by dotted variable name; a missing or null value
    /// is "not filled in"). Bounded in time and size; never throws.
    /// </summary>
    ExpressionEvaluation Evaluate(string text, IReadOnlyDictionary<string, object?> values);
}
