using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Display;

/// <summary>
/// The words people read for the codes the system stores: case and partner statuses, workflow roles, and a readable
/// fallback for a key nothing names yet (a value added by a later definition version, a new event kind).
/// </summary>
public static class Words
{
    /// <summary>A key made readable: <c>early-end</c> becomes "Early end". Only for keys no label exists for.</summary>
    public static string Humanize(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return "";
        }

        var text = key.Trim().Replace('-', ' ').Replace('_', ' ');
        return char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];
    }

    /// <summary>A case's status: Active, On hold, Closed.</summary>
    public static string CaseStatus(string status) => status switch
    {
        Cases.CaseStatus.Active => Localized.Text("Active"),
        Cases.CaseStatus.OnHold => Localized.Text("On hold"),
        Cases.CaseStatus.Closed => Localized.Text("Closed"),
        _ => Humanize(status),
    };

    /// <summary>Where a company stands in the partner pipeline of a case.</summary>
    public static string PipelineStatus(string status) => status switch
    {
        Cases.PipelineStatus.Lead => Localized.Text("Lead company"),
        Cases.PipelineStatus.Shortlisted => Localized.Text("Shortlisted"),
        Cases.PipelineStatus.Contacted => Localized.Text("Contacted"),
        Cases.PipelineStatus.Interested => Localized.Text("Interested"),
        Cases.PipelineStatus.Declined => Localized.Text("Declined"),
        Cases.PipelineStatus.Agreed => Localized.Text("Agreed"),
        _ => Humanize(status),
    };

    /// <summary>A workflow role as a person says it, in the reader's language: "partner broker", not <c>partner-broker</c>.</summary>
    public static string Role(WorkflowRole role) => role switch
    {
        WorkflowRole.Broker => Localized.Text("broker"),
        WorkflowRole.PartnerBroker => Localized.Text("partner broker"),
        WorkflowRole.Coordinator => Localized.Text("coordinator"),
        WorkflowRole.Evaluator => Localized.InSentence("Evaluator"),
        WorkflowRole.Administrator => Localized.InSentence("Administrator"),
        _ => RoleInEnglish(role),
    };

    /// <summary>A workflow role in English, for records written once (event summaries), never translated.</summary>
    internal static string RoleInEnglish(WorkflowRole role) => role switch
    {
        WorkflowRole.Broker => "broker",
        WorkflowRole.PartnerBroker => "partner broker",
        WorkflowRole.Coordinator => "coordinator",
        WorkflowRole.Evaluator => "evaluator",
        WorkflowRole.Administrator => "administrator",
        _ => Humanize(role.ToName()).ToLowerInvariant(),
    };

    /// <summary>A duration in days and hours ("3 days 4 hours"); under an hour, "less than an hour".</summary>
    public static string Duration(TimeSpan span)
    {
        var parts = new List<string>();
        if (span.Days > 0)
        {
            parts.Add(span.Days == 1 ? Localized.Text("1 day") : Localized.Format("{0} days", span.Days));
        }

        if (span.Hours > 0)
        {
            parts.Add(span.Hours == 1 ? Localized.Text("1 hour") : Localized.Format("{0} hours", span.Hours));
        }

        return parts.Count == 0 ? Localized.Text("less than an hour") : string.Join(" ", parts);
    }

    /// <summary>A calendar date as people read it: 12 March 2026 in English, the long date of the reader's language otherwise.</summary>
    public static string Date(DateOnly date) => MessageDates.Long(date);
}
