using System.Text.Json.Nodes;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Adds a note to the case (an audit event records who wrote what, when). A note changes nothing of the case's
/// state, so it is appended after the latest event whatever the user saw: it never conflicts with someone's step.
/// </summary>
public sealed class AddNote(CaseCommandContext context)
{
    public sealed record Request(Guid CaseId, string? Body);

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
            return opening.Invalid("body", "Write the note first.");
        }

        if (TextRules.Problem("The note", body, TextRules.MaxNoteLength) is { } noteProblem)
        {
            return opening.Invalid("body", noteProblem);
        }

        var c = opening.Details!.Case;
        var now = context.Now();
        var note = new CaseNoteRecord { Id = Guid.CreateVersion7(now), CaseId = c.Id, AuthorUserId = actor.UserId, Body = body.Trim(), CreatedAt = now };
        var (advanced, evt) = c.RecordAppendOnly(now, actor, "note-added", c.CurrentStep,
            new JsonObject { ["noteId"] = note.Id.ToString(), ["body"] = note.Body }.ToJsonString());
        return await context.CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = c.Version,
            AppendOnly = true,
            Events = [evt],
            NewNotes = [note],
        }, "Note added.", cancellationToken);
    }
}
