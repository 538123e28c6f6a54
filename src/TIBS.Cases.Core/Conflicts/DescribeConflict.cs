using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Drafts;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Conflicts;

/// <summary>
/// A command was refused as a conflict (the case's version was no longer the one the user loaded): which form the
/// user was filling in — a step's form or a check-in (<see cref="Form"/>), or a case action (<see cref="ActionKey"/>).
/// </summary>
public sealed record DescribeConflictRequest(Guid CaseId, int LoadedVersion, Actor Actor, DraftForm? Form = null, string? ActionKey = null);

/// <summary>
/// What the user is told: <see cref="Message"/>, the changes since they loaded the case, and whether their typed input
/// still has its form (<see cref="InputKept"/>, shown in that form) or is only offered to copy, under <see cref="FormTitle"/>
/// with the labels of <see cref="Fields"/>.
/// </summary>
public sealed record ConflictReport(string Message, bool InputKept, IReadOnlyList<CaseChange> Changes, string FormTitle, IReadOnlyList<PlanField> Fields);

/// <summary>
/// Explains a conflict. What a conflict is stays where it was decided — the version check of every command; this only
/// says what changed and whether the user's input can go back into the same form.
/// </summary>
public sealed class DescribeConflictHandler(CaseReader cases, TimeProvider time)
{
    public async Task<ConflictReport?> HandleAsync(DescribeConflictRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // One round trip: the case with the latest page of its timeline and the people it names.
        if (await cases.GetPageAsync(request.CaseId, EventPage.Latest, cancellationToken) is not { } read
            || !CaseAccess.CanRead(request.Actor, read.Details.Case, read.Details.Participants))
        {
            return null;
        }

        var details = read.Details;
        var people = read.Page.People.ToDictionary(u => u.Id, u => u.DisplayName);
        var now = time.GetUtcNow();
        var changes = CaseChanges.Since(details, request.LoadedVersion)
            .Select(e => CaseChanges.Describe(details, e, id => id is { } u && people.TryGetValue(u, out var n) ? (u == request.Actor.UserId ? Localized.Format("You ({0})", n) : n) : Localized.Text("Someone"), now))
            .ToList();

        string title;
        IReadOnlyList<PlanField> fields = [];
        string? gone;
        if (request.Form is { } form)
        {
            var state = CaseFormState.Of(details, form, request.Actor);
            (title, fields, gone) = (state.Title, state.Fields, state.Why);
        }
        else
        {
            var action = request.ActionKey is null ? null : details.Plan.GetCaseAction(request.ActionKey);
            title = action?.Label ?? request.ActionKey ?? Localized.Text("your change");
            var available = action is null ? null : (await cases.GetActionsAsync(details, request.Actor, cancellationToken: cancellationToken))
                .FirstOrDefault(a => a.Action.Key == action.Key);
            gone = CaseClosure.Refusal(details.Case, request.Actor) is not null ? Localized.Text("The case was closed meanwhile.")
                : available is null || !available.ForThisUser ? Localized.Format("'{0}' is no longer offered to you.", title)
                : !available.Action.IsAllowed ? (available.Action.Unmet.Count == 0
                    ? Localized.Format("'{0}' is not possible now.", title)
                    : Localized.Format("'{0}' is not possible now: {1}", title, string.Join(" ", available.Action.Unmet.Select(u => u.Reason)).TrimEnd('.', ' ')) + ".")
                : null;
        }

        var message = gone is null
            ? Localized.Text("This case was changed after you opened it, so nothing was saved. What changed is listed below; your input is kept in the form — check it and submit again.")
            : Localized.Format("This case was changed after you opened it, so nothing was saved. {0} Here is what you typed, to copy.", gone);
        return new ConflictReport(message, gone is null, changes, title, fields);
    }
}
