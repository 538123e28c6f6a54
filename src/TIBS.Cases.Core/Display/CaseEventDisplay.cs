using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Display;

/// <summary>An audit event as people read it: what happened, in which step, by whom, and its details in words.</summary>
public sealed record CaseEventView(
    int Seq,
    string Title,
    string? StepName,
    string ActorName,
    DateTimeOffset OccurredAt,
    IReadOnlyList<string> Details,
    IReadOnlyList<DisplayLine> Form);

/// <summary>
/// The one place that turns stored case events into words: event kinds into titles, step and end-state keys into
/// names, user and company ids into names, statuses into labels, form data into labelled lines (through
/// <see cref="FieldValueDisplay"/>). An event kind or detail it does not know is shown with a readable title and no
/// raw data.
/// </summary>
public sealed class CaseEventDisplay(
    WorkflowPlan plan, FieldValueDisplay values, ReferenceLabels reference, IReadOnlyDictionary<Guid, string> userNames, IReadOnlyDictionary<Guid, string> companyNames,
    IReadOnlyDictionary<Guid, PersonalData.PersonalValue>? personal = null)
{
    /// <summary>The title of an event kind: "Step completed", "Put on hold", …</summary>
    public static string Title(string kind) => kind switch
    {
        CaseEventKinds.CaseOpened => "Case opened",
        CaseEventKinds.StepCompleted => "Step completed",
        CaseEventKinds.CaseHold => "Put on hold",
        CaseEventKinds.CaseResume => "Resumed",
        CaseEventKinds.CaseWithdraw => "Withdrawn",
        CaseEventKinds.CaseReassign => "Reassigned",
        CaseEventKinds.CaseMigrated => "Moved to a new workflow version",
        CaseEventKinds.CheckInRecorded => "Check-in recorded",
        CaseEventKinds.PartnerShortlisted => "Partner shortlisted",
        CaseEventKinds.PartnerStatusChanged => "Partner status changed",
        CaseEventKinds.NoteAdded => "Note",
        CaseEventKinds.AttachmentAdded => "File attached",
        CaseEventKinds.MessagePosted => "Message",
        CaseEventKinds.FindingRecorded => "Finding recorded",
        CaseEventKinds.FindingAnswered => "Finding answered",
        CaseEventKinds.CompanyMerged => "Companies merged",
        CaseEventKinds.TimerNotActed => "Timer could not act",
        CaseEventKinds.PersonalDataErased => "Personal data erased",

        CaseEventKinds.TrackStarted => "Partner track started",
        CaseEventKinds.TrackMoved => "Partner track moved on",
        CaseEventKinds.TrackCancelled => "Partner track cancelled",
        CaseEventKinds.TracksJoined => "Partner tracks joined",
        _ => Words.Humanize(kind),
    };

    /// <summary>The form values of this case in words (the labels the case page shows).</summary>
    public FieldValueDisplay Values => values;

    /// <summary>The names of regions, countries and taxonomy entries.</summary>
    public ReferenceLabels Reference => reference;

    /// <summary>The name of a step or end state of the plan; a key the plan does not have is made readable.</summary>
    public string StepName(string? key) =>
        key is null ? "" : plan.TryGetStep(key, out var s) ? s.Name : plan.TryGetEndState(key, out var e) ? e.Name : Words.Humanize(key);

    public string UserName(Guid? id) => id is { } u ? userNames.GetValueOrDefault(u) ?? "A former user" : "System";

    public CaseEventView Describe(CaseEventRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var data = Parse(e.Data);
        var details = new List<string>();
        IReadOnlyList<DisplayLine> form = [];
        switch (e.Kind)
        {
            case CaseEventKinds.CaseOpened when Text(data, "audits") is { Length: > 0 } audited:
                details.Add($"Audit of {audited}: lead company {Text(data, "leadCompany")}, {reference.Region(Text(data, "region"))}; evaluator {UserName(Id(data, "owner"))}.");
                if (Text(data, "seed") is { Length: > 0 } seed)
                {
                    details.Add($"Drawn in a sample with seed {seed} from the strategies of {reference.Region(Text(data, "region"))} closed {Text(data, "period")}: {Text(data, "drawn")}.");
                }

                break;
            case CaseEventKinds.CaseOpened:
                details.Add($"Lead company {Text(data, "leadCompany")}, {reference.Region(Text(data, "region"))}; broker {UserName(Id(data, "owner"))}.");
                break;
            case CaseEventKinds.FindingRecorded:
                details.Add($"Finding {Text(data, "number")} ({Audits.FindingSeverity.Label(Text(data, "severity"))}), about '{Text(data, "strategyStepName")}': {Text(data, "description")}");
                break;
            case CaseEventKinds.FindingAnswered:
                details.Add($"Answer to finding {Text(data, "number")}: {Text(data, "response")}");
                break;
            case CaseEventKinds.StepCompleted:
                details.Add($"Outcome: {Text(data, "outcomeLabel")} → {StepName(Text(data, "to"))}");
                form = Form(data, plan.TryGetStep(e.StepKey ?? Text(data, "step"), out var step) ? step.Fields : []);
                details.AddRange(Array(data, "attachments").Select(a => $"File attached: {Text(a, "fileName")}"));
                break;
            case CaseEventKinds.CaseHold or CaseEventKinds.CaseResume or CaseEventKinds.CaseWithdraw or CaseEventKinds.CaseReassign:
                if (data?["heldFor"] is JsonValue held && TimeSpan.TryParse(held.ToString(), CultureInfo.InvariantCulture, out var span))
                {
                    details.Add($"On hold for {Words.Duration(span)}.");
                }

                if (e.Kind == CaseEventKinds.CaseWithdraw && Text(data, "to") is { Length: > 0 } end)
                {
                    details.Add($"The case ended: {StepName(end)}.");
                }

                if (e.Kind == CaseEventKinds.CaseReassign)
                {
                    details.Add($"From {UserName(Id(data, "from"))} to {UserName(Id(data, "to"))}.");
                }

                break;
            case CaseEventKinds.CaseMigrated:
                details.Add(string.Create(CultureInfo.InvariantCulture, $"From version {Text(data, "fromVersion")} to version {Text(data, "toVersion")} of {plan.Name}; now in {StepName(Text(data, "toStep"))}."));
                var carried = Array(data, "carriedFields").Count;
                var dropped = Array(data, "droppedFields").Count;
                details.Add(string.Create(CultureInfo.InvariantCulture, $"Form values carried over: {carried}; left behind: {dropped}. Reminders {(Text(data, "reminders") == "kept" ? "kept" : "scheduled again")}."));
                break;
            case CaseEventKinds.CheckInRecorded:
                var checkIn = plan.CheckIns.FirstOrDefault(c => c.Key == Text(data, "checkIn"));
                details.Add($"{checkIn?.Name ?? "Check-in"} {Text(data, "occurrence")}");
                form = Form(data, checkIn?.Fields ?? []);
                break;
            case CaseEventKinds.PartnerShortlisted:
                details.Add($"{Company(data, "companyId", "company")} ({reference.Region(Text(data, "region"))}) is shortlisted.");
                break;
            case CaseEventKinds.PartnerStatusChanged:
                details.Add($"{Company(data, "companyId", null)}: {Words.PipelineStatus(Text(data, "from"))} → {Words.PipelineStatus(Text(data, "to"))}");
                break;
            case CaseEventKinds.AttachmentAdded:
                var sha = Text(data, "sha256");
                var fieldLabel = plan.TryGetStep(e.StepKey ?? "", out var at) && at.Field(Text(data, "field")) is { } f ? $" in '{f.Label}'" : "";
                details.Add($"{Text(data, "fileName")}{fieldLabel}{(sha.Length >= 12 ? $" (SHA-256 {sha[..12]}…)" : "")}");
                break;
            case CaseEventKinds.CompanyMerged:
                details.Add($"{Text(data, "mergedName")} was a duplicate of {Company(data, "survivorId", "survivorName")} and is merged into it; the case now names {Company(data, "survivorId", "survivorName")}.");
                break;
            case CaseEventKinds.TrackStarted or CaseEventKinds.TrackMoved or CaseEventKinds.TrackCancelled or CaseEventKinds.TracksJoined:
                details.Add(Text(data, "summary"));
                break;
            case CaseEventKinds.MessagePosted:
                if (Id(data, "participantId") is { } participant && companyNames.TryGetValue(participant, out var partnerName))
                {
                    details.Add($"About {partnerName}:");
                }

                break;
        }

        if (Text(data, "reason") is { Length: > 0 } reason)
        {
            details.Add($"Reason: {reason}");
        }

        if (e.Kind is CaseEventKinds.NoteAdded or CaseEventKinds.MessagePosted && Personal(data?["body"]) is { Length: > 0 } body)
        {
            details.Add(body);
        }

        if (e.Kind == CaseEventKinds.PersonalDataErased)
        {
            details.Insert(0, $"The personal data of {Text(data, "subject")} is erased wherever it was shown; the record keeps the reference, not the data.");
        }

        if (e.Kind == CaseEventKinds.TimerNotActed && Text(data, "reason") is { Length: > 0 } why)
        {
            details.Add($"It could not act: {why}");
        }

        // What a timer did is the system's, said as such ("TIBS (timer)"), not a user's.
        var actor = e.ActorUserId is null && Text(data, "by") is { Length: > 0 } by ? by : UserName(e.ActorUserId);
        return new CaseEventView(e.Seq, Title(e.Kind), e.StepKey is null ? null : StepName(e.StepKey), actor, e.OccurredAt, details, form);
    }

    /// <summary>A value as stored, or read through its vault reference: the value, or "Erased on …" (decision 0043).</summary>
    private string Personal(JsonNode? node) => PersonalData.PersonalDataRefs.RefOf(node) is { } id
        ? personal?.GetValueOrDefault(id)?.Shown ?? PersonalData.PersonalValue.Erased(null)
        : node is JsonValue v ? v.ToString() : "";

    /// <summary>The vault references an event holds, to read them at once.</summary>
    public static IEnumerable<Guid> PersonalRefs(CaseEventRecord e) => PersonalData.PersonalDataRefs.RefsIn(e?.Data);

    private IReadOnlyList<DisplayLine> Form(JsonObject? data, IReadOnlyList<PlanField> fields) =>
        data?["form"] is JsonObject form && form.Count > 0 ? values.Lines(fields, FormDataJson.FromNode(form)) : [];

    private string Company(JsonObject? data, string idKey, string? nameKey) =>
        Id(data, idKey) is { } id && companyNames.TryGetValue(id, out var name) ? name
        : nameKey is not null && Text(data, nameKey) is { Length: > 0 } stored ? stored
        : "A company no longer in TIBS";

    private static JsonObject? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Text(JsonObject? data, string key) => data?[key] switch
    {
        JsonValue v => v.ToString(),
        _ => "",
    };

    private static Guid? Id(JsonObject? data, string key) => Guid.TryParse(Text(data, key), out var g) ? g : null;

    private static List<JsonObject> Array(JsonObject? data, string key) => data?[key] is JsonArray a ? [.. a.OfType<JsonObject>()] : [];

    /// <summary>Company ids an event refers to, to look their names up at once.</summary>
    public static IEnumerable<Guid> CompanyIds(CaseEventRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var data = Parse(e.Data);
        var ids = new List<Guid>();
        if (Id(data, "companyId") is { } company)
        {
            ids.Add(company);
        }

        if (Id(data, "survivorId") is { } survivor)
        {
            ids.Add(survivor);
        }

        if (data?["form"] is JsonObject form)
        {
            ids.AddRange(FieldValueDisplay.CompanyIds(FormDataJson.FromNode(form).Values));
        }

        return ids;
    }
}
