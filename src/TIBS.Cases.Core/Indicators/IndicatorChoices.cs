using System.Globalization;
using TIBS.Cases.Core.Display;
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

    /// <summary>The breakdowns offered, by their value in the address.</summary>
    public static IReadOnlyList<ProgrammeIndicators.Option> Breakdowns { get; } =
    [
        new("region", "Region"),
        new("country", "Country"),
        new("s3-area", "S3 area"),
        new("year", "Year"),
    ];

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
            errors.Add(new FieldError("region", $"There is no region with the code “{region}”: choose one from the list."));
        }

        string? country = Blank(input.Country)?.ToUpperInvariant();
        if (country is not null && !Countries.Any(c => c.Value == country))
        {
            errors.Add(new FieldError("country", $"“{input.Country}” is not the country of any TIBS region: choose one from the list."));
        }

        string? s3 = Blank(input.S3Area);
        if (s3 is not null && !S3Areas.Any(a => a.Code == s3))
        {
            errors.Add(new FieldError("s3", $"There is no S3 area “{s3}”: choose one from the list."));
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
                errors.Add(new FieldError("organisation", "There is no such partner organisation: choose one from the list."));
            }
        }

        var from = Date(input.From, "from", "The start of the period", errors);
        var to = Date(input.To, "to", "The end of the period", errors);
        if (from is { } f && to is { } t && f > t)
        {
            errors.Add(new FieldError("to", $"The end of the period ({t:yyyy-MM-dd}) is before its start ({f:yyyy-MM-dd}): swap them or change one."));
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
        errors.Add(new FieldError("by", $"“{value}” is not a breakdown: choose region, country, S3 area or year."));
        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateOnly? Date(string? value, string field, string what, List<FieldError> errors)
    {
        if (Blank(value) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year is >= 2000 and <= 2100)
        {
            return date;
        }

        errors.Add(new FieldError(field, $"{what} “{text}” is not a date between 2000 and 2100 written as year-month-day, e.g. 2026-01-31."));
        return null;
    }
}
