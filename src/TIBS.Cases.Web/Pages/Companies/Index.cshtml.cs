using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>The registry: text search and filters, 25 companies a page in name order (the alphabet of the user's language), keyset paging with an "after" cursor.</summary>
internal sealed class IndexModel(SearchCompanies search, CompanyFormOptions options) : PageModel
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
        var actor = User.ToActor();
        var result = await search.HandleAsync(new SearchCompanies.Request(Text, Country, Region, S3, Nace, Size, After), actor, cancellationToken);
        if (result is null || await options.HandleAsync(actor, cancellationToken) is not { } choices)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        (Regions, NaceSections, S3Areas) = (choices.Regions, choices.NaceSections, choices.S3Areas);
        (Results, FilterErrors, IsFirstPage, IsFiltered) = (result.Items, result.FilterErrors, result.IsFirstPage, result.FilterErrors.Count == 0 && result.IsFiltered);
        if (result.NextCursor is { } next)
        {
            NextPageUrl = QueryUrl(next);
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
}

internal static class QueryStringExtensions
{
    public static QueryString AddIf(this QueryString query, string name, string? value) =>
        string.IsNullOrWhiteSpace(value) ? query : query.Add(name, value.Trim());
}
