using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Decides the conditions of outcomes against one case: the form values being submitted with the outcome, the case's
/// recorded forms, its partner pipeline, check-ins and findings.
/// </summary>
public sealed class CaseConditionEvaluator(
    string leadCountryCode,
    IReadOnlyList<CaseParticipantRecord> participants,
    IReadOnlyDictionary<string, FieldValue> submitted,
    IReadOnlyList<CaseCheckInRecord> checkIns,
    DateTimeOffset stepStartedAt,
    DateTimeOffset now,
    IReadOnlyList<Audits.AuditFindingRecord>? findings = null,
    CaseRecord? @case = null) : ICaseConditionEvaluator
{
    private readonly CaseFacts _facts = new(
        leadCountryCode,
        [.. participants.Where(p => p.Role == ParticipantRole.Partner).Select(p => new PartnerFact(p.CountryCode, p.PipelineStatus))],
        submitted,
        [.. checkIns.Select(c => new CheckInFact(c.CheckInKey, c.Occurrence))],
        stepStartedAt,
        now,
        [.. (findings ?? []).Select(f => new FindingFact(f.Number, f.IsAnswered))])
    {
        Recorded = @case is null ? CaseFacts.NothingRecorded : CaseData.Read(@case.Data),
        RegionCode = @case?.RegionCode,
        OpenedAt = @case?.OpenedAt,
    };

    /// <summary>The meanings live in the engine (<see cref="CaseFactConditions"/>), so the simulator decides alike.</summary>
    public ValueTask<ConditionResult> EvaluateAsync(ConditionCheck check, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CaseFactConditions.Evaluate(check, _facts));
}
