using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>Opens a case for an SME of the broker's region on the published definition.</summary>
public sealed class NewModel(CaseService cases, ICompanyStore companies) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Company { get; set; }
    [BindProperty] public string? Title { get; set; }

    public IReadOnlyList<CompanySummary> Candidates { get; private set; } = [];
    public string? CompanyError { get; private set; }
    public string? TitleError { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (User.ToActor().Role != Roles.Broker)
        {
            return Forbid();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        if (actor.Role != Roles.Broker)
        {
            return Forbid();
        }

        await LoadAsync(cancellationToken);
        var company = Company is { } id ? Candidates.FirstOrDefault(c => c.Id == id) : null;
        if (company is null)
        {
            CompanyError = Company is null ? "Choose the lead company." : "Cases are opened by the broker of the lead company's region; choose a company of your region.";
        }

        if (Title is { Length: > 300 })
        {
            TitleError = $"The title may have at most 300 characters (it has {Title.Length}).";
        }

        if (CompanyError is not null || TitleError is not null)
        {
            return Page();
        }

        var result = await cases.OpenCaseAsync(company!.Id, Title, actor, cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            CompanyError = result.Message;
            return Page();
        }

        TempData["Flash"] = result.Message;
        return Redirect($"/cases/{result.Case!.Id}");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var region = User.ToActor().RegionCode ?? "";
        var all = new List<CompanySummary>();
        CompanyCursor? after = null;
        do
        {
            var page = await companies.SearchAsync(new CompanySearch { RegionCode = region, After = after, PageSize = 200 }, cancellationToken);
            all.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null && all.Count < 2000);
        Candidates = all;
    }
}
