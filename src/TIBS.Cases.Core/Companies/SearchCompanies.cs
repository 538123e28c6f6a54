using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Companies;

/// <summary>
/// Query: the company list. Text search and filters (every one optional), in name order, a page at a time with an
/// opaque cursor; a damaged cursor starts from the beginning. Names are sorted in the alphabet of the user's language
/// (<see cref="NameOrder.Current"/>); a cursor continues in the order its first page was sorted in, so that paging on
/// shows each company once even when the language changes in between. Brokers and coordinators may search; others get null.
/// </summary>
public sealed class SearchCompanies(ICompanyStore companies)
{
    /// <param name="After">The cursor of the previous page's <see cref="Result.NextCursor"/>; null for the first page.</param>
    public sealed record Request(
        string? Text = null, string? Country = null, string? Region = null, string? S3 = null, string? Nace = null, string? Size = null, string? After = null,
        int PageSize = CompanySearch.DefaultPageSize);

    /// <param name="FilterErrors">Filters that cannot be searched for (too long, a forbidden character), keyed by query name; nothing is searched then.</param>
    public sealed record Result(IReadOnlyList<CompanySummary> Items, string? NextCursor, bool IsFirstPage, bool IsFiltered, IReadOnlyList<FieldError> FilterErrors);

    public async Task<Result?> HandleAsync(Request request, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!CompanyAccess.CanRead(actor))
        {
            return null;
        }

        var cursor = CompanyCursor.Decode(request.After);
        var search = new CompanySearch
        {
            Text = Clean(request.Text),
            CountryCode = Clean(request.Country),
            RegionCode = Clean(request.Region),
            S3Area = Clean(request.S3),
            NaceSection = Clean(request.Nace),
            SizeClass = Clean(request.Size),
            After = cursor,
            Order = cursor?.Order ?? NameOrder.Current,
            PageSize = Math.Clamp(request.PageSize, 1, 100),
        };
        var problems = search.Problems();
        if (problems.Count > 0)
        {
            return new Result([], null, cursor is null, true, problems);
        }

        var filtered = search.Text is not null || search.CountryCode is not null || search.RegionCode is not null || search.S3Area is not null
            || search.NaceSection is not null || search.SizeClass is not null;
        var page = await companies.SearchAsync(search, ct);
        return new Result(page.Items, page.Next?.Encode(), cursor is null, filtered, []);
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
