using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Drafts;

/// <summary>Save the typed values of a step's form or of a check-in as the user's draft.</summary>
public sealed record SaveDraftRequest(Guid CaseId, DraftForm Form, IReadOnlyDictionary<string, IReadOnlyList<string>> Values, Actor Actor);

/// <summary>
/// Saves a draft: only someone who may act on the form now (the step's or check-in's role, the case open and at that
/// step) saves one. A draft never conflicts (no case version is checked and the case is not written) and never checks
/// required fields; it keeps only the form's own inputs, within their length limits (<see cref="DraftRules"/>). It reads
/// what it decides on in one round trip (<see cref="CaseReader.GetCommandDetailsWithTracksAsync"/>), never the timeline.
/// </summary>
public sealed class SaveDraftHandler(CaseReader cases, IDraftStore drafts, TimeProvider time)
{
    public async Task<CaseCommandResult> HandleAsync(SaveDraftRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var details = await cases.GetCommandDetailsWithTracksAsync(request.CaseId, cancellationToken);
        if (details is null || !CaseAccess.CanRead(request.Actor, details.Case, details.Participants))
        {
            return CaseCommandResult.Missing(Localized.Text("The case was not found."));
        }

        if (CaseClosure.Refusal(details.Case, request.Actor) is { } closed)
        {
            return closed;
        }

        var state = CaseFormState.Of(details, request.Form, request.Actor);
        if (!CaseAccess.CanWrite(request.Actor, details.Case, details.Participants) || state.NotTheirs)
        {
            return new CaseCommandResult(CaseCommandStatus.Forbidden, state.NotTheirs && state.Why is not null ? state.Why : Localized.Text("You may not change this case.")) { Case = details.Case };
        }

        if (!state.IsOpen)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, Localized.Format("{0} The draft was not saved.", state.Why)) { Case = details.Case };
        }

        var (values, errors) = DraftRules.Clean(state.Fields, request.Values);
        if (errors.Count > 0)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, Localized.Text("Some values are too long or contain characters that cannot be stored; the draft was not saved."))
            {
                FieldErrors = errors,
                Case = details.Case,
            };
        }

        var now = Timestamps.Normalize(time.GetUtcNow());
        await drafts.SaveAsync(new CaseDraftRecord
        {
            Id = Guid.CreateVersion7(now),
            CaseId = details.Case.Id,
            UserId = request.Actor.UserId,
            FormKey = request.Form.Key,
            StepKey = request.Form.StepKey,
            Data = DraftData.Write(values),
            SavedAt = now,
        }, cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, SavedLine(now)) { Case = details.Case };
    }

    /// <summary>The line shown with a saved draft.</summary>
    public static string SavedLine(DateTimeOffset savedAt) =>
        Localized.Format("Draft saved {0} UTC — it is only visible to you.", savedAt.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture));
}
