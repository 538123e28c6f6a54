using Bogus;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Simulation;

/// <summary>
/// The simulated facts of one walk's case, which the named conditions read through the engine's own
/// <see cref="CaseFactConditions"/>: a partner pipeline that grows and moves on as time passes (each walk has its own
/// luck, so some walks find agreed partners from other countries and some never do), check-ins recorded on time or
/// late or not at all, and audit findings that get answered or not.
/// </summary>
internal sealed class SimulatedCase
{
    private static readonly string[] Countries = ["PL", "LV", "EE", "LT", "DE", "FI", "DK", "SE"];

    private readonly Faker _faker;
    private readonly float _luck;
    private readonly float _diligence;
    private readonly List<PartnerFact> _partners = [];
    private readonly List<CheckInFact> _checkIns = [];
    private readonly HashSet<(string Key, int Occurrence)> _checkInsDecided = [];
    private readonly List<FindingFact> _findings = [];
    private readonly Dictionary<string, IReadOnlyDictionary<string, FieldValue>> _recorded = new(StringComparer.Ordinal);

    public SimulatedCase(Faker faker, bool favourable = false)
    {
        _faker = faker;
        LeadCountry = faker.PickRandom(Countries);
        _luck = favourable ? 1f : faker.Random.Float(0.1f, 0.9f);
        _diligence = favourable ? 1f : faker.Random.Float(0.5f, 1f);
        if (favourable)
        {
            var foreign = Countries.First(c => c != LeadCountry);
            _partners.AddRange(Enumerable.Range(0, 3).Select(_ => new PartnerFact(foreign, PartnerStatuses.Agreed)));
            _findings.AddRange(Enumerable.Range(1, 3).Select(n => new FindingFact(n, true)));
        }
    }

    public string LeadCountry { get; }

    /// <summary>Time passes: partners are shortlisted and move through the pipeline, findings are recorded and answered.</summary>
    public void Evolve()
    {
        if (_luck >= 1f)
        {
            return;
        }

        for (var i = 0; i < _partners.Count; i++)
        {
            var p = _partners[i];
            if (!_faker.Random.Bool(0.6f))
            {
                continue;
            }

            var next = p.Status switch
            {
                PartnerStatuses.Shortlisted => PartnerStatuses.Contacted,
                PartnerStatuses.Contacted => _faker.Random.Bool(_luck) ? PartnerStatuses.Interested : PartnerStatuses.Declined,
                PartnerStatuses.Interested => _faker.Random.Bool(_luck) ? PartnerStatuses.Agreed : PartnerStatuses.Declined,
                _ => p.Status,
            };
            _partners[i] = p with { Status = next };
        }

        var added = _faker.Random.Int(0, 2);
        for (var i = 0; i < added; i++)
        {
            var country = _faker.Random.Bool(0.35f) ? LeadCountry : _faker.PickRandom(Countries.Where(c => c != LeadCountry).ToArray());
            _partners.Add(new PartnerFact(country, PartnerStatuses.Shortlisted));
        }

        for (var i = 0; i < _findings.Count; i++)
        {
            if (!_findings[i].Answered && _faker.Random.Bool(0.6f))
            {
                _findings[i] = _findings[i] with { Answered = true };
            }
        }

        if (_faker.Random.Bool(0.4f))
        {
            _findings.Add(new FindingFact(_findings.Count + 1, false));
        }
    }

    /// <summary>Check-ins of the step that have fallen due by <paramref name="now"/> are recorded, each with the walk's diligence.</summary>
    public void RecordCheckIns(WorkflowPlan plan, PlanStep step, DateTimeOffset stepStartedAt, DateTimeOffset now, bool retryMissed)
    {
        foreach (var checkIn in plan.CheckInsFor(step.Key))
        {
            var due = checkIn.Occurrences(stepStartedAt);
            for (var k = 0; k < due.Count && due[k] <= now; k++)
            {
                var id = (checkIn.Key, k + 1);
                var recorded = _checkIns.Any(c => c.CheckInKey == checkIn.Key && c.Occurrence == k + 1);
                if (!recorded && (_checkInsDecided.Add(id) || retryMissed) && _faker.Random.Bool(_diligence))
                {
                    _checkIns.Add(new CheckInFact(checkIn.Key, k + 1));
                }
            }
        }
    }

    /// <summary>A step completed with <paramref name="values"/>: later steps' expressions see them as <c>steps.&lt;key&gt;.*</c>.</summary>
    public void Record(string stepKey, IReadOnlyDictionary<string, FieldValue> values)
    {
        if (values.Count > 0)
        {
            _recorded[stepKey] = values;
        }
    }

    public CaseFacts Facts(IReadOnlyDictionary<string, FieldValue> submitted, DateTimeOffset stepStartedAt, DateTimeOffset now) =>
        new(LeadCountry, [.. _partners], submitted, [.. _checkIns], stepStartedAt, now, [.. _findings])
        {
            Recorded = new Dictionary<string, IReadOnlyDictionary<string, FieldValue>>(_recorded, StringComparer.Ordinal),
        };
}
