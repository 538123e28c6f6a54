using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Conflicts;
using TIBS.Cases.Core.Drafts;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>
/// Drafts and conflicts on the case page: saving and discarding one's draft of a step's form or a check-in, putting a
/// draft back into its form, and after a conflict showing what changed and the user's typed input — in its form when
/// that form is still open to them, otherwise read-only to copy. The rules are Core's (drafts' handlers,
/// <see cref="DescribeConflictHandler"/>); this only translates. Handlers come from the request's services so that
/// the page's constructor stays as it is.
/// </summary>
internal sealed partial class CaseModel
{
    /// <summary>The name of the hidden input that says which step a step form was drawn for.</summary>
    public const string ForStepField = "forStep";

    /// <summary>The current user's drafts on this case.</summary>
    public IReadOnlyList<DraftView> Drafts { get; private set; } = [];

    /// <summary>After a conflict: what changed since the user loaded the case.</summary>
    public ConflictReport? Conflict { get; private set; }

    /// <summary>Typed input that has no form any more, offered read-only to copy (after a conflict or a refused draft).</summary>
    public OfferedInput? Offered { get; private set; }

    /// <summary>Input offered to copy: a heading, why, and labelled values.</summary>
    public sealed record OfferedInput(string Title, string? Why, IReadOnlyList<(string Label, string Text)> Values, string? DiscardKey = null);

    /// <summary>What the draft controls of one form need: the form's name on the page, its step, and the user's draft of it.</summary>
    public sealed record DraftControls(Guid CaseId, string Form, string? StepKey, DraftView? Draft);

    public DraftControls DraftControlsFor(string form) => new(Details.Case.Id, form, DraftFormOf(form)?.StepKey, DraftFor(form));

    /// <summary>The draft form key of a form of the page: "step" is the current step's form; check-in forms are named as drafts name them.</summary>
    public DraftForm? DraftFormOf(string? form, string? forStep = null) => form switch
    {
        "step" when (forStep ?? Details.CurrentStep?.Key) is { } step => DraftForm.Step(step),
        not null when form.StartsWith("check-in:", StringComparison.Ordinal) => DraftForm.Parse(form, forStep ?? Details.Case.CurrentStep),
        _ => null,
    };

    /// <summary>The user's draft of a form of the page that can go back into it, if any.</summary>
    public DraftView? DraftFor(string form) =>
        DraftFormOf(form) is { } f ? Drafts.FirstOrDefault(d => d.State.IsOpen && d.Form.Key == f.Key) : null;

    /// <summary>Drafts whose form is gone: offered to copy.</summary>
    public IEnumerable<OfferedInput> StaleDrafts => Drafts.Where(d => !d.State.IsOpen)
        .Select(d => new OfferedInput(t["Your draft of {0}", d.State.Title], d.OfferedLine, Labelled(d.State.Fields, d.Draft.Values), d.Form.Key));

    /// <summary>What to show in a form's inputs: the posted input for the form just submitted, else the user's draft of it.</summary>
    private IReadOnlyDictionary<string, List<string>>? TypedFor(string? form)
    {
        if (form is not null && PostedForm == form)
        {
            return Posted;
        }

        return form is not null && DraftFor(form) is { } draft
            ? draft.Draft.Values.ToDictionary(p => p.Key, p => p.Value.ToList(), StringComparer.Ordinal)
            : null;
    }

