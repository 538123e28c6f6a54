using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
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
        var what = e.Kind switch
        {
            "step-completed" => $"completed {Name(plan, e.StepKey)}" + (Text(data, "outcomeLabel") is { } o ? $" ({o})" : "")
                + (Text(data, "to") is { } to && plan.Contains(to) ? $", so the case is now at {Name(plan, to)}" : ""),
            "check-in-recorded" => $"recorded {CheckInName(plan, Text(data, "checkIn"))} {data?["occurrence"]}",
            "case-hold" => "put the case on hold",
            "case-resume" => "resumed the case",
            "case-withdraw" => "withdrew the case",
            "case-reassign" => $"handed the case over to {names(Guid.TryParse(Text(data, "to"), out var owner) ? owner : null)}",
            "case-migrated" => $"moved the case to version {data?["toVersion"]} of the workflow, at {Name(plan, e.StepKey)}",
            "partner-shortlisted" => $"shortlisted {Text(data, "company") ?? "a partner"}",
            "partner-status-changed" => $"marked {PartnerName(details, Text(data, "participantId"))} as {Text(data, "to")}",
            "attachment-added" => $"attached {Text(data, "fileName") ?? "a file"}",
            "note-added" => "added a note",
            "message-posted" => "sent a message",
            _ when Text(data, "label") is { } label => $"did '{label}'",
            _ => "changed the case",
        };
        var at = e.OccurredAt.UtcDateTime;
        var when = at.Date == now.UtcDateTime.Date
            ? string.Create(CultureInfo.InvariantCulture, $"at {at:HH:mm} UTC")
            : string.Create(CultureInfo.InvariantCulture, $"on {at:yyyy-MM-dd} at {at:HH:mm} UTC");
        return new CaseChange($"{names(e.ActorUserId)} {what} {when}", e.OccurredAt, e.Kind);
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
        key is null ? "the case" : plan.TryGetStep(key, out var s) ? s.Name : plan.TryGetEndState(key, out var e) ? e.Name : key;

    private static string CheckInName(WorkflowPlan plan, string? key) => plan.CheckIns.FirstOrDefault(c => c.Key == key)?.Name ?? "a check-in";

    private static string PartnerName(CaseDetails details, string? participantId) =>
        details.Participants.FirstOrDefault(p => p.Id.ToString() == participantId)?.CompanyName ?? "a partner";
}
