using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Conflicts;

/// <summary>One change of a case, said in words: "Anna Ozola completed Intake at 10:42 UTC".</summary>
public sealed record CaseChange(string Text, DateTimeOffset At, string Kind);

/// <summary>
/// The events a user has not seen: those since the case version they loaded, told in the definition's labels and
/// the actors' names. Notes, messages and system records (audit anchors) only append and leave the version as it
/// is (<see cref="AuditChain.RecordAppendOnly"/>); every other event moved the version on by one.
/// </summary>
internal static class CaseChanges
{
    /// <summary>Whether an event leaves the case's version as it is.</summary>
    public static bool IsAppendOnly(CaseEventRecord e) =>
        e is null ? throw new ArgumentNullException(nameof(e)) : e.ActorUserId is null || e.Kind is "note-added" or "message-posted" || e.Kind == AuditAnchoring.AnchoredKind;

    /// <summary>The events after the one that made <paramref name="loadedVersion"/>, oldest first.</summary>
    public static IReadOnlyList<CaseEventRecord> Since(CaseDetails details, int loadedVersion)
    {
        ArgumentNullException.ThrowIfNull(details);
        var moves = details.Case.Version - loadedVersion;
        var since = new List<CaseEventRecord>();
        for (var i = details.Events.Count - 1; i >= 0 && moves > 0; i--)
        {
            var e = details.Events[i];
            if (!IsAppendOnly(e))
            {
                moves--;
            }

            if (e.ActorUserId is not null)
            {
                since.Add(e);
            }
        }

        since.Reverse();
        return since;
    }

    /// <summary>One event in words; <paramref name="names"/> gives people's names by user id.</summary>
    public static CaseChange Describe(CaseDetails details, CaseEventRecord e, Func<Guid?, string> names, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(names);
        var plan = details.Plan;
        var data = Parse(e.Data);
        var at = e.OccurredAt.UtcDateTime;
        var time = at.ToString("HH:mm", CultureInfo.InvariantCulture);
        var when = at.Date == now.UtcDateTime.Date
            ? Localized.Format("at {0} UTC", time)
            : Localized.Format("on {0} at {1} UTC", Display.MessageDates.Short(e.OccurredAt), time);
        var who = names(e.ActorUserId);
        var outcome = Text(data, "outcomeLabel");
        var next = Text(data, "to") is { } to && plan.Contains(to) ? Name(plan, to) : null;
        var sentence = e.Kind switch
        {
            "step-completed" => (outcome, next) switch
            {
                ({ } o, { } n) => Localized.Format("{0} completed {1} ({2}), so the case is now at {3} {4}", who, Name(plan, e.StepKey), o, n, when),
                ({ } o, null) => Localized.Format("{0} completed {1} ({2}) {3}", who, Name(plan, e.StepKey), o, when),
                (null, { } n) => Localized.Format("{0} completed {1}, so the case is now at {2} {3}", who, Name(plan, e.StepKey), n, when),
                _ => Localized.Format("{0} completed {1} {2}", who, Name(plan, e.StepKey), when),
            },
            "check-in-recorded" => Localized.Format("{0} recorded {1} {2} {3}", who, CheckInName(plan, Text(data, "checkIn")), data?["occurrence"]?.ToString(), when),
            "case-hold" => Localized.Format("{0} put the case on hold {1}", who, when),
            "case-resume" => Localized.Format("{0} resumed the case {1}", who, when),
            "case-withdraw" => Localized.Format("{0} withdrew the case {1}", who, when),
            "case-reassign" => Localized.Format("{0} handed the case over to {1} {2}", who, names(Guid.TryParse(Text(data, "to"), out var owner) ? owner : null), when),
            "case-migrated" => Localized.Format("{0} moved the case to version {1} of the workflow, at {2} {3}", who, data?["toVersion"]?.ToString(), Name(plan, e.StepKey), when),
            "partner-shortlisted" => Localized.Format("{0} shortlisted {1} {2}", who, Text(data, "company") ?? Localized.Text("a partner"), when),
            "partner-status-changed" => Localized.Format("{0} marked {1} as {2} {3}", who, PartnerName(details, Text(data, "participantId")), Display.Words.PipelineStatus(Text(data, "to") ?? ""), when),
            "attachment-added" => Localized.Format("{0} attached {1} {2}", who, Text(data, "fileName") ?? Localized.Text("a file"), when),
            "note-added" => Localized.Format("{0} added a note {1}", who, when),
            "message-posted" => Localized.Format("{0} sent a message {1}", who, when),
            _ when Text(data, "label") is { } label => Localized.Format("{0} did “{1}” {2}", who, label, when),
            _ => Localized.Format("{0} changed the case {1}", who, when),
        };
        return new CaseChange(sentence, e.OccurredAt, e.Kind);
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

    private static string? Text(JsonObject? data, string key) => data?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Name(WorkflowPlan plan, string? key) =>
        key is null ? Localized.Text("the case") : plan.TryGetStep(key, out var s) ? s.Name : plan.TryGetEndState(key, out var e) ? e.Name : key;

    private static string CheckInName(WorkflowPlan plan, string? key) => plan.CheckIns.FirstOrDefault(c => c.Key == key)?.Name ?? Localized.Text("a check-in");

    private static string PartnerName(CaseDetails details, string? participantId) =>
        details.Participants.FirstOrDefault(p => p.Id.ToString() == participantId)?.CompanyName ?? Localized.Text("a partner");
}
