using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>The registry: text search and filters, 25 companies a page in name order, keyset paging with an "after" cursor.</summary>
public sealed class IndexModel(ICompanyStore companies, IReferenceDataStore reference) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Text { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Country { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Region { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? S3 { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Nace { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Size { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    public IReadOnlyList<CompanySummary> Results { get; private set; } = [];

    /// <summary>Filters that cannot be searched for (too long, a forbidden character); nothing is searched then.</summary>
    public IReadOnlyList<TIBS.Cases.Workflows.Forms.FieldError> FilterErrors { get; private set; } = [];

    public string? NextPageUrl { get; private set; }

    public bool IsFirstPage { get; private set; } = true;

    public bool IsFiltered { get; private set; }

    public IReadOnlyList<Region> Regions { get; private set; } = [];

    public IReadOnlyList<NaceSection> NaceSections { get; private set; } = [];

    public IReadOnlyList<S3Area> S3Areas { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!CompanyAccess.CanRead(User.ToActor()))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Regions = await reference.RegionsAsync(cancellationToken);
        NaceSections = await reference.NaceSectionsAsync(cancellationToken);
        S3Areas = await reference.S3AreasAsync(cancellationToken);
        var cursor = CompanyCursor.Decode(After);
        IsFirstPage = cursor is null;
        var search = new CompanySearch
        {
            Text = Clean(Text),
            CountryCode = Clean(Country),
            RegionCode = Clean(Region),
            S3Area = Clean(S3),
            NaceSection = Clean(Nace),
            SizeClass = Clean(Size),
            After = cursor,
        };
        FilterErrors = search.Problems();
        if (FilterErrors.Count > 0)
        {
            return Page();
        }

        IsFiltered = search.Text is not null || search.CountryCode is not null || search.RegionCode is not null || search.S3Area is not null
            || search.NaceSection is not null || search.SizeClass is not null;
        var page = await companies.SearchAsync(search, cancellationToken);
        Results = page.Items;
        if (page.Next is { } next)
        {
            NextPageUrl = QueryUrl(next.Encode());
        }

        return Page();
    }

    public string RegionName(string code) => Regions.FirstOrDefault(r => r.Code == code)?.Name ?? code;

    /// <summary>This search with another cursor (null: the first page).</summary>
    public string QueryUrl(string? after)
    {
        var query = new QueryString()
            .AddIf("q", Text).AddIf("country", Country).AddIf("region", Region).AddIf("s3", S3).AddIf("nace", Nace).AddIf("size", Size).AddIf("after", after);
        return "/companies" + query.ToUriComponent();
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

internal static class QueryStringExtensions
{
    public static QueryString AddIf(this QueryString query, string name, string? value) =>
        string.IsNullOrWhiteSpace(value) ? query : query.Add(name, value.Trim());
}
