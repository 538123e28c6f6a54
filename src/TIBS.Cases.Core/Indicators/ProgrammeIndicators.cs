using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Indicators;

/// <summary>
/// The programme's indicators for evaluators and coordinators: every indicator over a filter (region, country, S3
/// area, period), broken down by one dimension, with the cross-border matrix and the practice's own figures. Every
/// number comes from SQL (<see cref="IIndicatorQueries"/>); this handler checks access and input and names things.
/// </summary>
public sealed class ProgrammeIndicators(IIndicatorQueries queries, IReferenceDataStore reference, IOrganisationStore organisations, WorkflowCatalog catalog)
{
    /// <summary>The definition whose forms the indicators read (agreement types are named from its published version).</summary>
    public const string DefinitionKey = "joint-smart-strategy";

    /// <summary>Filter values as typed in (text), checked here so that a wrong one is told, not ignored.</summary>
    /// <param name="Organisation">A partner organisation's id: only the cases whose broker belongs to it.</param>
    public sealed record Input(string? Region = null, string? Country = null, string? S3Area = null, string? From = null, string? To = null, string? By = null, string? Organisation = null);

    public sealed record Request(Actor Actor, Input Input);

    public sealed record Line(IndicatorDefinition Indicator, long Total, IReadOnlyDictionary<string, long> ByGroup);

    public sealed record Option(string Value, string Label);

    public sealed record Result(
        bool Allowed,
        IReadOnlyList<FieldError> Errors,
        IndicatorFilter Filter,
        IndicatorDimension? By,
        IReadOnlyList<Option> Groups,
        IReadOnlyList<Line> Lines,
        IReadOnlyList<CountryPair> CountryPairs,
        IReadOnlyList<StrategyYear> Strategies,
        IReadOnlyList<Option> AgreementTypes,
        IReadOnlyList<AgreementTypeCount> Agreements,
        IReadOnlyList<(string Stage, StageDuration Duration)> Stages,
        IndicatorChoices Choices)
    {
        public static Result Forbidden { get; } = new(false, [], IndicatorFilter.All, null, [], [], [], [], [], [], [], IndicatorChoices.None);
    }

    /// <summary>Who may see indicators: evaluators and coordinators.</summary>
    public static bool MaySee(Actor actor) => actor is { Role: WorkflowRole.Evaluator or WorkflowRole.Coordinator };

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MaySee(request.Actor))
        {
            return Result.Forbidden;
        }

        var choices = await IndicatorChoices.LoadAsync(reference, organisations, cancellationToken);
        var (filter, by, errors) = choices.Parse(request.Input);
        if (errors.Count > 0)
        {
            return Result.Forbidden with { Allowed = true, Errors = errors, Choices = choices };
        }

        var values = await queries.CountAsync(filter, by, cancellationToken);
        var groups = values.Where(v => v.Group.Length > 0).Select(v => v.Group).Distinct(StringComparer.Ordinal)
            .Select(g => new Option(g, choices.GroupLabel(by, g))).OrderBy(o => o.Value, StringComparer.Ordinal).ToList();
        var lines = IndicatorCatalog.All.Select(i => new Line(
            i,
            values.FirstOrDefault(v => v.Code == i.Code && v.Group.Length == 0)?.Value ?? 0,
            values.Where(v => v.Code == i.Code && v.Group.Length > 0).ToDictionary(v => v.Group, v => v.Value, StringComparer.Ordinal))).ToList();

        var (_, plan) = await catalog.GetPublishedAsync(DefinitionKey, cancellationToken);
        var typeOptions = plan.TryGetStep("joint-strategy", out var strategy) && strategy.Field("agreement-type") is { } field
            ? field.Options.Select(o => new Option(o.Value, o.Label)).ToList()
            : [];
        var stages = await queries.StageDurationsAsync(filter, cancellationToken);
        var stageOrder = plan.Stages.Select(s => s.Key).ToList();
        return new Result(
            true,
            [],
            filter,
            by,
            groups,
            lines,
            await queries.CountryPairsAsync(filter, cancellationToken),
            await queries.StrategiesAsync(filter, cancellationToken),
            typeOptions,
            await queries.AgreementTypesAsync(filter, cancellationToken),
            [.. stages.OrderBy(s => stageOrder.IndexOf(s.StageKey) is var i && i < 0 ? int.MaxValue : i)
                .Select(s => (plan.Stages.FirstOrDefault(p => p.Key == s.StageKey)?.Name ?? Words.Humanize(s.StageKey), s))],
            choices);
    }
}
