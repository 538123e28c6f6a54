using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>
/// The structured editor of one step of a definition's draft: plain form fields for the step's name, role, description,
/// due, timers, reminders and outcomes' labels. Saving goes through <see cref="EditDefinitionStep"/>; this page only
/// translates the form.
/// </summary>
[RequestFormLimits(ValueCountLimit = 400, ValueLengthLimit = 16 * 1024)]
public sealed class EditStepModel(EditDefinitionStep edit) : PageModel
{
    public const string SavedKey = "step-saved";

    public sealed class TimerInput
    {
        public string? After { get; set; }
        public string? Action { get; set; }
        public string? To { get; set; }
        public string? Outcome { get; set; }
        public string? Reason { get; set; }
        public bool Remove { get; set; }
    }

    public sealed class ReminderInput
    {
        public string? After { get; set; }
        public string? To { get; set; }
        public bool Remove { get; set; }
    }

    public sealed class OutcomeInput
    {
        public string Key { get; set; } = "";
        public string? Label { get; set; }
    }

    [BindProperty(SupportsGet = true)]
    public string Key { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string StepKey { get; set; } = "";

    [BindProperty]
    public Guid? DraftId { get; set; }

    [BindProperty]
    public int? RowVersion { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? Due { get; set; }

    [BindProperty]
    public List<TimerInput> Timers { get; set; } = [];

    [BindProperty]
    public List<ReminderInput> Reminders { get; set; } = [];

    [BindProperty]
    public List<OutcomeInput> Outcomes { get; set; } = [];

    public EditDefinitionStep.Result State { get; private set; } = null!;

    public IReadOnlyList<FieldError> FieldErrors { get; private set; } = [];

    public string? SavedMessage { get; private set; }

    public string? ConflictText { get; private set; }

    /// <summary>The error of <paramref name="field"/> (as the handler names it), or null.</summary>
    public string? ErrorOf(string field) => FieldErrors.FirstOrDefault(e => e.Field == field)?.Message;

    /// <summary>The element id of a field (<c>timers[1].after</c> → <c>timers-1-after</c>).</summary>
    public static string IdOf(string field) => field.Replace("[", "-", StringComparison.Ordinal).Replace("].", "-", StringComparison.Ordinal).Replace('.', '-');

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        State = await edit.ReadAsync(Key, StepKey, User.ToActor(), cancellationToken);
        if (State.Step is null)
        {
            return State.Status == CaseCommandStatus.InvalidForm ? Page() : NotFound();
        }

        Show(State.Step);
        SavedMessage = TempData[SavedKey] as string;
        return Page();
    }

    /// <summary>Shows the form again with one more empty timer and reminder row; nothing is saved.</summary>
    public async Task<IActionResult> OnPostAddRowsAsync(CancellationToken cancellationToken)
    {
        State = await edit.ReadAsync(Key, StepKey, User.ToActor(), cancellationToken);
        if (State.Step is null)
        {
            return NotFound();
        }

        Timers.Add(new TimerInput());
        Reminders.Add(new ReminderInput());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var request = new EditDefinitionStep.Request(
            Key, StepKey, DraftId, RowVersion, Name, Role, Description, Due,
            [.. Timers.Select(t => new EditDefinitionStep.TimerRow(t.After, t.Action, t.To, t.Outcome, t.Reason, t.Remove))],
            [.. Reminders.Select(r => new EditDefinitionStep.ReminderRow(r.After, r.To, r.Remove))],
            [.. Outcomes.Select(o => new EditDefinitionStep.OutcomeLabel(o.Key, o.Label))]);
        State = await edit.HandleAsync(request, User.ToActor(), cancellationToken);
        switch (State.Status)
        {
            case CaseCommandStatus.Done:
                TempData[SavedKey] = State.Message;
                return Redirect($"/definitions/{Uri.EscapeDataString(Key)}/draft/steps/{Uri.EscapeDataString(State.Step!.Key)}");
            case CaseCommandStatus.InvalidForm when State.Step is not null:
                FieldErrors = State.FieldErrors;
                return Page();
            case CaseCommandStatus.Conflict:
                ConflictText = State.Message;
                var stored = await edit.ReadAsync(Key, StepKey, User.ToActor(), cancellationToken);
                State = stored;
                DraftId = stored.Draft?.Id;
                RowVersion = stored.Draft?.RowVersion;
                return stored.Step is null ? NotFound() : Page();
            case CaseCommandStatus.InvalidForm:
                return Page();
            default:
                return NotFound();
        }
    }

    private void Show(StepDefinition step)
    {
        DraftId = State.Draft?.Id;
        RowVersion = State.Draft?.RowVersion;
        Name = step.Name;
        Role = step.Role;
        Description = step.Description;
        Due = step.Due;
        Timers = [.. step.Timers.Select(t => new TimerInput { After = t.After, Action = t.Action, To = t.To, Outcome = t.Outcome, Reason = t.Reason }), new TimerInput()];
        Reminders = [.. step.Reminders.Select(r => new ReminderInput { After = r.After, To = r.To }), new ReminderInput()];
        Outcomes = [.. step.Outcomes.Select(o => new OutcomeInput { Key = o.Key, Label = o.Label })];
    }
}
