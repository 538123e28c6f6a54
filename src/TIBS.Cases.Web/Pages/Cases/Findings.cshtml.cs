using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>
/// Records a finding of an audit, or answers one: translates the form into <see cref="RecordFinding"/> or
/// <see cref="AnswerFinding"/> and back to the audit's page; a refused or invalid form is shown again with its input.
/// </summary>
internal sealed class FindingsModel(RecordFinding record, AnswerFinding answer) : PageModel
{
    public Guid CaseId { get; private set; }

    public FindingForm Form { get; private set; } = new();

    public IActionResult OnGet(Guid id) => LocalRedirect($"/cases/{id}#findings");

    public async Task<IActionResult> OnPostRecordAsync(Guid id, string? severity, string? strategyStep, string? description, CancellationToken cancellationToken)
    {
        var result = await record.HandleAsync(new RecordFinding.Request(id, severity, strategyStep, description), User.ToActor(), cancellationToken);
        return After(id, result, new FindingForm { Severity = severity, StrategyStep = strategyStep, Description = description });
    }

    public async Task<IActionResult> OnPostAnswerAsync(Guid id, int number, string? response, CancellationToken cancellationToken)
    {
        var result = await answer.HandleAsync(new AnswerFinding.Request(id, number, response), User.ToActor(), cancellationToken);
        return After(id, result, new FindingForm { Number = number, Response = response });
    }

    private IActionResult After(Guid id, CaseCommandResult result, FindingForm form)
    {
        switch (result.Status)
        {
            case CaseCommandStatus.Done:
                TempData["Flash"] = result.Message;
                return LocalRedirect($"/cases/{id}#findings");
            case CaseCommandStatus.NotFound when result.Case is null:
                return NotFound();
            case CaseCommandStatus.Forbidden:
                return Forbid();
            default:
                CaseId = id;
                Response.StatusCode = result.Status == CaseCommandStatus.InvalidForm ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
                Form = form with
                {
                    Message = result.Message,
                    Errors = result.FieldErrors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message),
                };
                return Page();
        }
    }
}
