using System.Text.Json;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Web.Api;

/// <summary>A page of the case list, newest first; pass <see cref="NextCursor"/> as <c>after</c> for the next one (also in the <c>Link</c> header).</summary>
internal sealed record CaseListResponse(IReadOnlyList<CaseListItem> Items, string? NextCursor);

/// <summary>A case's state; <see cref="Version"/> is its ETag, to be sent as <c>If-Match</c> with a write.</summary>
internal sealed record CaseResource(
    Guid Id, string Reference, string Title, string RegionCode, string Status, string? CurrentStage, string CurrentStep,
    Guid LeadCompanyId, Guid OwnerUserId, DateTimeOffset OpenedAt, DateTimeOffset? StepDueAt, DateTimeOffset? ClosedAt, int Version)
{
    public static CaseResource Of(CaseRecord c) => new(
        c.Id, c.Reference, c.Title, c.RegionCode, c.Status, c.CurrentStage, c.CurrentStep, c.LeadCompanyId, c.OwnerUserId, c.OpenedAt, c.StepDueAt, c.ClosedAt, c.Version);
}

/// <summary>An attachment of a case (its content at <c>/api/v1/cases/{id}/attachments/{attachmentId}</c>).</summary>
internal sealed record AttachmentResource(Guid Id, string FileName, string ContentType, long SizeBytes, string Sha256, string? StepKey, string? FieldKey, Guid? UploadedBy, DateTimeOffset UploadedAt)
{
    public static AttachmentResource Of(CaseAttachmentRecord a) => new(a.Id, a.FileName, a.ContentType, a.SizeBytes, a.Sha256, a.StepKey, a.FieldKey, a.UploadedBy, a.UploadedAt);
}

/// <summary>
/// A case as its reader sees it: its state, the reader's roles in it and what they may do, its steps (with their form
/// data as JSON text), participants, check-ins, notes and attachments.
/// </summary>
internal sealed record CaseResponse(
    CaseResource Case, IReadOnlyList<string> YourRoles, bool CanWrite, bool MayCompleteStep, IReadOnlyList<CaseStepRecord> Steps,
    IReadOnlyList<CaseParticipantRecord> Participants, IReadOnlyList<CaseCheckInRecord> CheckIns, IReadOnlyList<CaseNoteRecord> Notes,
    IReadOnlyList<AttachmentResource> Attachments)
{
    /// <summary>One page of the case's audit events, oldest first: the latest ones, or those before <c>eventsBefore</c>.</summary>
    public IReadOnlyList<CaseEventResource> Events { get; init; } = [];

    /// <summary>How many events came before the oldest one in <see cref="Events"/>.</summary>
    public int EarlierEvents { get; init; }

    /// <summary>Pass as <c>eventsBefore</c> for the page of events before these; null when the first event is included.</summary>
    public int? EarlierEventsBefore { get; init; }
}

/// <summary>An audit event of a case, with its chain hashes (SHA-256 over the previous hash and the event's canonical JSON).</summary>
internal sealed record CaseEventResource(
    int Seq, Guid Id, string Kind, string Title, string? StepKey, Guid? ActorId, string ActorName, DateTimeOffset OccurredAt, string Data, string PrevHash, string Hash)
{
    public static CaseEventResource Of(CaseEventRecord e, IReadOnlyDictionary<Guid, string> names) => new(
        e.Seq, e.Id, e.Kind, TIBS.Cases.Core.Display.CaseEventDisplay.Title(e.Kind), e.StepKey, e.ActorUserId,
        e.ActorUserId is { } a ? names.GetValueOrDefault(a) ?? "A former user" : "System", e.OccurredAt, e.Data, e.PrevHash, e.Hash);
}

