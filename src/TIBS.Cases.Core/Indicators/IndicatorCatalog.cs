using TIBS.Cases.Core.Exports;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Indicators;

/// <summary>What an indicator counts: distinct organisations, or a sum of a number recorded in the cases.</summary>
public enum IndicatorUnit
{
    Organisations,
    Solutions,
}

/// <summary>
/// An Interreg output or result indicator as TIBS computes it from case data (docs/indicators.md). The English words
/// (<see cref="EnglishName"/>, <see cref="Kind"/>, <see cref="EnglishUnitName"/>) are what the exports write, as the
/// programme's indicator tables do; <see cref="Name"/>, <see cref="Definition"/>, <see cref="KindName"/> and
/// <see cref="UnitName"/> are the reader's language, for pages and charts.
/// </summary>
public sealed record IndicatorDefinition(string Code, string EnglishName, string Kind, IndicatorUnit Unit, string EnglishDefinition)
{
    /// <summary>The indicator's name in the reader's language.</summary>
    public string Name => Localized.Text(EnglishName);

    /// <summary>How TIBS counts it, in the reader's language.</summary>
    public string Definition => Localized.Text(EnglishDefinition);

    /// <summary>"output" or "result" in the reader's language, as it stands inside a sentence.</summary>
    public string KindName => Localized.InSentence(Kind);

    /// <summary>What it counts, in English: "organisations" or "solutions".</summary>
    public string EnglishUnitName => Unit == IndicatorUnit.Organisations ? "organisations" : "solutions";

    /// <summary>What it counts, in the reader's language.</summary>
    public string UnitName => Unit == IndicatorUnit.Organisations ? Localized.Text("organisations") : Localized.Text("solutions");
}

/// <summary>The indicators the programme reports, in reporting order; the SQL behind each is in the Data layer.</summary>
public static class IndicatorCatalog
{
    public const string Rco01 = "RCO01";
    public const string Rco04 = "RCO04";
    public const string Rco10 = "RCO10";
    public const string Rco87 = "RCO87";
    public const string Rco116 = "RCO116";
    public const string Rcr03 = "RCR03";
    public const string Rcr04 = "RCR04";
    public const string Rcr84 = "RCR84";
    public const string Rcr104 = "RCR104";

    public static IReadOnlyList<IndicatorDefinition> All { get; } =
    [
        new(Rco01, "Enterprises supported", "Output", IndicatorUnit.Organisations,
            "Enterprises (micro, small, medium or large) that are the lead company of a case found eligible, or a party to a signed agreement."),
        new(Rco04, "Enterprises with non-financial support", "Output", IndicatorUnit.Organisations,
            "The same enterprises as RCO01: brokerage is the only support TIBS gives, and it is non-financial."),
        new(Rco10, "Enterprises cooperating with research organisations", "Output", IndicatorUnit.Organisations,
            "Enterprises that are party to a signed agreement in which a research organisation is also a party."),
        new(Rco87, "Organisations cooperating across borders", "Output", IndicatorUnit.Organisations,
            "Organisations of any type that are party to a signed agreement whose parties come from at least two countries."),
        new(Rco116, "Jointly developed solutions", "Output", IndicatorUnit.Solutions,
            "The jointly developed solutions recorded at the final evaluation of completed cases with a cross-border agreement."),
        new(Rcr03, "SMEs introducing product or process innovation", "Result", IndicatorUnit.Organisations,
            "Lead SMEs of completed cases whose final evaluation records a new or improved product, service or process."),
        new(Rcr04, "SMEs introducing marketing or organisational innovation", "Result", IndicatorUnit.Organisations,
            "Lead SMEs of completed cases whose final evaluation records a marketing or organisational innovation."),
        new(Rcr84, "Organisations cooperating across borders after project completion", "Result", IndicatorUnit.Organisations,
            "Parties to the cross-border agreement of completed cases whose final evaluation records that the partners keep cooperating."),
        new(Rcr104, "Solutions taken up or up-scaled", "Result", IndicatorUnit.Solutions,
            "The jointly developed solutions recorded as taken up or up-scaled at the final evaluation of completed cases (asked from version 4 of the definition)."),
    ];

    public static IndicatorDefinition? Find(string? code) =>
        All.FirstOrDefault(i => string.Equals(i.Code, code, StringComparison.OrdinalIgnoreCase));
}

/// <summary>How indicator figures are broken down: each counted case belongs to its region, its region's country, its S3 areas and the year it was counted.</summary>
public enum IndicatorDimension
{
    Region,
    Country,
    S3Area,
    Year,
}

