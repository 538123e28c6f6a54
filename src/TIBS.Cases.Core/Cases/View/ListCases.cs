using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// The case list: the cases the reader may read (the search applies <see cref="CaseAccess"/>'s rules), filtered, newest
/// first, one page at a time, with the choices its filters offer.
/// </summary>
public sealed class ListCases(ICaseQueries queries, WorkflowCatalog catalog, IReferenceDataStore reference, IUserStore users, IOrganisationStore organisations, TimeProvider time)
{
    public const int PageSize = 25;

    /// <summary>The most cases a page may have when the reader asks for a size (<see cref="Request.Limit"/>).</summary>
    public const int MaxPageSize = 100;

    /// <param name="Filter">What to look for; <see cref="CaseFilter.Take"/> is set here.</param>
    /// <param name="Limit">Cases per page, 1 to <see cref="MaxPageSize"/>; <see cref="PageSize"/> when null.</param>
    public sealed record Request(CaseFilter Filter, int? Limit = null);

    public async Task<CaseList> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        WorkflowPlan? plan;
        try
        {
            var published = await catalog.GetPublishedAsync(OpenCase.DefaultDefinitionKey, cancellationToken);
            plan = await catalog.GetDisplayPlanAsync(published.Version.Id, cancellationToken: cancellationToken);
        }
        catch (InvalidOperationException)
        {
            plan = null;
        }

        var list = new CaseList
        {
            Plan = plan,
            Regions = await reference.RegionsAsync(cancellationToken),
            Brokers = [.. (await users.ListInRoleAsync(Roles.Broker, activeOnly: false, cancellationToken: cancellationToken)).Select(u => new Choice(u.Id.ToString(), $"{u.DisplayName} ({string.Join(", ", u.CoveredRegions)})"))],
            Organisations = [.. (await organisations.ListAsync(cancellationToken)).Select(s => new Choice(s.Organisation.Id.ToString(), s.Organisation.Label))],
            Now = now,
        };
        var pageSize = Math.Clamp(request.Limit ?? PageSize, 1, MaxPageSize);
        var filter = request.Filter with { Take = pageSize + 1 };
        if (filter.Problems() is { Count: > 0 } problems)
        {
            return list with { FilterErrors = problems };
        }

        var items = await queries.SearchAsync(filter, actor, now, cancellationToken);
        return list with
        {
            Items = [.. items.Take(pageSize)],
            Next = items.Count > pageSize ? items[pageSize - 1] : null,
        };
    }
}

/// <summary>One page of the case list and what its filters offer.</summary>
public sealed record CaseList
{
    public IReadOnlyList<CaseListItem> Items { get; init; } = [];

    /// <summary>The last item shown when there are more: the next page starts after it.</summary>
    public CaseListItem? Next { get; init; }

    /// <summary>Filters that cannot be searched for (too long, a forbidden character); nothing is searched then.</summary>
    public IReadOnlyList<FieldError> FilterErrors { get; init; } = [];

    /// <summary>The published definition, for the stage and step filters; null before one is published.</summary>
    public WorkflowPlan? Plan { get; init; }

    public IReadOnlyList<Region> Regions { get; init; } = [];

    public IReadOnlyList<Choice> Brokers { get; init; } = [];

    /// <summary>The partner organisations, for the "Organisation" filter (cases whose owner belongs to it).</summary>
    public IReadOnlyList<Choice> Organisations { get; init; } = [];

    public DateTimeOffset Now { get; init; }
}
