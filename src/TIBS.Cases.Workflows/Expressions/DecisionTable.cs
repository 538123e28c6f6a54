using System.Globalization;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Workflows.Expressions;

/// <summary>
/// A compiled decision table: cells parsed once, inputs evaluated by <see cref="WorkflowExpressions.Engine"/>.
/// <see cref="Analyse"/> finds overlaps (hit policy <c>unique</c>), rules that can never apply (hit policy
/// <c>first</c>) and gaps (no default): exactly, by cutting each input's values at every bound a cell mentions, so
/// that every piece is either wholly inside or wholly outside each cell.
/// </summary>
public sealed class DecisionTable
{
    /// <summary>The most combinations of input pieces the analysis walks; a larger table is a problem to split.</summary>
    public const int MaxCombinations = 20_000;

    private readonly List<(string Label, string Expression, DecisionKind Kind)> inputs;
    private readonly List<(DecisionCell[] Cells, string Then)> rules;

    private DecisionTable(DecisionDefinition definition, List<(string, string, DecisionKind)> inputs, List<(DecisionCell[], string)> rules)
    {
        Key = definition.Key;
        Name = definition.Name;
        FirstHit = definition.HitPolicy == "first";
        Default = definition.Default;
        OutputKind = ExpressionScopes.DecisionKind(definition.Output?.Kind);
        this.inputs = inputs;
        this.rules = rules;
    }

    public string Key { get; }

    public string Name { get; }

    /// <summary>Hit policy <c>first</c>: the first matching rule wins (else <c>unique</c>).</summary>
    public bool FirstHit { get; }

    public string? Default { get; }

    public ExpressionValueKind OutputKind { get; }

    /// <summary>The expressions of the inputs.</summary>
    public IReadOnlyList<string> InputExpressions => [.. inputs.Select(i => i.Expression)];

    internal static readonly string[] Kinds = ["number", "date", "text", "boolean"];

    /// <summary>Compiles a table; null with problems (path, message) when a cell or kind cannot be read.</summary>
    internal static DecisionTable? Compile(DecisionDefinition definition, string path, List<(string Path, string Message)> problems)
    {
        var before = problems.Count;
        var inputs = new List<(string, string, DecisionKind)>();
        for (var i = 0; i < definition.Inputs.Count; i++)
        {
            var input = definition.Inputs[i];
            if (!TryKind(input.Kind, out var kind))
            {
                problems.Add(($"{path}.inputs[{i}].kind", Localized.Format("The kind of input '{0}' must be one of {1}, not '{2}'.", input.Label, string.Join(", ", Kinds), input.Kind)));
            }

            inputs.Add((input.Label, input.Expression, kind));
        }

        var rules = new List<(DecisionCell[], string)>();
        for (var r = 0; r < definition.Rules.Count; r++)
        {
            var rule = definition.Rules[r];
            if (rule.When.Count != inputs.Count)
            {
                problems.Add(($"{path}.rules[{r}].when", Localized.Format("Rule {0} has {1} cell(s) but the table has {2} input(s); write one cell per input (- for any value).", r + 1, rule.When.Count, inputs.Count)));
                continue;
            }

            var cells = new DecisionCell[inputs.Count];
            for (var c = 0; c < inputs.Count; c++)
            {
                cells[c] = DecisionCell.Parse(rule.When[c], inputs[c].Item3, out var problem)!;
                if (problem is not null)
                {
                    problems.Add(($"{path}.rules[{r}].when[{c}]", Localized.Format("Rule {0}, input '{1}': {2}", r + 1, inputs[c].Item1, problem)));
                }
            }

            rules.Add((cells, rule.Then));
        }

        return problems.Count == before ? new DecisionTable(definition, inputs, rules) : null;
    }

    /// <summary>Compiles the tables of a valid document, keyed as expressions name them.</summary>
    internal static IReadOnlyDictionary<string, DecisionTable> CompileAll(WorkflowDefinitionDocument document)
    {
        var tables = new Dictionary<string, DecisionTable>(StringComparer.Ordinal);
        for (var d = 0; d < document.Decisions.Count; d++)
        {
            var definition = document.Decisions[d];
            if (Compile(definition, $"decisions[{d}]", []) is { } table)
            {
                foreach (var input in definition.Inputs)
                {
                    WorkflowExpressions.Prepare(input.Expression);
                }

                tables[ExpressionScopes.Name(definition.Key)] = table;
            }
        }

        return tables;
    }