/// <summary>Which cases count: the case's region, its region's country, one of its S3 areas, and the date it was counted (inclusive).</summary>
/// <param name="OrganisationId">Only the cases whose broker (owner) belongs to this partner organisation.</param>
public sealed record IndicatorFilter(string? RegionCode = null, string? CountryCode = null, string? S3Area = null, DateOnly? From = null, DateOnly? To = null, Guid? OrganisationId = null)
{
    public static IndicatorFilter All { get; } = new();

    /// <summary>The start of <see cref="From"/> in UTC, for SQL.</summary>
    public DateTimeOffset? FromTime => From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    /// <summary>The start of the day after <see cref="To"/> in UTC (exclusive bound), for SQL.</summary>
    public DateTimeOffset? ToTime => To is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
}

/// <summary>One figure: an indicator's value in a group (the empty group is the total over the filter).</summary>
public sealed record IndicatorValue
{
    public required string Code { get; init; }
    public string Group { get; init; } = "";
    public long Value { get; init; }
}

/// <summary>A case behind a figure: which organisation it counted, and when.</summary>
public sealed record IndicatorCase
{
    public required Guid CaseId { get; init; }
    public required string Reference { get; init; }
    public required string Title { get; init; }
    public required string RegionCode { get; init; }
    public required Guid CompanyId { get; init; }
    public required string CompanyName { get; init; }
    public required string CompanyCountry { get; init; }
    public required string SizeClass { get; init; }
    public DateTimeOffset CountedAt { get; init; }

    /// <summary>What the case adds: 1 organisation, or the number of solutions it recorded.</summary>
    public long Amount { get; init; }
}

/// <summary>Organisations cooperating in signed agreements, by the lead company's country and the partner's country.</summary>
public sealed record CountryPair
{
    public required string LeadCountry { get; init; }
    public required string PartnerCountry { get; init; }

    /// <summary>Distinct partner organisations.</summary>
    public long Partners { get; init; }

    /// <summary>Cases with a signed agreement that have this pair.</summary>
    public long Cases { get; init; }
}

/// <summary>Strategies opened, completed and withdrawn in a year (by the date each happened).</summary>
public sealed record StrategyYear
{
    public required string Year { get; init; }
    public long Opened { get; init; }
    public long Completed { get; init; }
    public long Withdrawn { get; init; }
}

/// <summary>Signed agreements of one type (the joint strategy's agreement type).</summary>
public sealed record AgreementTypeCount
{
    public required string AgreementType { get; init; }
    public long Agreements { get; init; }
}

/// <summary>Days spent in a stage per case (all of the case's step records in the stage), median over cases.</summary>
public sealed record StageDuration
{
    public required string StageKey { get; init; }
    public long Cases { get; init; }
    public double MedianDays { get; init; }
}

/// <summary>The read side of the programme's indicators, computed by SQL on the server.</summary>
public interface IIndicatorQueries
{
    /// <summary>Every indicator's value over <paramref name="filter"/>, as a total (group "") and, when <paramref name="by"/> is given, per group.</summary>
    Task<IReadOnlyList<IndicatorValue>> CountAsync(IndicatorFilter filter, IndicatorDimension? by, CancellationToken cancellationToken = default);

    /// <summary>The counted rows behind one figure (one per case and organisation), latest first.</summary>
    Task<IReadOnlyList<IndicatorCase>> CasesAsync(IndicatorFilter filter, string code, IndicatorDimension? by, string? group, int take, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CountryPair>> CountryPairsAsync(IndicatorFilter filter, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StrategyYear>> StrategiesAsync(IndicatorFilter filter, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AgreementTypeCount>> AgreementTypesAsync(IndicatorFilter filter, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StageDuration>> StageDurationsAsync(IndicatorFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Time in step per definition version and step (see <see cref="StepTime"/>).</summary>
    Task<IReadOnlyList<StepTime>> StepTimesAsync(string definitionKey, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>
/// Time spent in one step of one definition version: completed step records' days (median and 90th percentile),
/// the share of step records with a due date that ended (or still are) past it, and how often the step was entered
/// again in the same case (sent back to it).
/// </summary>
public sealed record StepTime
{
    /// <summary>The version the step record's time began under (a migrated case's earlier steps stay with their version).</summary>
    public int Version { get; init; }
    public required string StepKey { get; init; }
    public long Completed { get; init; }
    public double? MedianDays { get; init; }
    public double? P90Days { get; init; }
    public long WithDue { get; init; }
    public long Overdue { get; init; }
    public long SentBack { get; init; }

    public double? OverdueShare => WithDue == 0 ? null : (double)Overdue / WithDue;
}

/// <summary>Export columns shared by the indicator tables.</summary>
internal static class IndicatorColumns
{
    public static ExportColumn Code { get; } = new("Indicator", ExportColumnKind.Text, "The programme's indicator code, e.g. RCO87.");
    public static ExportColumn Name { get; } = new("Indicator name", ExportColumnKind.Text, "The indicator's name.");
}
