using System.Text.RegularExpressions;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Workflows.Definitions;

/// <summary>
/// Where a definition refers to a step's field or to a step, in words, so that the structured editor can refuse to
/// remove something still in use and name the places: conditions of outcomes (named ones that take the field, and
/// expressions reading <c>form.&lt;field&gt;</c> or <c>steps.&lt;step&gt;.&lt;field&gt;</c>), inputs of decision tables,
/// join rules of partner tracks, outcomes and timers leading to a step, the start and check-ins.
/// </summary>
/// <remarks>
/// The patterns are a literal path between one-character boundaries, so a match takes time linear in the text: they
/// run without a wall-clock limit, which would turn a starved process into an error on the editor's page.
/// </remarks>
public static class DefinitionReferences
{
    /// <summary>The places that use the field <paramref name="fieldKey"/> of the step <paramref name="stepKey"/>.</summary>
    public static IReadOnlyList<string> FieldUses(WorkflowDefinitionDocument document, string stepKey, string fieldKey)
    {
        ArgumentNullException.ThrowIfNull(document);
        var name = ExpressionScopes.Name(fieldKey);
        var across = new Regex($@"(?<![\w.])steps\.{Regex.Escape(ExpressionScopes.Name(stepKey))}\.{Regex.Escape(name)}(?!\w)", RegexOptions.CultureInvariant, Regex.InfiniteMatchTimeout);
        var own = new Regex($@"(?<![\w.])form\.{Regex.Escape(name)}(?!\w)", RegexOptions.CultureInvariant, Regex.InfiniteMatchTimeout);
        var places = new List<string>();
        foreach (var step in document.Stages.SelectMany(s => s.Steps))
        {
            var mine = step.Key == stepKey;
            foreach (var outcome in step.Outcomes)
            {
                for (var c = 0; c < outcome.Conditions.Count; c++)
                {
                    var condition = outcome.Conditions[c];
                    var uses = condition.Name == ConditionCatalog.Expression
                        ? condition.Argument is { } text && (across.IsMatch(text) || (mine && own.IsMatch(text)))
                        : mine && NamesField(condition, fieldKey);
                    if (uses)
                    {
                        places.Add(Localized.Format("condition {0} of outcome “{1}” ({2}) of step “{3}” ({4})", c + 1, outcome.Label, outcome.Key, step.Name, step.Key));
                    }
                }
            }

            if (step.Tracks is { } tracks)
            {
                for (var j = 0; j < tracks.Join.Count; j++)
                {
                    if (across.IsMatch(tracks.Join[j].When))
                    {
                        places.Add(Localized.Format("join rule {0} of the partner tracks of step “{1}” ({2})", j + 1, step.Name, step.Key));
                    }
                }
            }
        }

        foreach (var decision in document.Decisions)
        {
            for (var i = 0; i < decision.Inputs.Count; i++)
            {
                if (across.IsMatch(decision.Inputs[i].Expression))
                {
                    places.Add(Localized.Format("input {0} (“{1}”) of decision table “{2}” ({3})", i + 1, decision.Inputs[i].Label, decision.Name, decision.Key));
                }
            }
        }

        return places;
    }

    /// <summary>The places that lead to, start in or bind something to the step <paramref name="stepKey"/>.</summary>
    public static IReadOnlyList<string> StepUses(WorkflowDefinitionDocument document, string stepKey)
    {
        ArgumentNullException.ThrowIfNull(document);
        var places = new List<string>();
        var steps = document.Stages.SelectMany(s => s.Steps).ToList();
        if (document.Start == stepKey || (document.Start is null && steps.FirstOrDefault()?.Key == stepKey))
        {
            places.Add(Localized.Text("the definition's start (new cases begin in this step)"));
        }

        foreach (var step in steps.Where(s => s.Key != stepKey))
        {
            places.AddRange(step.Outcomes.Where(o => o.To == stepKey)
                .Select(o => Localized.Format("outcome “{0}” ({1}) of step “{2}” ({3})", o.Label, o.Key, step.Name, step.Key)));
        }

        places.AddRange(document.CheckIns.Where(c => c.Step == stepKey).Select(c => $"check-in “{c.Name}” ({c.Key})"));
        var expression = new Regex($@"(?<![\w.])steps\.{Regex.Escape(ExpressionScopes.Name(stepKey))}\.", RegexOptions.CultureInvariant, Regex.InfiniteMatchTimeout);
        foreach (var step in steps.Where(s => s.Key != stepKey))
        {
            foreach (var outcome in step.Outcomes)
            {
                if (outcome.Conditions.Any(c => c.Name == ConditionCatalog.Expression && c.Argument is { } text && expression.IsMatch(text)))
                {
                    places.Add(Localized.Format("a condition of outcome “{0}” ({1}) of step “{2}” ({3}) reads its form", outcome.Label, outcome.Key, step.Name, step.Key));
                }
            }
        }

        places.AddRange(document.Decisions.Where(d => d.Inputs.Any(i => expression.IsMatch(i.Expression)))
            .Select(d => Localized.Format("decision table “{0}” ({1}) reads its form", d.Name, d.Key)));
        return places;
    }

    private static bool NamesField(ConditionRef condition, string fieldKey) =>
        ConditionCatalog.TryGet(condition.Name, out var descriptor) && descriptor.Parameter switch
        {
            ConditionParameterKind.Field or ConditionParameterKind.FileField => condition.Argument == fieldKey,
            ConditionParameterKind.FieldValue => condition.Arguments?.GetValueOrDefault("field") == fieldKey,
            _ => false,
        };
}
