using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Decides the conditions of outcomes against one case: the form values being submitted with the outcome, the case's
/// recorded forms, its partner pipeline, check-ins and findings.
/// </summary>
internal sealed class CaseConditionEvaluator(
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
        // Read only when an expression asks for an earlier step's values: named conditions never need it.
        Recorded = @case is null ? CaseFacts.NothingRecorded : new LazyRecorded(@case.Data),
        RegionCode = @case?.RegionCode,
        OpenedAt = @case?.OpenedAt,
    };

    /// <summary>The meanings live in the engine (<see cref="CaseFactConditions"/>), so the simulator decides alike.</summary>
    public ValueTask<ConditionResult> EvaluateAsync(ConditionCheck check, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CaseFactConditions.Evaluate(check, _facts));

    /// <summary>The case's recorded forms, parsed from the case's data the first time something reads them.</summary>
    private sealed class LazyRecorded(string data) : IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldValue>>
    {
        private IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldValue>>? _read;

        private IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldValue>> Read => _read ??= CaseData.Read(data);

        public IReadOnlyDictionary<string, FieldValue> this[string key] => Read[key];

        public IEnumerable<string> Keys => Read.Keys;

        public IEnumerable<IReadOnlyDictionary<string, FieldValue>> Values => Read.Values;

        public int Count => Read.Count;

        public bool ContainsKey(string key) => Read.ContainsKey(key);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out IReadOnlyDictionary<string, FieldValue> value) => Read.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, IReadOnlyDictionary<string, FieldValue>>> GetEnumerator() => Read.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
