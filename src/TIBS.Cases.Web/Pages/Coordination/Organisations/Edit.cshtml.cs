using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Coordination.Organisations;

/// <summary>
/// One organisation: edit it (the form carries the version it was opened at; a concurrent edit is reported with the
/// saved values and the input kept), archive or bring it back, delete it when no user belongs to it.
/// </summary>
[Authorize(Policy = Policies.Organisations)]
internal sealed class EditModel(GetOrganisation get, EditOrganisation edit, ArchiveOrganisation archive, DeleteOrganisation delete) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public int Version { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? CountryCode { get; set; }
    [BindProperty] public string? WebAddress { get; set; }

    /// <summary>The organisation as saved now.</summary>
    public OrganisationSummary? Saved { get; private set; }

    public string? ErrorMessage { get; private set; }

    /// <summary>Someone else saved the organisation since the form was opened: the page shows the saved values beside the input.</summary>
    public bool Conflicted { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var o = Saved!.Organisation;
        (Name, Kind, CountryCode, WebAddress) = (o.Name, o.Kind, o.CountryCode, o.WebAddress);
        return Page();
    }

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) =>
        AnswerAsync(edit.HandleAsync(new EditOrganisation.Request(Id, Version, Name, Kind, CountryCode, WebAddress), User.ToActor(), cancellationToken), "/coordination/organisations", keepInput: true, cancellationToken);

    public Task<IActionResult> OnPostArchiveAsync(CancellationToken cancellationToken) =>
        AnswerAsync(archive.HandleAsync(new ArchiveOrganisation.Request(Id, Version, Archived: true), User.ToActor(), cancellationToken), null, keepInput: false, cancellationToken);

    public Task<IActionResult> OnPostRestoreAsync(CancellationToken cancellationToken) =>
        AnswerAsync(archive.HandleAsync(new ArchiveOrganisation.Request(Id, Version, Archived: false), User.ToActor(), cancellationToken), null, keepInput: false, cancellationToken);

    public Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken) =>
        AnswerAsync(delete.HandleAsync(new DeleteOrganisation.Request(Id, Version), User.ToActor(), cancellationToken), "/coordination/organisations", keepInput: false, cancellationToken);

    private async Task<IActionResult> AnswerAsync(Task<CaseCommandResult> command, string? next, bool keepInput, CancellationToken cancellationToken)
    {
        var result = await command;
        switch (result.Status)
        {
            case CaseCommandStatus.NotFound:
                return NotFound();
            case CaseCommandStatus.Forbidden:
                return Forbid();
            case CaseCommandStatus.Done:
                TempData["Flash"] = result.Message;
                return next is null ? RedirectToPage(new { Id }) : Redirect(next);
        }

        foreach (var error in result.FieldErrors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }

        ErrorMessage = result.Message;
        Conflicted = result.Status == CaseCommandStatus.Conflict;
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (!keepInput)
        {
            var o = Saved!.Organisation;
            (Name, Kind, CountryCode, WebAddress) = (o.Name, o.Kind, o.CountryCode, o.WebAddress);
        }

        if (Conflicted)
        {
            // The next save starts from what is saved now: the person has seen it.
            Version = Saved!.Organisation.Version;
        }

        Response.StatusCode = FormStatus.Of(result.Status);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Saved = await get.HandleAsync(new GetOrganisation.Request(Id), User.ToActor(), cancellationToken);
        if (Saved is not null && Version == 0)
        {
            Version = Saved.Organisation.Version;
        }

        return Saved is not null;
    }
}
