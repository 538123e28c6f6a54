using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
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
        CaseEventKinds.CaseOpened => Localized.Text("Case opened"),
        CaseEventKinds.StepCompleted => Localized.Text("Step completed"),
        CaseEventKinds.CaseHold => Localized.Text("Put on hold"),
        CaseEventKinds.CaseResume => Localized.Text("Resumed"),
        CaseEventKinds.CaseWithdraw => Localized.Text("Withdrawn"),
        CaseEventKinds.CaseReassign => Localized.Text("Reassigned"),
        CaseEventKinds.CaseMigrated => Localized.Text("Moved to a new workflow version"),
        CaseEventKinds.CheckInRecorded => Localized.Text("Check-in recorded"),
        CaseEventKinds.PartnerShortlisted => Localized.Text("Partner shortlisted"),
        CaseEventKinds.PartnerStatusChanged => Localized.Text("Partner status changed"),
        CaseEventKinds.NoteAdded => Localized.Text("Note"),
        CaseEventKinds.AttachmentAdded => Localized.Text("File attached"),
        CaseEventKinds.MessagePosted => Localized.Text("Message"),
        CaseEventKinds.FindingRecorded => Localized.Text("Finding recorded"),
        CaseEventKinds.FindingAnswered => Localized.Text("Finding answered"),
        CaseEventKinds.CompanyMerged => Localized.Text("Companies merged"),
        CaseEventKinds.TimerNotActed => Localized.Text("Timer could not act"),
        CaseEventKinds.PersonalDataErased => Localized.Text("Personal data erased"),

        CaseEventKinds.TrackStarted => Localized.Text("Partner track started"),
        CaseEventKinds.TrackMoved => Localized.Text("Partner track moved on"),
        CaseEventKinds.TrackCancelled => Localized.Text("Partner track cancelled"),
        CaseEventKinds.TracksJoined => Localized.Text("Partner tracks joined"),
        _ => Words.Humanize(kind),
    };

    /// <summary>The form values of this case in words (the labels the case page shows).</summary>
    public FieldValueDisplay Values => values;

    /// <summary>The names of regions, countries and taxonomy entries.</summary>
    public ReferenceLabels Reference => reference;

    /// <summary>An outcome's label as the plan names it (in the reader's language); the label recorded with the event when the plan no longer has it.</summary>
    private string OutcomeLabel(string stepKey, string outcomeKey, string recorded) =>
        plan.TryGetStep(stepKey, out var step) && step.Outcome(outcomeKey) is { } outcome ? outcome.Label : recorded;

    /// <summary>The name of a step or end state of the plan; a key the plan does not have is made readable.</summary>
    public string StepName(string? key) =>
        key is null ? "" : plan.TryGetStep(key, out var s) ? s.Name : plan.TryGetEndState(key, out var e) ? e.Name : Words.Humanize(key);

    public string UserName(Guid? id) => id is { } u ? userNames.GetValueOrDefault(u) ?? Localized.Text("A former user") : Localized.Text("System");

    public CaseEventView Describe(CaseEventRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var data = Parse(e.Data);
        var details = new List<string>();
        IReadOnlyList<DisplayLine> form = [];
        switch (e.Kind)
        {
            case CaseEventKinds.CaseOpened when Text(data, "audits") is { Length: > 0 } audited:
                details.Add(Localized.Format("Audit of {0}: lead company {1}, {2}; evaluator {3}.", audited, Text(data, "leadCompany"), reference.Region(Text(data, "region")), UserName(Id(data, "owner"))));
                if (Text(data, "seed") is { Length: > 0 } seed)
                {
                    details.Add(Localized.Format("Drawn in a sample with seed {0} from the strategies of {1} closed {2}: {3}.", seed, reference.Region(Text(data, "region")), Text(data, "period"), Text(data, "drawn")));
                }

                break;
            case CaseEventKinds.CaseOpened:
                details.Add(Localized.Format("Lead company {0}, {1}; broker {2}.", Text(data, "leadCompany"), reference.Region(Text(data, "region")), UserName(Id(data, "owner"))));
                break;
            case CaseEventKinds.FindingRecorded:
                details.Add(Localized.Format("Finding {0} ({1}), about '{2}': {3}", Text(data, "number"), Audits.FindingSeverity.Label(Text(data, "severity")), Text(data, "strategyStepName"), Text(data, "description")));
                break;
            case CaseEventKinds.FindingAnswered:
                details.Add(Localized.Format("Answer to finding {0}: {1}", Text(data, "number"), Text(data, "response")));
                break;
            case CaseEventKinds.StepCompleted:
                details.Add(Localized.Format("Outcome: {0} → {1}", OutcomeLabel(e.StepKey ?? Text(data, "step"), Text(data, "outcome"), Text(data, "outcomeLabel")), StepName(Text(data, "to"))));
                form = Form(data, plan.TryGetStep(e.StepKey ?? Text(data, "step"), out var step) ? step.Fields : []);
                details.AddRange(Array(data, "attachments").Select(a => Localized.Format("File attached: {0}", Text(a, "fileName"))));
                break;
            case CaseEventKinds.CaseHold or CaseEventKinds.CaseResume or CaseEventKinds.CaseWithdraw or CaseEventKinds.CaseReassign:
                if (data?["heldFor"] is JsonValue held && TimeSpan.TryParse(held.ToString(), CultureInfo.InvariantCulture, out var span))
                {
                    details.Add(Localized.Format("On hold for {0}.", Words.Duration(span)));
                }

                if (e.Kind == CaseEventKinds.CaseWithdraw && Text(data, "to") is { Length: > 0 } end)
                {
                    details.Add(Localized.Format("The case ended: {0}.", StepName(end)));
                }

                if (e.Kind == CaseEventKinds.CaseReassign)
                {
                    details.Add(Localized.Format("From {0} to {1}.", UserName(Id(data, "from")), UserName(Id(data, "to"))));
                }

                break;
            case CaseEventKinds.CaseMigrated:
                details.Add(Localized.Format("From version {0} to version {1} of {2}; now in {3}.", Text(data, "fromVersion"), Text(data, "toVersion"), plan.Name, StepName(Text(data, "toStep"))));
                var carried = Array(data, "carriedFields").Count;
                var dropped = Array(data, "droppedFields").Count;
                details.Add(Text(data, "reminders") == "kept"
                    ? Localized.Format("Form values carried over: {0}; left behind: {1}. Reminders kept.", carried, dropped)
                    : Localized.Format("Form values carried over: {0}; left behind: {1}. Reminders scheduled again.", carried, dropped));
                break;
            case CaseEventKinds.CheckInRecorded:
                var checkIn = plan.CheckIns.FirstOrDefault(c => c.Key == Text(data, "checkIn"));
                details.Add($"{checkIn?.Name ?? Localized.Text("Check-in")} {Text(data, "occurrence")}");
                form = Form(data, checkIn?.Fields ?? []);
                break;
            case CaseEventKinds.PartnerShortlisted:
                details.Add(Localized.Format("{0} ({1}) is shortlisted.", Company(data, "companyId", "company"), reference.Region(Text(data, "region"))));
                break;
            case CaseEventKinds.PartnerStatusChanged:
                details.Add($"{Company(data, "companyId", null)}: {Words.PipelineStatus(Text(data, "from"))} → {Words.PipelineStatus(Text(data, "to"))}");
                break;
            case CaseEventKinds.AttachmentAdded:
                var sha = Text(data, "sha256");
                var fileName = plan.TryGetStep(e.StepKey ?? "", out var at) && at.Field(Text(data, "field")) is { } f
                    ? Localized.Format("{0} in '{1}'", Text(data, "fileName"), f.Label)
                    : Text(data, "fileName");
                details.Add($"{fileName}{(sha.Length >= 12 ? $" (SHA-256 {sha[..12]}…)" : "")}");
                break;
            case CaseEventKinds.CompanyMerged:
                details.Add(Localized.Format("{0} was a duplicate of {1} and is merged into it; the case now names {1}.", Text(data, "mergedName"), Company(data, "survivorId", "survivorName")));
                break;
            case CaseEventKinds.TrackStarted or CaseEventKinds.TrackMoved or CaseEventKinds.TrackCancelled or CaseEventKinds.TracksJoined:
                details.Add(TrackSummary(e.Kind, e.StepKey, data) ?? Text(data, "summary"));
                break;
            case CaseEventKinds.MessagePosted:
                if (Id(data, "participantId") is { } participant && companyNames.TryGetValue(participant, out var partnerName))
                {
                    details.Add(Localized.Format("About {0}:", partnerName));
                }

                break;
        }

        if (Text(data, "reason") is { Length: > 0 } reason)
        {
            details.Add(Localized.Format("Reason: {0}", reason));
        }

        if (e.Kind is CaseEventKinds.NoteAdded or CaseEventKinds.MessagePosted && Personal(data?["body"]) is { Length: > 0 } body)
        {
            details.Add(body);
        }

        if (e.Kind == CaseEventKinds.PersonalDataErased)
        {
            details.Insert(0, Localized.Format("The personal data of {0} is erased wherever it was shown; the record keeps the reference, not the data.", Text(data, "subject")));
        }

        if (e.Kind == CaseEventKinds.TimerNotActed && Text(data, "reason") is { Length: > 0 } why)
        {
            details.Add(Localized.Format("It could not act: {0}", why));
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
        : Localized.Text("A company no longer in TIBS");

    /// <summary>
    /// A track's start or move said in the reader's language from the event's data and the plan's names; null (the
    /// English sentence recorded with the event is shown) for changes a timer or a migration made, and for events written
    /// before the data carried the track's region.
    /// </summary>
    private string? TrackSummary(string kind, string? stepKey, JsonObject? data)
    {
        if (stepKey is null || !plan.TryGetStep(stepKey, out var step) || step.Tracks is not { } tracks || data?["timer"] is not null
            || Id(data, "companyId") is not { } companyId || !companyNames.TryGetValue(companyId, out var company))
        {
            return null;
        }

        var to = tracks.NameOf(Text(data, "to"));
        if (kind == CaseEventKinds.TrackStarted && Text(data, "region") is { Length: > 0 } region)
        {
            var (who, where) = (Words.Role(tracks.Role), reference.Region(region));
            return DateTimeOffset.TryParse(Text(data, "due"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var due)
                ? Localized.Format("{0}: track started in “{1}”, with the {2} of {3}, due {4}.", company, to, who, where, due.UtcDateTime.ToString("d", CultureInfo.CurrentCulture))
                : Localized.Format("{0}: track started in “{1}”, with the {2} of {3}.", company, to, who, where);
        }

        return kind == CaseEventKinds.TrackMoved && tracks.State(Text(data, "from")) is { } state && state.Outcome(Text(data, "outcome")) is { } outcome
            ? Localized.Format("{0}: {1} → {2} (“{3}”).", company, state.Name, to, outcome.Label)
            : null;
    }

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