    internal static bool TryKind(string text, out DecisionKind kind)
    {
        var index = Array.IndexOf(Kinds, text);
        kind = index < 0 ? DecisionKind.Text : (DecisionKind)index;
        return index >= 0;
    }

    /// <summary>Overlaps, rules that never apply and gaps, each with the path of the rule (or the table) and an example.</summary>
    internal IEnumerable<(string Path, string Message)> Analyse(string path)
    {
        if (rules.Count == 0)
        {
            yield break;
        }

        var pieces = inputs.Select((input, i) => Pieces(input.Kind, rules.Select(r => r.Cells[i]))).ToList();
        var combinations = pieces.Aggregate(1L, (total, p) => Math.Min(total * p.Count, long.MaxValue / 1024));
        if (combinations > MaxCombinations)
        {
            yield return (path, Localized.Format("Decision table '{0}' has too many combinations of input values to check ({1}, at most {2}); split it into smaller tables.", Name, combinations, MaxCombinations));
            yield break;
        }

        // Which pieces of each input each rule's cell covers.
        var covers = rules.Select(r => r.Cells.Select((cell, i) => pieces[i].Select(p => cell.Matches(p.Sample)).ToArray()).ToArray()).ToList();
        for (var a = 0; a < rules.Count; a++)
        {
            for (var b = a + 1; b < rules.Count && !FirstHit; b++)
            {
                var example = Example(covers[a], covers[b], pieces);
                if (example is not null)
                {
                    yield return ($"{path}.rules[{b}]", Localized.Format("Rules {0} and {1} of '{2}' can both apply (hit policy unique), for example when {3}. Make their cells exclusive, or use hit-policy: first.", a + 1, b + 1, Name, example));
                }
            }

            if (FirstHit && a > 0 && Uncovered(pieces, covers[a], covers.Take(a).ToList()) is null)
            {
                yield return ($"{path}.rules[{a}]", Localized.Format("Rule {0} of '{1}' can never apply: the rules before it (hit policy first) take every case it matches.", a + 1, Name));
            }
        }

        if (Default is null && Uncovered(pieces, [.. pieces.Select(p => Enumerable.Repeat(true, p.Count).ToArray())], covers) is { } gap)
        {
            yield return (path, Localized.Format("No rule of '{0}' applies when {1}; add a rule for it or a default.", Name, gap));
        }
    }

    /// <summary>Evaluates the table on a case's values: the output, or why there is none. Never throws.</summary>
    public ExpressionEvaluation Evaluate(IReadOnlyDictionary<string, object?> values)
    {
        var actual = new object[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            var result = WorkflowExpressions.Engine.Evaluate(inputs[i].Expression, values);
            if (!result.Succeeded)
            {
                return ExpressionEvaluation.Failure(Localized.Format("'{0}' cannot be decided: {1}: {2}", Name, inputs[i].Label, result.FailureReason));
            }

            actual[i] = result.Value switch
            {
                DateTimeOffset t => (decimal)DateOnly.FromDateTime(t.UtcDateTime).DayNumber,
                { } value => value,
                null => "",
            };
        }

        var matching = rules.Where(r => r.Cells.Select((cell, i) => cell.Matches(actual[i])).All(m => m)).Take(2).ToList();
        if (matching.Count == 0)
        {
            return Default is null
                ? ExpressionEvaluation.Failure(Localized.Format("No rule of '{0}' applies to this case.", Name))
                : ExpressionEvaluation.Success(Output(Default));
        }

        return matching.Count > 1 && !FirstHit
            ? ExpressionEvaluation.Failure(Localized.Format("More than one rule of '{0}' applies to this case.", Name))
            : ExpressionEvaluation.Success(Output(matching[0].Then));
    }

