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
/// due, timers, reminders, form fields and outcomes with their conditions; adding a step after it and removing it. With
/// JavaScript the YAML and the diagram beside the form follow every change (the Preview handler, which saves nothing).
/// Saving goes through <see cref="EditDefinitionStep"/>, <see cref="AddDefinitionStep"/> and
/// <see cref="RemoveDefinitionStep"/>; this page only translates the form.
/// </summary>
[RequestFormLimits(ValueCountLimit = 2000, ValueLengthLimit = 16 * 1024)]
internal sealed class EditStepModel(EditDefinitionStep edit, AddDefinitionStep addStep, RemoveDefinitionStep removeStep) : PageModel
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

    public sealed class FieldInput
    {
        public string? OriginalKey { get; set; }
        public string? Key { get; set; }
        public string? Label { get; set; }
        public string? Type { get; set; }
        public bool Required { get; set; }
        public string? Help { get; set; }
        public string? Options { get; set; }
        public string? Min { get; set; }
        public string? Max { get; set; }
        public string? Position { get; set; }
        public bool Remove { get; set; }
    }

    public sealed class OutcomeInput
    {
        public string? OriginalKey { get; set; }
        public string? Key { get; set; }
        public string? Label { get; set; }
        public string? To { get; set; }
        public bool RequiresReason { get; set; }
        public bool Remove { get; set; }
        public List<ConditionInput> Conditions { get; set; } = [];
    }

    public sealed class ConditionInput
    {
        public string? Name { get; set; }
        public string? Argument { get; set; }
        public string? Read { get; set; }
        public string? Operator { get; set; }
        public string? Value { get; set; }
        public string? Expression { get; set; }
        public string? Composed { get; set; }
        public string? Unmet { get; set; }
        public bool Remove { get; set; }
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
    public List<FieldInput> Fields { get; set; } = [];

    [BindProperty]
    public List<OutcomeInput> Outcomes { get; set; } = [];

    /// <summary>The step to add after this one.</summary>
    [BindProperty]
    public string? NewStepKey { get; set; }

    [BindProperty]
    public string? NewStepName { get; set; }

    [BindProperty]
    public string? NewStepRole { get; set; }

    /// <summary>What is wrong with the step to add (fields <c>key</c>, <c>name</c>, <c>role</c>).</summary>
    public IReadOnlyList<FieldError> AddStepErrors { get; private set; } = [];

    /// <summary>Why the step cannot be removed (the places that lead to it), or null.</summary>
    public string? RemoveRefusal { get; private set; }

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
        Fields.Add(new FieldInput { Position = (Fields.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Outcomes.ForEach(o => o.Conditions.Add(new ConditionInput()));
        Outcomes.Add(new OutcomeInput { Conditions = [new ConditionInput()] });
        return Page();
    }

    /// <summary>
    /// The draft with the posted form applied, for the live view (its YAML, its diagram when valid, the form's errors by
    /// input, the expression each condition stands for). Nothing is saved.
    /// </summary>
    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        var preview = await edit.PreviewAsync(ToRequest(), User.ToActor(), cancellationToken);
        if (preview.Status is not (CaseCommandStatus.Done or CaseCommandStatus.InvalidForm))
        {
            return NotFound();
        }

        return new JsonResult(new
        {
            message = preview.Message,
            yaml = preview.Yaml,
            diagram = preview.Diagram,
            problems = preview.FieldErrors.Select(e => new { field = e.Field, id = e.Field.Length == 0 ? null : IdOf(e.Field), message = e.Message }),
            expressions = preview.Expressions.ToDictionary(e => IdOf(e.Key), e => e.Value),
        });
    }

    public async Task<IActionResult> OnPostAddStepAsync(CancellationToken cancellationToken)
    {
        var added = await addStep.HandleAsync(new AddDefinitionStep.Request(Key, StepKey, DraftId, RowVersion, NewStepKey, NewStepName, NewStepRole), User.ToActor(), cancellationToken);
        if (added.Status == CaseCommandStatus.Done)
        {
            TempData[SavedKey] = added.Message;
            return Redirect($"/definitions/{Uri.EscapeDataString(Key)}/draft/steps/{Uri.EscapeDataString(added.StepKey!)}");
        }

        return await ShowStoredAsync(added.Status, added.Message, cancellationToken, addErrors: added.FieldErrors);
    }

    public async Task<IActionResult> OnPostRemoveStepAsync(CancellationToken cancellationToken)
    {
        var removed = await removeStep.HandleAsync(new RemoveDefinitionStep.Request(Key, StepKey, DraftId, RowVersion), User.ToActor(), cancellationToken);
        if (removed.Status == CaseCommandStatus.Done)
        {
            TempData["saved"] = removed.Message;
            return Redirect($"/definitions/{Uri.EscapeDataString(Key)}/draft");
        }

        return await ShowStoredAsync(removed.Status, removed.Message, cancellationToken, removeRefusal: removed.Status == CaseCommandStatus.InvalidForm ? removed.Message : null);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        State = await edit.HandleAsync(ToRequest(), User.ToActor(), cancellationToken);
        switch (State.Status)
        {
            case CaseCommandStatus.Done:
                TempData[SavedKey] = State.Message;
                return Redirect($"/definitions/{Uri.EscapeDataString(Key)}/draft/steps/{Uri.EscapeDataString(State.Step!.Key)}");
            case CaseCommandStatus.InvalidForm when State.Step is not null:
                FieldErrors = State.FieldErrors;
                foreach (var (field, text) in State.Expressions)
                {
                    if (ConditionAt(field) is { } condition)
                    {
                        condition.Expression = text;
                        condition.Composed = text;
                    }
                }

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

    /// <summary>The form as the handler takes it.</summary>
    private EditDefinitionStep.Request ToRequest() => new(
        Key, StepKey, DraftId, RowVersion, Name, Role, Description, Due,
        [.. Timers.Select(t => new EditDefinitionStep.TimerRow(t.After, t.Action, t.To, t.Outcome, t.Reason, t.Remove))],
        [.. Reminders.Select(r => new EditDefinitionStep.ReminderRow(r.After, r.To, r.Remove))],
        [])
    {
        Fields = [.. Fields.Select(f => new EditDefinitionStep.FieldRow(f.OriginalKey, f.Key, f.Label, f.Type, f.Required, f.Help, f.Options, f.Min, f.Max, f.Position, f.Remove))],
        OutcomeRows = [.. Outcomes.Select(o => new EditDefinitionStep.OutcomeRow(o.OriginalKey, o.Key, o.Label, o.To, o.RequiresReason, o.Remove,
            [.. o.Conditions.Select(c => new EditDefinitionStep.ConditionRow(c.Name, c.Argument, c.Read, c.Operator, c.Value, c.Expression, c.Composed, c.Unmet, c.Remove))]))],
    };

    /// <summary>The condition row a field name points at (<c>outcomes[1].conditions[0].expression</c>), or null.</summary>
    private ConditionInput? ConditionAt(string field)
    {
        var parts = field.Split(['[', ']'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 4 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var o) && int.TryParse(parts[3], System.Globalization.CultureInfo.InvariantCulture, out var c)
            && o < Outcomes.Count && c < Outcomes[o].Conditions.Count ? Outcomes[o].Conditions[c] : null;
    }

    /// <summary>The step as stored, with a refusal or conflict of adding or removing a step shown above it.</summary>
    private async Task<IActionResult> ShowStoredAsync(CaseCommandStatus status, string message, CancellationToken cancellationToken, IReadOnlyList<FieldError>? addErrors = null, string? removeRefusal = null)
    {
        State = await edit.ReadAsync(Key, StepKey, User.ToActor(), cancellationToken);
        if (State.Step is null || status is CaseCommandStatus.NotFound or CaseCommandStatus.Forbidden)
        {
            return status == CaseCommandStatus.Forbidden ? Forbid() : NotFound();
        }

        var (newKey, newName, newRole) = (NewStepKey, NewStepName, NewStepRole);
        Show(State.Step);
        (NewStepKey, NewStepName, NewStepRole) = (newKey, newName, newRole);
        ConflictText = status == CaseCommandStatus.Conflict ? message : null;
        AddStepErrors = addErrors ?? [];
        RemoveRefusal = removeRefusal;
        return Page();
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
        Fields = [.. step.Form.Select((f, i) => EditDefinitionStep.RowOf(f, i + 1)).Select(f => new FieldInput
        {
            OriginalKey = f.OriginalKey, Key = f.Key, Label = f.Label, Type = f.Type, Required = f.Required, Help = f.Help,
            Options = f.Options, Min = f.Min, Max = f.Max, Position = f.Position,
        }), new FieldInput { Position = (step.Form.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) }];
        Outcomes = [.. step.Outcomes.Select(EditDefinitionStep.RowOf).Select(o => new OutcomeInput
        {
            OriginalKey = o.OriginalKey, Key = o.Key, Label = o.Label, To = o.To, RequiresReason = o.RequiresReason,
            Conditions = [.. (o.Conditions ?? []).Select(ToInput), new ConditionInput()],
        }), new OutcomeInput { Conditions = [new ConditionInput()] }];
    }

    private static ConditionInput ToInput(EditDefinitionStep.ConditionRow c) => new()
    {
        Name = c.Name,
        Argument = c.Argument,
        Read = c.Read,
        Operator = c.Operator,
        Value = c.Value,
        Expression = c.Expression,
        Composed = c.Composed,
        Unmet = c.Unmet,
    };
}
