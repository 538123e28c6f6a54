using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Partners;

/// <summary>
/// Posts a message between the brokers of a case (an expression of interest, a question), about the case in general or
/// one partner. Whoever works on the case writes (<see cref="PartnerAccess.MayMessage"/>). Like a note, a message
/// changes nothing of the case's state: it is appended after the latest event and never conflicts.
/// </summary>
public sealed class AddMessage(CaseReader cases, CaseCommandContext context, TimeProvider time)
{
    /// <summary>Post <paramref name="Body"/> on the case, about the partner <paramref name="ParticipantId"/> (null: the case in general).</summary>
    public sealed record Request(Guid CaseId, Guid? ParticipantId, string? Body);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (details, notFound) = await PartnerCommand.OpenAsync(cases, request.CaseId, actor, cancellationToken);
        if (details is null)
        {
            return notFound!;
        }

        var c = details.Case;
        if (PartnerCommand.Refusal(c, actor, PartnerAccess.MayMessage(actor, c, details.Participants), PartnerAccess.MessageRefusal) is { } refused)
        {
            return refused;
        }

        if (request.ParticipantId is { } pid && !details.Participants.Any(p => p.Id == pid && p.Role == ParticipantRole.Partner))
        {
            return CaseCommandResult.Missing(Localized.Text("The partner was not found."));
        }

        var problem = string.IsNullOrWhiteSpace(request.Body) ? Localized.Text("Write the message first.") : TextRules.Problem(Localized.Text("The message"), request.Body, TextRules.MaxMessageLength);
        if (problem is not null)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, problem) { FieldErrors = [new FieldError("body", problem)], Case = c };
        }

        var now = time.UtcNow();
        var record = new CaseMessageRecord { Id = Guid.CreateVersion7(now), CaseId = c.Id, ParticipantId = request.ParticipantId, AuthorUserId = actor.UserId, Body = request.Body!.Trim(), CreatedAt = now };
        var (advanced, evt) = c.RecordAppendOnly(now, actor, CaseEventKinds.MessagePosted, c.CurrentStep,
            new JsonObject { ["messageId"] = record.Id.ToString(), ["participantId"] = request.ParticipantId?.ToString(), ["body"] = record.Body }.ToJsonString());
        return await context.CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = c.Version,
            AppendOnly = true,
            Events = [evt],
            NewMessages = [record],
        }, Localized.Text("Message sent."), cancellationToken);
    }
}
