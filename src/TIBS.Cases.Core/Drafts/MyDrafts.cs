using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Drafts;

/// <summary>A user's draft with what can be done with it now: back into its form when <see cref="State"/> is open, otherwise offered to copy.</summary>
public sealed record DraftView(CaseDraftRecord Draft, DraftForm Form, CaseFormState State)
{
    public string SavedLine => SaveDraftHandler.SavedLine(Draft.SavedAt);

    /// <summary>Why the draft cannot go back into its form, and what is offered instead.</summary>
    public string? OfferedLine => State.IsOpen ? null : $"{State.Why} Here is what your draft held, to copy; discard it when you no longer need it.";
}

/// <summary>The drafts of one user on one case: nobody sees another person's drafts.</summary>
public sealed class MyDraftsHandler(IDraftStore drafts)
{
    public async Task<IReadOnlyList<DraftView>> HandleAsync(CaseDetails details, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.IsSystem || !CaseAccess.CanRead(actor, details.Case, details.Participants))
        {
            return [];
        }

        var mine = await drafts.ListAsync(details.Case.Id, actor.UserId, cancellationToken);
        return [.. mine.Select(d => DraftForm.Parse(d.FormKey, d.StepKey) is { } form ? new DraftView(d, form, CaseFormState.Of(details, form, actor)) : null).OfType<DraftView>()];
    }
}
