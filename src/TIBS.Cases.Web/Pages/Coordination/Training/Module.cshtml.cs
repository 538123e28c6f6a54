using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Training;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Coordination.Training;

/// <summary>Adds a training module (no id) or edits one; a concurrent edit is reported with the input kept.</summary>
internal sealed class ModuleModel(ListTrainingModules listModules, SaveTrainingModule saveModule) : PageModel
{
    [BindProperty]
    public int Version { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? ValidityMonths { get; set; }

    [BindProperty]
    public bool RequiredForCertification { get; set; }

    [BindProperty]
    public bool IsActive { get; set; } = true;

    public Guid? Id { get; private set; }

    public string? ErrorMessage { get; private set; }

    /// <summary>The module as it is now, after a concurrent edit.</summary>
    public TrainingModule? Current { get; private set; }

    /// <summary>"new" adds a module; a module's id edits it.</summary>
    private static bool TryParse(string? route, out Guid? id)
    {
        id = null;
        if (route == "new")
        {
            return true;
        }

        if (Guid.TryParse(route, out var parsed))
        {
            id = parsed;
            return true;
        }

        return false;
    }

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken cancellationToken) =>
        TryParse(id, out var moduleId) ? await ShowAsync(moduleId, cancellationToken) : NotFound();

    public async Task<IActionResult> OnPostAsync(string? id, CancellationToken cancellationToken) =>
        TryParse(id, out var moduleId) ? await SaveAsync(moduleId, cancellationToken) : NotFound();

    private async Task<IActionResult> ShowAsync(Guid? id, CancellationToken cancellationToken)
    {
        var modules = await listModules.HandleAsync(User.ToActor(), cancellationToken);
        if (modules is null)
        {
            return Forbid();
        }

        Id = id;
        if (id is not null)
        {
            if (modules.FirstOrDefault(m => m.Id == id) is not { } m)
            {
                return NotFound();
            }

            (Version, Title, Description, ValidityMonths, RequiredForCertification, IsActive) =
                (m.Version, m.Title, m.Description, m.ValidityMonths?.ToString(System.Globalization.CultureInfo.InvariantCulture), m.RequiredForCertification, m.IsActive);
        }

        return Page();
    }

    private async Task<IActionResult> SaveAsync(Guid? id, CancellationToken cancellationToken)
    {
        Id = id;
        var actor = User.ToActor();
        var result = await saveModule.HandleAsync(new SaveTrainingModule.Request(id, Version, Title, Description, ValidityMonths, RequiredForCertification, IsActive), actor, cancellationToken);
        switch (result.Status)
        {
            case TrainingStatus.Done:
                TempData["Flash"] = result.Message;
                return Redirect("/coordination/training");
            case TrainingStatus.Forbidden:
                return Forbid();
            case TrainingStatus.NotFound:
                return NotFound();
            case TrainingStatus.Conflict:
                Current = (await listModules.HandleAsync(actor, cancellationToken))?.FirstOrDefault(m => m.Id == id);
                Version = Current?.Version ?? Version;
                break;
        }

        foreach (var error in result.FieldErrors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }

        ErrorMessage = result.Message;
        Response.StatusCode = FormStatus.Of(result.Status);
        return Page();
    }
}
