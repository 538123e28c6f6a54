using Bogus;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Testing.Seeding;

/// <summary>One step taken in a walk: the outcome, where it led, the form as stored and the case data after it.</summary>
internal sealed record SeedTransition(PlanStep Step, PlanOutcome Outcome, string To, string FormJson, IReadOnlyList<string> FileFields, string DataAfter, string? Reason);

/// <summary>
/// A path through one published version, walked once by the product's own runtime (<see cref="WorkflowRuntime"/>) with
/// conditions decided by <see cref="CaseFactConditions"/> and forms accepted by <see cref="FormValidator"/>. Cases are
/// instances of walks: stopped at a step (open, on hold, overdue, withdrawn) or run to their end state (closed).
/// Company and file ids in the stored forms are placeholders, replaced by each case's own.
/// </summary>
internal sealed record SeedWalk(int Version, Guid VersionId, WorkflowPlan Plan, IReadOnlyList<SeedTransition> Transitions, string? EndState);

internal static class CaseTemplates
{
    /// <summary>Stands for the case's lead (or first partner) company in generated forms.</summary>
    public static readonly Guid CompanyPlaceholder = new("5eed0000-0000-4000-8000-00000000c0de");

    /// <summary>Stands for the n-th file field's attachment in generated forms.</summary>
    public static Guid FilePlaceholder(int n) => new($"5eed0000-0000-4000-8000-0000f11e{n:x4}");

    private const int MaxSteps = 24;

    public static async Task<IReadOnlyList<SeedWalk>> WalkAsync(int version, Guid versionId, WorkflowPlan plan, int walks, int seed)
    {
        var faker = new Faker { Random = new Randomizer(seed) };
        var runtime = new WorkflowRuntime(plan);
        var result = new List<SeedWalk>(walks);
        for (var w = 0; w < walks; w++)
        {
            var snapshot = runtime.Start();
            var data = "{}";
            var recorded = new Dictionary<string, IReadOnlyDictionary<string, FieldValue>>(StringComparer.Ordinal);
            var transitions = new List<SeedTransition>();
            while (plan.TryGetStep(snapshot.State, out var step) && transitions.Count < MaxSteps)
            {
                var options = new List<(PlanOutcome Outcome, FormValidationResult Form, double Weight)>();
                foreach (var variant in new[] { false, true })
                {
                    var form = FormValidator.Validate(step, Fill(step, variant));
                    if (!form.IsValid)
                    {
                        continue;
                    }

                    var facts = Facts(plan, step, form.Values, recorded);
                    var actions = await runtime.GetActionsAsync(snapshot, new FactEvaluator(facts));
                    foreach (var action in actions.Where(a => a.Kind == ActionKind.Outcome && a.IsAllowed))
                    {
                        if (step.Outcome(action.Key) is { } outcome && options.All(o => o.Outcome.Key != outcome.Key))
                        {
                            options.Add((outcome, form, Weight(plan, step, outcome)));
                        }
                    }
                }

                if (options.Count == 0)
                {
                    break;
                }

                var pick = faker.Random.Double(0, options.Sum(o => o.Weight));
                var chosen = options[^1];
                foreach (var o in options)
                {
                    if ((pick -= o.Weight) <= 0)
                    {
                        chosen = o;
                        break;
                    }
                }

                var facts2 = Facts(plan, step, chosen.Form.Values, recorded);
                var done = await runtime.CompleteStepAsync(snapshot, chosen.Outcome.Key, new FactEvaluator(facts2), chosen.Outcome.RequiresReason ? "Agreed with the company." : null);
                if (!done.Succeeded)
                {
                    break;
                }

                var formJson = FormDataJson.Serialize(chosen.Form.Values);
                data = CaseData.WithForm(data, step.Key, formJson);
                recorded[step.Key] = chosen.Form.Values;
                var files = step.Fields.Where(f => f.Type == FieldType.File).Select(f => f.Key).ToList();
                transitions.Add(new SeedTransition(step, chosen.Outcome, done.After.State, formJson, files, data, chosen.Outcome.RequiresReason ? "Agreed with the company." : null));
                snapshot = done.After;
            }

            result.Add(new SeedWalk(version, versionId, plan, transitions, plan.IsEndState(snapshot.State) ? snapshot.State : null));
        }

        return result;
    }

    /// <summary>A form as a broker fills it: the first choice everywhere, or (the variant) the last choice and "no".</summary>
    private static FormInput Fill(PlanStep step, bool variant)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        if (variant)
        {
            foreach (var f in step.Fields)
            {
                if (f.Type == FieldType.Boolean)
                {
                    overrides[f.Key] = "no";
                }
                else if (f.Type is FieldType.Choice && f.Options.Count > 1)
                {
                    overrides[f.Key] = f.Options[^1].Value;
                }
            }
        }

        var input = FormFiller.Fill(step.Fields, CompanyPlaceholder, overrides);
        var n = 0;
        foreach (var f in step.Fields.Where(f => f.Type == FieldType.File))
        {
            input = input.With(f.Key, new FileValue([new FileReference(FilePlaceholder(n++).ToString(), "signed-agreement.pdf")]));
        }

        return input;
    }

    /// <summary>What the conditions see in a walk: two agreed partners abroad, every check-in recorded, time enough passed.</summary>
    private static CaseFacts Facts(WorkflowPlan plan, PlanStep step, IReadOnlyDictionary<string, FieldValue> values, Dictionary<string, IReadOnlyDictionary<string, FieldValue>> recorded)
    {
        var start = new DateTimeOffset(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);
        var checkIns = plan.CheckInsFor(step.Key).SelectMany(c => c.Occurrences(start).Select((_, i) => new CheckInFact(c.Key, i + 1))).ToList();
        return new CaseFacts("LV", [new PartnerFact("DE", PartnerStatuses.Agreed), new PartnerFact("FI", PartnerStatuses.Agreed)], values, checkIns, start, start.AddYears(2), [])
        {
            Recorded = new Dictionary<string, IReadOnlyDictionary<string, FieldValue>>(recorded, StringComparer.Ordinal),
            RegionCode = "LV008",
            OpenedAt = start,
        };
    }

    /// <summary>Forward moves are common; going back and ending early are not.</summary>
    private static double Weight(WorkflowPlan plan, PlanStep step, PlanOutcome outcome) =>
        outcome.LeadsToEndState ? (plan.Steps.Count(s => s.Index > step.Index) == 0 ? 1.0 : 0.12)
        : plan.TryGetStep(outcome.Target, out var next) && next.Index <= step.Index ? 0.15 : 1.0;

    private sealed class FactEvaluator(CaseFacts facts) : ICaseConditionEvaluator
    {
        public ValueTask<ConditionResult> EvaluateAsync(ConditionCheck check, CancellationToken cancellationToken) =>
            ValueTask.FromResult(CaseFactConditions.Evaluate(check, facts));
    }
}
