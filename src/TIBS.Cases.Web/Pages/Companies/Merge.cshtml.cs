using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Companies.Merge;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>
/// Merging a duplicate into this company (coordinators): find the duplicate, review both side by side, merge through
/// <see cref="MergeCompanies"/> with the versions shown (a change meanwhile is reported, nothing is overwritten).
/// </summary>
internal sealed class MergeModel(GetCompany get, SearchCompanies search, MergeCompanies merge) : PageModel
{
    public Company Survivor { get; private set; } = null!;

    public Company? Duplicate { get; private set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Text { get; set; }

    [BindProperty(SupportsGet = true, Name = "duplicate")]
    public Guid? DuplicateId { get; set; }

    [BindProperty]
    public int SurvivorVersion { get; set; }

    [BindProperty]
    public int DuplicateVersion { get; set; }

    public IReadOnlyList<CompanySummary> Candidates { get; private set; } = [];

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!CompanyAccess.CanMerge(User.ToActor()))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        return await LoadAsync(id, cancellationToken) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (DuplicateId is not { } duplicate)
        {
            return Redirect($"/companies/{id}/merge");
        }

        var result = await merge.HandleAsync(new MergeCompanies.Request(id, duplicate, SurvivorVersion, DuplicateVersion), User.ToActor(), cancellationToken);
        switch (result.Status)
        {
            case CaseCommandStatus.Done:
                TempData["Flash"] = result.Message;
                return Redirect($"/companies/{id}");
            case CaseCommandStatus.Forbidden:
                return StatusCode(StatusCodes.Status403Forbidden);
            default:
                Problem = result.Message;
                return await LoadAsync(id, cancellationToken) ?? Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var survivor = await get.HandleAsync(new GetCompany.Request(id), actor, cancellationToken);
        if (survivor.View is not { } view)
        {
            return survivor.Status == CaseCommandStatus.NotFound ? NotFound() : StatusCode(StatusCodes.Status403Forbidden);
        }

        if (view.ReachedThrough is not null)
        {
            return Redirect($"/companies/{view.Company.Id}/merge");
        }

        Survivor = view.Company;
        SurvivorVersion = Survivor.Version;
        if (DuplicateId is { } duplicateId && duplicateId != id
            && await get.HandleAsync(new GetCompany.Request(duplicateId), actor, cancellationToken) is { View: { ReachedThrough: null } other })
        {
            Duplicate = other.Company;
            DuplicateVersion = Duplicate.Version;
            return null;
        }

        var found = await search.HandleAsync(new SearchCompanies.Request(Text: Text, Country: Survivor.CountryCode, PageSize: 50), actor, cancellationToken);
        Candidates = [.. (found?.Items ?? []).Where(c => c.Id != id)];
        return null;
    }
}
