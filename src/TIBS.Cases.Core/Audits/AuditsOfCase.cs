using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Audits;

/// <summary>
/// What a case page shows of audits: for a strategy, its audits and their conclusions; for an audit, the strategy it
/// audits, its findings with their answers, and whether the reader may record a finding or answer one now. Null when
/// the case does not exist or is not the reader's to read (<see cref="CaseAccess.CanRead"/>).
/// </summary>
public sealed class AuditsOfCase(ICaseStore cases, IAuditStore audits, RecordFinding findings)
{
    public sealed record Request(Guid CaseId);

    public async Task<AuditPanel?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var c = await cases.GetAsync(request.CaseId, cancellationToken);
        if (c is null || !CaseAccess.CanRead(actor, c, await cases.GetParticipantsAsync(c.Id, cancellationToken)))
        {
            return null;
        }

        if (!c.IsAudit)
        {
            return new AuditPanel { Case = c, Audits = await audits.GetAuditsOfAsync(c.Id, cancellationToken), MayStartAudit = CaseAccess.CanAudit(actor, c) };
        }

        var strategy = await cases.GetAsync(c.AuditedCaseId!.Value, cancellationToken);
        var steps = await findings.StrategyStepsAsync(c, cancellationToken);
        var participants = await cases.GetParticipantsAsync(c.Id, cancellationToken);
        var roles = CaseRoles.Of(actor, c, participants);
        var writable = CaseAccess.CanWrite(actor, c, participants);
        return new AuditPanel
        {
            Case = c,
            AuditedReference = strategy?.Reference,
            Findings = await audits.GetFindingsAsync(c.Id, cancellationToken),
            StrategySteps = steps,
            MayRecordFinding = writable && c.CurrentStep == AuditDefinition.FindingsStep && roles.Contains(TIBS.Cases.Workflows.Definitions.WorkflowRole.Evaluator),
            MayAnswer = writable && c.CurrentStep == AuditDefinition.ResponseStep && roles.Contains(TIBS.Cases.Workflows.Definitions.WorkflowRole.Broker),
        };
    }
}

/// <summary>The audit part of a case page (see <see cref="AuditsOfCase"/>).</summary>
public sealed record AuditPanel
{
    public required CaseRecord Case { get; init; }

    /// <summary>A strategy's audits, newest first.</summary>
    public IReadOnlyList<AuditSummary> Audits { get; init; } = [];

    /// <summary>Whether the reader may start an audit of this strategy.</summary>
    public bool MayStartAudit { get; init; }

    /// <summary>For an audit: the strategy it audits.</summary>
    public string? AuditedReference { get; init; }

    public IReadOnlyList<AuditFindingRecord> Findings { get; init; } = [];

    /// <summary>The steps of the audited strategy, which a finding may concern.</summary>
    public IReadOnlyList<PlanStep> StrategySteps { get; init; } = [];

    public bool MayRecordFinding { get; init; }

    public bool MayAnswer { get; init; }

    public string StepName(string key) => StrategySteps.FirstOrDefault(s => s.Key == key)?.Name ?? Display.Words.Humanize(key);
}
