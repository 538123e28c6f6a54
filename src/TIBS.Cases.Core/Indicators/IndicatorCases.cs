using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Indicators;

/// <summary>The cases behind one figure of the indicators page: each case with the organisation it counted and when.</summary>
public sealed class IndicatorCases(IIndicatorQueries queries, IReferenceDataStore reference, IOrganisationStore organisations)
{
    /// <summary>How many counted rows the list shows at most.</summary>
    public const int ListSize = 500;

    public sealed record Request(Actor Actor, ProgrammeIndicators.Input Input, string? Indicator, string? Group);

    public sealed record Result(
        bool Allowed,
        IReadOnlyList<FieldError> Errors,
        IndicatorDefinition? Indicator,
        string? GroupLabel,
        IndicatorFilter Filter,
        IReadOnlyList<IndicatorCase> Rows,
        IndicatorChoices Choices)
    {
        public static Result Forbidden { get; } = new(false, [], null, null, IndicatorFilter.All, [], IndicatorChoices.None);

        /// <summary>Distinct organisations (or the sum of solutions) in the rows: the figure they explain.</summary>
        public long Figure => Indicator?.Unit == IndicatorUnit.Solutions ? Rows.Sum(r => r.Amount) : Rows.Select(r => r.CompanyId).Distinct().LongCount();
    }

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ProgrammeIndicators.MaySee(request.Actor))
        {
            return Result.Forbidden;
        }

        var choices = await IndicatorChoices.LoadAsync(reference, organisations, cancellationToken);
        var (filter, by, errors) = choices.Parse(request.Input);
        var indicator = IndicatorCatalog.Find(request.Indicator);
        if (indicator is null)
        {
            errors = [.. errors, new FieldError("indicator", Localized.Format("“{0}” is not an indicator TIBS reports: choose one on the indicators page.", request.Indicator))];
        }

        if (errors.Count > 0)
        {
            return Result.Forbidden with { Allowed = true, Errors = errors, Choices = choices };
        }

        var group = string.IsNullOrWhiteSpace(request.Group) ? null : request.Group.Trim();
        var rows = await queries.CasesAsync(filter, indicator!.Code, by, group, ListSize, cancellationToken);
        return new Result(true, [], indicator, group is null ? null : choices.GroupLabel(by, group), filter, rows, choices);
    }
}
