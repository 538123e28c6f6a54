using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Reads a whole case for display and for the queries that decide on it (what may be done now and by whom). Access is
/// not checked here: the query that shows the case asks <see cref="CaseAccess"/>. Commands read through
/// <see cref="CaseCommandContext"/>.
/// </summary>
public sealed class CaseReader(ICaseStore cases, ICompanyStore companies, WorkflowCatalog catalog, TimeProvider time, Audits.IAuditStore? audits = null)
{
    public async Task<CaseDetails?> GetDetailsAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        var record = await cases.GetAsync(caseId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var plan = await catalog.GetPlanAsync(record.DefinitionVersionId, cancellationToken);
        return new CaseDetails(
            record,
            plan,
            await cases.GetStepsAsync(caseId, cancellationToken),
            await cases.GetEventsAsync(caseId, cancellationToken),
            await cases.GetParticipantsAsync(caseId, cancellationToken),
            await cases.GetRemindersAsync(caseId, cancellationToken),
            await cases.GetCheckInsAsync(caseId, cancellationToken))
        {
            Notes = await cases.GetNotesAsync(caseId, cancellationToken),
            Attachments = await cases.GetAttachmentsAsync(caseId, cancellationToken),
            Messages = await cases.GetMessagesAsync(caseId, cancellationToken),
            Tracks = await TracksAsync(plan, caseId, cancellationToken),
        };
    }

    /// <summary>The case's partner tracks, read only when its definition has a step that runs them.</summary>
    private async Task<IReadOnlyList<Partners.Tracks.CaseTrackRecord>> TracksAsync(WorkflowPlan plan, Guid caseId, CancellationToken cancellationToken) =>
        HasTracks(plan) ? await cases.GetTracksAsync(caseId, cancellationToken) : [];

    private static bool HasTracks(WorkflowPlan plan) => plan.Steps.Any(s => s.Tracks is not null);

    /// <summary>
    /// A case for display, read in one round trip (<see cref="ICaseStore.GetViewAsync"/>): the case and its workspace as
    /// <see cref="CaseDetails"/> whose <see cref="CaseDetails.Events"/> are one page of the timeline (oldest first), and
    /// the page's data with the people it names and the partner tracks. The lead company's country comes with the
    /// participants, so judging the case's conditions reads nothing more.
    /// </summary>
    public async Task<(CaseDetails Details, CasePageData Page)?> GetPageAsync(Guid caseId, EventPage page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        var data = await cases.GetViewAsync(caseId, page, cancellationToken);
        if (data is null)
        {
            return null;
        }

        // For display: the definition's texts in the reader's language (English where not translated).
        var plan = await catalog.GetDisplayPlanAsync(data.Case.DefinitionVersionId, cancellationToken: cancellationToken);
        var details = new CaseDetails(data.Case, plan, data.Steps, data.Events, data.Participants, data.Reminders, data.CheckIns)
        {
            Notes = data.Notes,
            Attachments = data.Attachments,
            Messages = data.Messages,
            LeadCountryCode = LeadCountry(data.Case, data.Participants),
            Tracks = HasTracks(plan) ? data.Tracks ?? await cases.GetTracksAsync(caseId, cancellationToken) : [],
        };
        return (details, data);
    }

    /// <summary>
    /// What a command decides on, read in one round trip (<see cref="ICaseStore.GetCommandStateAsync"/>): the case row,
    /// its open step records as <see cref="CaseDetails.Steps"/>, its pending and paused reminders as
    /// <see cref="CaseDetails.Reminders"/>, participants (the lead company's among them, with its country), check-ins
    /// and partner tracks; no timeline, notes, attachments or messages, so that a command's reads do not grow with the
    /// case's history.
    /// </summary>
    internal async Task<CaseDetails?> GetCommandDetailsAsync(Guid caseId, CancellationToken cancellationToken)
    {
        var state = await cases.GetCommandStateAsync(caseId, cancellationToken);
        if (state is null)
        {
            return null;
        }

        var plan = await catalog.GetPlanAsync(state.Case.DefinitionVersionId, cancellationToken);
        return new CaseDetails(state.Case, plan, state.OpenSteps, [], state.Participants, state.OpenReminders, state.CheckIns)
        {
            LeadCountryCode = LeadCountry(state.Case, state.Participants),
            Tracks = HasTracks(plan) ? state.Tracks ?? await cases.GetTracksAsync(caseId, cancellationToken) : [],
            HasDrafts = state.HasDrafts,
        };
    }