    private object Output(string text) => OutputKind switch
    {
        ExpressionValueKind.Number => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture),
        ExpressionValueKind.Boolean => text is "yes" or "true",
        _ => text,
    };

    private sealed record Piece(object Sample, string Words);

    private static List<Piece> Pieces(DecisionKind kind, IEnumerable<DecisionCell> cells)
    {
        var cellList = cells.ToList();
        switch (kind)
        {
            case DecisionKind.Boolean:
                return [new Piece(true, "yes"), new Piece(false, "no")];
            case DecisionKind.Text:
                var named = cellList.SelectMany(c => c.Values).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                return [.. named.Select(v => new Piece(v, $"\"{v}\"")),
                    new Piece("\u0001", named.Count == 0 ? "any value" : $"a value other than {string.Join(", ", named)}")];
            case DecisionKind.Date:
                return DayPieces(cellList);
            default:
                return NumberPieces([.. cellList.SelectMany(c => c.Intervals).SelectMany(i => new[] { i.Low, i.High }).OfType<decimal>().Distinct().Order()]);
        }
    }

    // Numbers are dense: the pieces are each bound and the open stretches between and around them.
    private static List<Piece> NumberPieces(List<decimal> bounds)
    {
        string W(decimal v) => DecisionCell.Words(v, DecisionKind.Number);
        if (bounds.Count == 0)
        {
            return [new Piece(0m, "any value")];
        }

        var pieces = new List<Piece> { new(bounds[0] - 1, $"below {W(bounds[0])}") };
        for (var i = 0; i < bounds.Count; i++)
        {
            pieces.Add(new Piece(bounds[i], $"exactly {W(bounds[i])}"));
            pieces.Add(i + 1 < bounds.Count
                ? new Piece((bounds[i] + bounds[i + 1]) / 2, $"between {W(bounds[i])} and {W(bounds[i + 1])}")
                : new Piece(bounds[i] + 1, $"above {W(bounds[i])}"));
        }

        return pieces;
    }

    // Dates are whole days, and cells hold closed day ranges: cut at each range's first day and the day after its last.
    private static List<Piece> DayPieces(List<DecisionCell> cells)
    {
        string W(decimal v) => DecisionCell.Words(v, DecisionKind.Date);
        var cuts = cells.SelectMany(c => c.Intervals)
            .SelectMany(i => new[] { i.Low, i.High + 1 }).OfType<decimal>().Distinct().Order().ToList();
        if (cuts.Count == 0)
        {
            return [new Piece(0m, "any date")];
        }

        var pieces = new List<Piece> { new(cuts[0] - 1, $"before {W(cuts[0])}") };
        for (var i = 0; i < cuts.Count; i++)
        {
            pieces.Add(i + 1 < cuts.Count
                ? new Piece(cuts[i], cuts[i + 1] - 1 == cuts[i] ? $"on {W(cuts[i])}" : $"from {W(cuts[i])} to {W(cuts[i + 1] - 1)}")
                : new Piece(cuts[i], $"on or after {W(cuts[i])}"));
        }

        return pieces;
    }

    private string? Example(bool[][] a, bool[][] b, List<List<Piece>> pieces)
    {
        var words = new List<string>();
        for (var i = 0; i < pieces.Count; i++)
        {
            var shared = Enumerable.Range(0, pieces[i].Count).FirstOrDefault(p => a[i][p] && b[i][p], -1);
            if (shared < 0)
            {
                return null;
            }

            words.Add($"{inputs[i].Label} is {pieces[i][shared].Words}");
        }

        return string.Join(" and ", words);
    }

    /// <summary>A combination of pieces within <paramref name="region"/> that none of <paramref name="rules"/> covers, in words; null when covered.</summary>
    private string? Uncovered(List<List<Piece>> pieces, bool[][] region, List<bool[][]> rulesCovering)
    {
        var choice = new int[pieces.Count];
        string? Walk(int input, List<bool[][]> candidates)
        {
            if (candidates.Count == 0)
            {
                return string.Join(" and ", Enumerable.Range(0, input).Select(i => $"{inputs[i].Label} is {pieces[i][choice[i]].Words}")
                    .Concat(Enumerable.Range(input, pieces.Count - input).Where(i => region[i].Count(x => x) < pieces[i].Count)
                        .Select(i => $"{inputs[i].Label} is {pieces[i][Array.IndexOf(region[i], true)].Words}")));
            }

            if (input == pieces.Count)
            {
                return null;
            }

            for (var p = 0; p < pieces[input].Count; p++)
            {
                if (!region[input][p])
                {
                    continue;
                }

                choice[input] = p;
                var found = Walk(input + 1, [.. candidates.Where(c => c[input][p])]);
                if (found is not null)
                {
                    return found;
                }
            }

            return null;
        }

        return Walk(0, rulesCovering);
    }
}
