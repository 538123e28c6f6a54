using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Training;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Coordination.Training;

/// <summary>One broker's training, and the form that records a completion with its certificate.</summary>
internal sealed class BrokerModel(GetBrokerTraining getTraining, RecordTrainingCompletion record) : PageModel
{
    [BindProperty]
    public Guid? ModuleId { get; set; }

    [BindProperty]
    public string? CompletedOn { get; set; }

    [BindProperty]
    public string? Trainer { get; set; }

    public GetBrokerTraining.Result? Training { get; private set; }

    public string? ErrorMessage { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        Training = await getTraining.HandleAsync(id, User.ToActor(), cancellationToken);
        return Training is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, IFormFile? certificate, CancellationToken cancellationToken)
    {
        var upload = certificate is null ? null : new UploadedFile(null, certificate.FileName, certificate.Length, certificate.OpenReadStream);
        var result = await record.HandleAsync(new RecordTrainingCompletion.Request(id, ModuleId, CompletedOn, Trainer, upload), User.ToActor(), cancellationToken);
        switch (result.Status)
        {
            case TrainingStatus.Done:
                TempData["Flash"] = result.Message;
                return Redirect($"/coordination/training/brokers/{id}");
            case TrainingStatus.Forbidden:
                return Forbid();
            case TrainingStatus.NotFound:
                return NotFound();
        }

        foreach (var error in result.FieldErrors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }

        ErrorMessage = result.Message;
        Training = await getTraining.HandleAsync(id, User.ToActor(), cancellationToken);
        Response.StatusCode = FormStatus.Of(result.Status);
        return Training is null ? NotFound() : Page();
    }
}
