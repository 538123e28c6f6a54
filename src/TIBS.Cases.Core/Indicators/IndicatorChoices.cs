using System.Globalization;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Indicators;

/// <summary>What the indicator filters offer (regions, countries of the regions, S3 areas, organisations, breakdowns) and how typed input becomes a filter.</summary>
public sealed class IndicatorChoices
{
    private IndicatorChoices(IReadOnlyList<Region> regions, IReadOnlyList<S3Area> s3Areas, IReadOnlyList<Organisation> organisations)
    {
        Regions = regions;
        S3Areas = s3Areas;
        Organisations = organisations;
        Countries = [.. regions.Select(r => r.CountryCode).Distinct(StringComparer.Ordinal).Select(c => new ProgrammeIndicators.Option(c, TIBS.Cases.Core.Display.Countries.Name(c))).OrderBy(o => o.Label, StringComparer.CurrentCulture)];
    }

    public static IndicatorChoices None { get; } = new([], [], []);

    /// <summary>The partner organisations (archived ones too: their cases still count).</summary>
    public IReadOnlyList<Organisation> Organisations { get; }

    public IReadOnlyList<Region> Regions { get; }

    public IReadOnlyList<S3Area> S3Areas { get; }

    public IReadOnlyList<ProgrammeIndicators.Option> Countries { get; }

    private static readonly ProgrammeIndicators.Option[] EnglishBreakdowns =
    [
        new("region", "Region"),
        new("country", "Country"),
        new("s3-area", "S3 area"),
        new("year", "Year"),
    ];

    /// <summary>The breakdowns offered, by their value in the address, named in the reader's language.</summary>
    public static IReadOnlyList<ProgrammeIndicators.Option> Breakdowns => [.. EnglishBreakdowns.Select(b => b with { Label = Localized.Text(b.Label) })];

    /// <summary>The breakdown's name in English, as the exports write it; null for none.</summary>
    public static string? EnglishBreakdown(IndicatorDimension? by) => EnglishBreakdowns.FirstOrDefault(b => b.Value == DimensionValue(by))?.Label;

    public static async Task<IndicatorChoices> LoadAsync(IReferenceDataStore reference, IOrganisationStore organisations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(organisations);
        var regions = await reference.RegionsAsync(cancellationToken);
        return new IndicatorChoices(
            [.. regions.OrderBy(r => r.SortOrder).ThenBy(r => r.Name, StringComparer.Ordinal)],
            [.. (await reference.S3AreasAsync(cancellationToken)).OrderBy(a => a.SortOrder).ThenBy(a => a.Name, StringComparer.Ordinal)],
            [.. (await organisations.ListAsync(cancellationToken)).Select(s => s.Organisation)]);
    }

    public static string DimensionValue(IndicatorDimension? by) => by switch
    {
        IndicatorDimension.Region => "region",
        IndicatorDimension.Country => "country",
        IndicatorDimension.S3Area => "s3-area",
        IndicatorDimension.Year => "year",
        _ => "",
    };

    /// <summary>The filter and breakdown of typed input, or what is wrong with each field.</summary>
    public (IndicatorFilter Filter, IndicatorDimension? By, IReadOnlyList<FieldError> Errors) Parse(ProgrammeIndicators.Input input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new List<FieldError>();
        string? region = Blank(input.Region);
        if (region is not null && !Regions.Any(r => r.Code == region))
        {
            errors.Add(new FieldError("region", Localized.Format("There is no region with the code “{0}”: choose one from the list.", region)));
        }

        string? country = Blank(input.Country)?.ToUpperInvariant();
        if (country is not null && !Countries.Any(c => c.Value == country))
        {
            errors.Add(new FieldError("country", Localized.Format("“{0}” is not the country of any TIBS region: choose one from the list.", input.Country)));
        }

        string? s3 = Blank(input.S3Area);
        if (s3 is not null && !S3Areas.Any(a => a.Code == s3))
        {
            errors.Add(new FieldError("s3", Localized.Format("There is no S3 area “{0}”: choose one from the list.", s3)));
        }

        Guid? organisation = null;
        if (Blank(input.Organisation) is { } chosen)
        {
            if (Guid.TryParse(chosen, out var id) && Organisations.Any(o => o.Id == id))
            {
                organisation = id;
            }
            else
            {
                errors.Add(new FieldError("organisation", Localized.Text("There is no such partner organisation: choose one from the list.")));
            }
        }

        var from = Date(input.From, "from", errors);
        var to = Date(input.To, "to", errors);
        if (from is { } f && to is { } t && f > t)
        {
            errors.Add(new FieldError("to", Localized.Format("The end of the period ({0}) is before its start ({1}): swap them or change one.", MessageDates.Short(t), MessageDates.Short(f))));
        }

        IndicatorDimension? by = Blank(input.By) switch
        {
            null => null,
            "region" => IndicatorDimension.Region,
            "country" => IndicatorDimension.Country,
            "s3-area" => IndicatorDimension.S3Area,
            "year" => IndicatorDimension.Year,
            var other => Unknown(other, errors),
        };
        return (new IndicatorFilter(region, country, s3, from, to, organisation), by, errors);
    }

    /// <summary>A group's name in a breakdown.</summary>
    public string GroupLabel(IndicatorDimension? by, string group) => by switch
    {
        IndicatorDimension.Region => Regions.FirstOrDefault(r => r.Code == group)?.Name ?? group,
        IndicatorDimension.Country => TIBS.Cases.Core.Display.Countries.Name(group),
        IndicatorDimension.S3Area => S3Areas.FirstOrDefault(a => a.Code == group)?.Name ?? Words.Humanize(group),
        _ => group,
    };

    private static IndicatorDimension? Unknown(string value, List<FieldError> errors)
    {
        errors.Add(new FieldError("by", Localized.Format("“{0}” is not a breakdown: choose region, country, S3 area or year.", value)));
        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateOnly? Date(string? value, string field, List<FieldError> errors)
    {
        if (Blank(value) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year is >= 2000 and <= 2100)
        {
            return date;
        }

        errors.Add(new FieldError(field, field == "from"
            ? Localized.Format("The start of the period “{0}” is not a date between 2000 and 2100 written as year-month-day, e.g. 2026-01-31.", text)
            : Localized.Format("The end of the period “{0}” is not a date between 2000 and 2100 written as year-month-day, e.g. 2026-01-31.", text)));
        return null;
    }
}