    /// <summary>
    /// What a command on a case's forms or partners decides on, in one round trip
    /// (<see cref="ICaseStore.GetCommandStateWithTracksAsync"/>): as <see cref="GetCommandDetailsAsync"/>, with the
    /// completed step records among <see cref="CaseDetails.Steps"/> (without their forms: whether a step was done) and
    /// the partner tracks. No timeline, notes, attachments or messages: the read does not grow with the case's history.
    /// </summary>
    internal async Task<CaseDetails?> GetCommandDetailsWithTracksAsync(Guid caseId, CancellationToken cancellationToken)
    {
        if (await cases.GetCommandStateWithTracksAsync(caseId, cancellationToken) is not { State: var state } read)
        {
            return null;
        }

        var plan = await catalog.GetPlanAsync(state.Case.DefinitionVersionId, cancellationToken);
        // The open records are the latest: after the completed ones, each part in the database's order.
        return new CaseDetails(state.Case, plan, [.. read.CompletedSteps, .. state.OpenSteps], [], state.Participants, state.OpenReminders, state.CheckIns)
        {
            LeadCountryCode = LeadCountry(state.Case, state.Participants),
            Tracks = read.Tracks,
        };
    }

    /// <summary>The lead company's country as its participant row carries it; null (to be read) if the row is missing.</summary>
    private static string? LeadCountry(CaseRecord @case, IReadOnlyList<CaseParticipantRecord> participants) =>
        participants.FirstOrDefault(p => p.Role == ParticipantRole.Lead && p.CompanyId == @case.LeadCompanyId)?.CountryCode;

    /// <summary>
    /// Every outcome of the current step and every case action, each with whether it is possible now (and why
    /// not), and whether <paramref name="actor"/> may take it. Conditions that depend on the form are judged on
    /// the values saved so far (or <paramref name="draft"/>).
    /// </summary>
    public async Task<IReadOnlyList<CaseAction>> GetActionsAsync(CaseDetails details, Actor actor, IReadOnlyDictionary<string, FieldValue>? draft = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        var runtime = new WorkflowRuntime(details.Plan);
        var values = draft ?? (details.CurrentStep is { } s ? details.ValuesOf(s.Key) : new Dictionary<string, FieldValue>());
        var evaluator = await EvaluatorAsync(details, values, cancellationToken);
        var actions = await runtime.GetActionsAsync(details.Snapshot, evaluator, cancellationToken);
        var roles = CaseRoles.Of(actor, details.Case, details.Participants);
        return [.. actions.Select(a => new CaseAction(a, a.Roles.Any(roles.Contains)))];
    }

    /// <summary>The named conditions of the workflow judged on the case and the form's values.</summary>
    internal async Task<CaseConditionEvaluator> EvaluatorAsync(CaseDetails details, IReadOnlyDictionary<string, FieldValue> values, CancellationToken cancellationToken)
    {
        var country = details.LeadCountryCode ?? (await companies.GetAsync(details.Case.LeadCompanyId, cancellationToken))?.CountryCode;
        var findings = details.Case.IsAudit && audits is not null ? await audits.GetFindingsAsync(details.Case.Id, cancellationToken) : null;
        return new CaseConditionEvaluator(country ?? "", details.Participants, values, details.CheckIns, details.Case.StepStartedAt, time.UtcNow(), findings, details.Case);
    }
}