/// <summary>An outcome of the current step or a case action: whether it is possible now, why not, and whether it is yours to take.</summary>
internal sealed record OutcomeResource(string Key, string Label, string? Target, bool IsAllowed, bool ForYou, bool RequiresReason, IReadOnlyList<string> Roles, IReadOnlyList<UnmetCondition> Unmet)
{
    public static OutcomeResource Of(CaseAction a) => new(
        a.Action.Key, a.Action.Label, a.Action.Target, a.Action.IsAllowed, a.ForThisUser, a.Action.RequiresReason, [.. a.Action.Roles.Select(r => r.ToName())], a.Action.Unmet);
}

/// <summary>What can be done with a case now: the current step's outcomes (judged on its saved values) and the case actions.</summary>
internal sealed record CaseOutcomesResponse(string CurrentStep, string? CurrentStepName, int Version, IReadOnlyList<OutcomeResource> Outcomes, IReadOnlyList<OutcomeResource> CaseActions);

/// <summary>The answer to a command on a case: what happened in words and the case as it is now.</summary>
internal sealed record CaseCommandResponse(string Message, CaseResource Case);

/// <param name="LeadCompanyId">The lead SME (a company of your region).</param>
/// <param name="Title">Optional; "&lt;company&gt;: joint smart strategy" when empty.</param>
/// <param name="DefinitionKey">The workflow definition; its published version is used. Default: joint-smart-strategy.</param>
internal sealed record OpenCaseBody(Guid? LeadCompanyId, string? Title, string? DefinitionKey);

/// <param name="Outcome">The outcome's key (see <c>GET /cases/{id}/outcomes</c>).</param>
/// <param name="Values">The step's form values by field key: text, number or true/false; an array for several choices; an array of objects for a table.</param>
/// <param name="Reason">Required by outcomes that say so (ending a follow-up early).</param>
internal sealed record CompleteStepBody(string? Outcome, Dictionary<string, JsonElement>? Values, string? Reason);

/// <param name="Reason">Required by hold, withdraw and reassign.</param>
/// <param name="NewOwnerUserId">The broker who takes the case over (reassign).</param>
internal sealed record CaseActionBody(string? Reason, Guid? NewOwnerUserId);

/// <param name="CheckIn">The check-in's key (such as 'quarterly').</param>
/// <param name="Occurrence">Which occurrence, from 1.</param>
/// <param name="Values">The check-in's form values, as for completing a step.</param>
internal sealed record CheckInBody(string? CheckIn, int? Occurrence, Dictionary<string, JsonElement>? Values);

/// <param name="Body">The note's text.</param>
internal sealed record NoteBody(string? Body);

/// <summary>Form values sent as JSON, turned into the posted pairs the form validator reads (tables as <c>key[row].column</c>).</summary>
internal static class JsonFormValues
{
    public static (FormInput Input, IReadOnlyList<FieldError> Errors) Read(Dictionary<string, JsonElement>? values)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        var errors = new List<FieldError>();
        foreach (var (key, value) in values ?? [])
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                var row = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var cell in item.EnumerateObject())
                        {
                            Add(pairs, errors, FormattableString.Invariant($"{key}[{row}].{cell.Name}"), cell.Value);
                        }
                    }
                    else
                    {
                        Add(pairs, errors, key, item);
                    }

                    row++;
                }
            }
            else
            {
                Add(pairs, errors, key, value);
            }
        }

        return (FormInput.FromPairs(pairs), errors);
    }

    private static void Add(List<KeyValuePair<string, string?>> pairs, List<FieldError> errors, string key, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                pairs.Add(new(key, value.GetString()));
                break;
            case JsonValueKind.Number:
                pairs.Add(new(key, value.GetRawText()));
                break;
            case JsonValueKind.True or JsonValueKind.False:
                pairs.Add(new(key, value.GetBoolean() ? "yes" : "no"));
                break;
            case JsonValueKind.Null:
                break;
            default:
                errors.Add(new FieldError(key, "Send a text, a number, true or false here (an array for several choices, an array of objects for a table)."));
                break;
        }
    }
}
