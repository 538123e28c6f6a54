using System.Text.Json.Nodes;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.PersonalData;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Adds a note to the case (an audit event records who wrote what, when). A note changes nothing of the case's
/// state, so it is appended after the latest event whatever the user saw: it never conflicts with someone's step.
/// A note marked "contains personal data of" contact persons of the case's companies keeps its text in the vault
/// under each of them, and the event carries a reference (decision 0043): erasing one of them erases the text.
/// </summary>
public sealed class AddNote(CaseCommandContext context, IPersonalDataStore vault)
{
    /// <param name="PersonalDataOf">Contact persons (of the case's companies) whose personal data the note contains.</param>
    public sealed record Request(Guid CaseId, string? Body, IReadOnlyList<Guid>? PersonalDataOf = null);

    /// <summary>The contact persons a note may be marked with: those of the case's companies (<paramref name="companyIds"/>).</summary>
    public Task<IReadOnlyList<ContactOfCompany>> MarkerChoicesAsync(IReadOnlyCollection<Guid> companyIds, CancellationToken cancellationToken = default) =>
        vault.ContactsOfAsync(companyIds, cancellationToken);

    public Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return context.ExecuteAsync(request.CaseId, null, actor, opening => DecideAsync(opening, request, actor, cancellationToken), cancellationToken);
    }

    private async Task<CaseCommandResult> DecideAsync(CaseOpening opening, Request request, Actor actor, CancellationToken cancellationToken)
    {
        var body = request.Body;
        if (string.IsNullOrWhiteSpace(body))
        {
            return opening.Invalid("body", Localized.Text("Write the note first."));
        }

        if (TextRules.Problem(Localized.Text("The note"), body, TextRules.MaxNoteLength) is { } noteProblem)
        {
            return opening.Invalid("body", noteProblem);
        }

        var c = opening.Details!.Case;
        var marked = request.PersonalDataOf?.Distinct().ToList() ?? [];
        if (marked.Count > 0)
        {
            var contacts = await vault.ContactsOfAsync([.. opening.Details.Participants.Select(p => p.CompanyId)], cancellationToken);
            if (marked.Count(id => contacts.All(k => k.Id != id)) is > 0 and var unknown)
            {
                return opening.Invalid("personalDataOf", unknown == 1
                    ? Localized.Text("One of the people marked is not a contact person of this case's companies (they may have been removed or erased); choose again.")
                    : Localized.Format("{0} of the people marked are not contact persons of this case's companies (they may have been removed or erased); choose again.", unknown));
            }
        }

        var now = context.Now();
        var note = new CaseNoteRecord { Id = Guid.CreateVersion7(now), CaseId = c.Id, AuthorUserId = actor.UserId, Body = body.Trim(), CreatedAt = now };
        var data = new JsonObject { ["noteId"] = note.Id.ToString() };
        IReadOnlyList<PersonalDataRecord> personal = [];
        if (marked.Count > 0)
        {
            var (reference, rows) = PersonalDataRefs.Store(note.Body, PersonalDataFields.NoteText, c.Id, $"case_notes:{note.Id:D}",
                marked.Select(id => (PersonalSubjectKinds.Contact, id)), now);
            data["body"] = reference;
            personal = rows;
        }
        else
        {
            data["body"] = note.Body;
        }

        var (advanced, evt) = c.RecordAppendOnly(now, actor, "note-added", c.CurrentStep, data.ToJsonString());
        return await context.CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = c.Version,
            AppendOnly = true,
            Events = [evt],
            NewNotes = [note],
            NewPersonalData = personal,
        }, Localized.Text("Note added."), cancellationToken);
    }
}