    public async Task<IActionResult> OnPostSaveDraftAsync(Guid id, string? draftForm, string? forStep, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var form = DraftFormOf(draftForm, forStep);
        if (form is null)
        {
            ErrorMessage = t["This form cannot be kept as a draft."];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        PostedForm = draftForm;
        KeepPosted();
        var values = Posted.Where(p => p.Key is not (ForStepField or "draftForm")).ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
        var handler = HttpContext.RequestServices.GetRequiredService<SaveDraftHandler>();
        var result = await handler.HandleAsync(new SaveDraftRequest(id, form, values, User.ToActor()), cancellationToken);
        if (result.Status == CaseCommandStatus.Refused)
        {
            OfferToCopy(CaseFormState.Of(Details, form, Me), result.Message);
        }

        return await AfterAsync(id, result, cancellationToken);
    }

    public async Task<IActionResult> OnPostDiscardDraftAsync(Guid id, string? discardDraft, CancellationToken cancellationToken)
    {
        var handler = HttpContext.RequestServices.GetRequiredService<DiscardDraftHandler>();
        var result = await handler.HandleAsync(new DiscardDraftRequest(id, discardDraft ?? "", User.ToActor()), cancellationToken);
        if (result.Status != CaseCommandStatus.NotFound && !await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        return await AfterAsync(id, result, cancellationToken);
    }

    /// <summary>Reads the user's drafts (part of loading the page).</summary>
    private async Task LoadDraftsAsync(CancellationToken cancellationToken) =>
        Drafts = await HttpContext.RequestServices.GetRequiredService<MyDraftsHandler>().HandleAsync(Details, Me, cancellationToken);

    /// <summary>After a conflict: asks Core what changed and whether the typed input still has its form; if not, offers it to copy.</summary>
    private async Task ExplainConflictAsync(CancellationToken cancellationToken)
    {
        if (!int.TryParse(Request.Form["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var loaded))
        {
            return;
        }

        var action = PostedForm?.StartsWith("action:", StringComparison.Ordinal) == true ? PostedForm["action:".Length..] : null;
        var form = action is null ? DraftFormOf(PostedForm, Request.Form[ForStepField].FirstOrDefault()) : null;
        var handler = HttpContext.RequestServices.GetRequiredService<DescribeConflictHandler>();
        Conflict = await handler.HandleAsync(new DescribeConflictRequest(Details.Case.Id, loaded, Me, form, action), cancellationToken);
        if (Conflict is null)
        {
            return;
        }

        ErrorMessage = Conflict.Message;
        if (!Conflict.InputKept)
        {
            Offered = new OfferedInput(
                t["What you typed in {0}", Conflict.FormTitle],
                null,
                action is null ? Labelled(Conflict.Fields, Posted) : Labelled([], Posted.Where(p => p.Key == "reason").ToDictionary(p => t["Reason"].Value, p => p.Value)));
            PostedForm = null;
            FieldErrors.Clear();
        }
    }

    private void OfferToCopy(CaseFormState state, string why)
    {
        Offered = new OfferedInput(t["What you typed in {0}", state.Title], why, Labelled(state.Fields, Posted));
        PostedForm = null;
    }

    /// <summary>Typed values under their fields' labels, choices by their names; names the form does not know are shown as they are.</summary>
    private List<(string Label, string Text)> Labelled<TList>(IReadOnlyList<PlanField> fields, IReadOnlyDictionary<string, TList> values)
        where TList : IEnumerable<string>
    {
        var shown = new List<(string, string)>();
        foreach (var (name, list) in values)
        {
            var texts = list.Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
            if (name is ForStepField or "draftForm" || texts.Count == 0)
            {
                continue;
            }

            if (fields.Count > 0 && DraftRules.Resolve(fields, name) is { } target)
            {
                var choices = target.Input.Type is FieldType.Text or FieldType.Textarea or FieldType.Number or FieldType.Date ? [] : ChoicesFor(target.Input);
                var label = target.Row is { } row ? string.Create(CultureInfo.InvariantCulture, $"{target.Field.Label}, row {row + 1}: {target.Input.Label}") : target.Field.Label;
                shown.Add((label, string.Join(", ", texts.Select(t => choices.FirstOrDefault(c => c.Value == t).Label ?? t))));
            }
            else if (fields.Count == 0)
            {
                shown.Add((name, string.Join(", ", texts)));
            }
        }

        return shown;
    }
}
