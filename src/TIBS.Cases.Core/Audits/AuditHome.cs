using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Audits;

/// <summary>
/// The evaluators' home: completed strategies with filters (region, lead company's country, period closed, S3 area
/// of the lead company, definition version, audited or not, conclusion), newest closed first, one page at a time
/// (keyset); the audits in progress; and the findings still open per region. Filters arrive as typed text; a value
/// that is not one of the choices is named in words and nothing is searched.
/// </summary>
public sealed class AuditHome(IAuditStore audits, IReferenceDataStore reference, IWorkflowStore workflows)
{
    public const int PageSize = 25;

    public sealed record Request
    {
        public string? Region { get; init; }
        public string? Country { get; init; }
        public string? From { get; init; }
        public string? To { get; init; }
        public string? S3Area { get; init; }
        public string? Version { get; init; }
        public string? Audited { get; init; }
        public string? Conclusion { get; init; }
        public string? After { get; init; }
        public int? Limit { get; init; }
    }

    public async Task<AuditHomeView?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role is not (WorkflowRole.Evaluator or WorkflowRole.Coordinator))
        {
            return null;
        }

        var regions = await reference.RegionsAsync(cancellationToken);
        var s3 = await reference.S3AreasAsync(cancellationToken);
        var versions = (await workflows.ListVersionsAsync(OpenCase.DefaultDefinitionKey, cancellationToken)).Where(v => v.PublishedAt is not null).OrderBy(v => v.Number).ToList();
        var view = new AuditHomeView
        {
            Regions = [.. regions.Select(r => new Choice(r.Code, r.Name))],
            Countries = [.. regions.Select(r => r.CountryCode).Distinct(StringComparer.Ordinal).Select(c => new Choice(c, ReferenceLabels.Country(c))).OrderBy(c => c.Label, StringComparer.CurrentCulture)],
            S3Areas = [.. s3.Select(a => new Choice(a.Code, a.Name))],
            Versions = [.. versions.Select(v => new Choice(v.Number.ToString(CultureInfo.InvariantCulture), Localized.Format("Version {0}", v.Number)))],
            Conclusions = [.. AuditDefinition.Conclusions.Select(c => new Choice(c.Key, Localized.Text(c.Label)))],
            InProgress = await audits.GetAuditsInProgressAsync(50, cancellationToken),
            OpenFindings = await audits.GetOpenFindingsPerRegionAsync(cancellationToken),
            RegionNames = regions.ToDictionary(r => r.Code, r => r.Name, StringComparer.Ordinal),
        };

        var errors = new List<FieldError>();
        string? Pick(string? value, IReadOnlyList<Choice> choices, string field, Func<string, string> message)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (choices.Any(c => c.Value == value.Trim()))
            {
                return value.Trim();
            }

            errors.Add(new FieldError(field, message(Shorten(value))));
            return null;
        }

        DateOnly? Day(string? value, string field, Func<string, string> message)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return day;
            }

            errors.Add(new FieldError(field, message(Shorten(value))));
            return null;
        }

        var version = Pick(request.Version, view.Versions, "version", v => Localized.Format("'{0}' is not a definition version of the list; choose one or leave it empty.", v));
        var filter = new StrategyFilter
        {
            Region = Pick(request.Region, view.Regions, "region", v => Localized.Format("'{0}' is not a region of the list; choose one or leave it empty.", v)),
            Country = Pick(request.Country, view.Countries, "country", v => Localized.Format("'{0}' is not a country of the list; choose one or leave it empty.", v)),
            ClosedFrom = Day(request.From, "from", v => Localized.Format("The first day '{0}' is not a date; write it as 2026-03-31.", v)),
            ClosedTo = Day(request.To, "to", v => Localized.Format("The last day '{0}' is not a date; write it as 2026-03-31.", v)),
            S3Area = Pick(request.S3Area, view.S3Areas, "s3", v => Localized.Format("'{0}' is not an S3 area of the list; choose one or leave it empty.", v)),
            DefinitionVersionId = version is null ? null : versions.First(v => v.Number.ToString(CultureInfo.InvariantCulture) == version).Id,
            Audited = Pick(request.Audited, [new("yes", ""), new("no", "")], "audited", v => Localized.Format("'{0}' is not a choice of the list; choose one or leave it empty.", v)) switch { "yes" => true, "no" => false, _ => null },
            Conclusion = Pick(request.Conclusion, view.Conclusions, "conclusion", v => Localized.Format("'{0}' is not a conclusion of the list; choose one or leave it empty.", v)),
            After = ParseCursor(request.After),
        };
        if (filter.ClosedFrom is { } f && filter.ClosedTo is { } t && t < f)
        {
            errors.Add(new FieldError("to", Localized.Text("The last day is before the first day.")));
        }

        if (errors.Count > 0)
        {
            return view with { FilterErrors = errors };
        }

        var pageSize = Math.Clamp(request.Limit ?? PageSize, 1, 100);
        var rows = await audits.SearchCompletedStrategiesAsync(filter with { Take = pageSize + 1 }, cancellationToken);
        return view with
        {
            Strategies = [.. rows.Take(pageSize)],
            Next = rows.Count > pageSize ? FormatCursor(rows[pageSize - 1]) : null,
        };
    }

    public static string FormatCursor(CompletedStrategy last)
    {
        ArgumentNullException.ThrowIfNull(last);
        return string.Create(CultureInfo.InvariantCulture, $"{last.ClosedAt.UtcTicks}_{last.Id:N}");
    }

    private static (DateTimeOffset, Guid)? ParseCursor(string? cursor)
    {
        var parts = cursor?.Split('_');
        return parts is { Length: 2 } && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && Guid.TryParse(parts[1], out var id)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? (new DateTimeOffset(ticks, TimeSpan.Zero), id)
            : null;
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
}

/// <summary>The evaluators' home (see <see cref="AuditHome"/>).</summary>
public sealed record AuditHomeView
{
    public IReadOnlyList<CompletedStrategy> Strategies { get; init; } = [];

    /// <summary>The cursor of the next page, or null on the last.</summary>
    public string? Next { get; init; }

    public IReadOnlyList<FieldError> FilterErrors { get; init; } = [];

    public IReadOnlyList<AuditSummary> InProgress { get; init; } = [];

    public IReadOnlyList<OpenFindingsOfRegion> OpenFindings { get; init; } = [];

    public IReadOnlyList<Choice> Regions { get; init; } = [];

    public IReadOnlyList<Choice> Countries { get; init; } = [];

    public IReadOnlyList<Choice> S3Areas { get; init; } = [];

    public IReadOnlyList<Choice> Versions { get; init; } = [];

    public IReadOnlyList<Choice> Conclusions { get; init; } = [];

    public IReadOnlyDictionary<string, string> RegionNames { get; init; } = new Dictionary<string, string>();

    public string RegionName(string code) => RegionNames.GetValueOrDefault(code) ?? code;
}
