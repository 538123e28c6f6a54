using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>Opens a case for an SME of the broker's region on the published definition (<see cref="OpenCase"/>).</summary>
internal sealed class NewModel(NewCaseForm form, OpenCase openCase) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Company { get; set; }
    [BindProperty] public string? Title { get; set; }

    public IReadOnlyList<CompanySummary> Candidates { get; private set; } = [];
    public string? CompanyError { get; private set; }
    public string? TitleError { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Forbid();
        }

        RefusalMessage = await form.RefusalAsync(User.ToActor(), cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Forbid();
        }

        var result = await openCase.HandleAsync(new OpenCase.Request(Company, Title), User.ToActor(), cancellationToken);
        switch (result.Status)
        {
            case CaseCommandStatus.Done:
                TempData["Flash"] = result.Message;
                return Redirect($"/cases/{result.Case!.Id}");
            case CaseCommandStatus.Forbidden:
                // Said in words (an uncertified broker may not open cases); the input is kept.
                RefusalMessage = result.Message;
                return Page();
        }

        TitleError = result.FieldErrors.FirstOrDefault(e => e.Field == "title")?.Message;
        CompanyError = result.FieldErrors.FirstOrDefault(e => e.Field == "company")?.Message ?? (TitleError is null ? result.Message : null);
        return Page();
    }

    /// <summary>Why the case could not be opened at all (not a field's problem).</summary>
    public string? RefusalMessage { get; private set; }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var candidates = await form.HandleAsync(new NewCaseForm.Request(), User.ToActor(), cancellationToken);
        Candidates = candidates ?? [];
        return candidates is not null;
    }
}
