using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Tests;

/// <summary>The case-data conditions of the shipped definition, decided against a case's partners and check-ins.</summary>
public sealed class ConditionEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly WorkflowPlan Plan = WorkflowDefinitions.Compile(File.ReadAllText(ShippedV1()));

    private static string ShippedV1()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "workflows", "joint-smart-strategy", "v1.yaml");
            if (File.Exists(file))
            {
                return file;
            }
        }

        throw new FileNotFoundException("workflows/joint-smart-strategy/v1.yaml");
    }

    internal static CaseParticipantRecord Partner(string country, string status) => new()
    {
        Id = Guid.NewGuid(),
        CaseId = Guid.Empty,
        CompanyId = Guid.NewGuid(),
        RegionCode = "X",
        Role = ParticipantRole.Partner,
        PipelineStatus = status,
        CountryCode = country,
    };

    private static async Task<ConditionResult> EvaluateAsync(string step, string condition, IReadOnlyList<CaseParticipantRecord> partners, IReadOnlyList<CaseCheckInRecord>? checkIns = null, DateTimeOffset? started = null)
    {
        var planStep = Plan.GetStep(step);
        var (outcome, c) = planStep.Outcomes.SelectMany(o => o.Conditions.Select(c => (o, c))).First(x => x.c.Name == condition);
        var evaluator = new CaseConditionEvaluator("LV", partners, new Dictionary<string, FieldValue>(), checkIns ?? [], started ?? Now, Now);
        return await evaluator.EvaluateAsync(new ConditionCheck(Plan, planStep, outcome, c), CancellationToken.None);
    }

    [Fact]
    public async Task Candidates_from_the_lead_companys_own_country_do_not_count()
    {
        var local = await EvaluateAsync("matching", ConditionCatalog.CandidatesFromOtherCountries, [Partner("LV", PipelineStatus.Shortlisted)]);
        var foreign = await EvaluateAsync("matching", ConditionCatalog.CandidatesFromOtherCountries, [Partner("LV", PipelineStatus.Shortlisted), Partner("DE", PipelineStatus.Shortlisted)]);
        var declined = await EvaluateAsync("matching", ConditionCatalog.CandidatesFromOtherCountries, [Partner("DE", PipelineStatus.Declined)]);

        Assert.False(local.Met);
        Assert.Equal("Needs at least 1 shortlisted candidate(s) from another country than the lead company's; the case has 0.", local.UnmetReason);
        Assert.True(foreign.Met);
        Assert.False(declined.Met);
    }

    [Fact]
    public async Task Interest_and_agreement_are_counted_from_the_pipeline()
    {
        var contacted = await EvaluateAsync("expressions-of-interest", ConditionCatalog.MinInterestedPartners, [Partner("DE", PipelineStatus.Contacted)]);
        var interested = await EvaluateAsync("expressions-of-interest", ConditionCatalog.MinInterestedPartners, [Partner("DE", PipelineStatus.Interested)]);
        var notAgreed = await EvaluateAsync("joint-strategy", ConditionCatalog.MinAgreedPartners, [Partner("DE", PipelineStatus.Interested)]);
        var agreed = await EvaluateAsync("joint-strategy", ConditionCatalog.MinAgreedPartners, [Partner("DE", PipelineStatus.Agreed)]);

        Assert.False(contacted.Met);
        Assert.True(interested.Met);
        Assert.False(notAgreed.Met);
        Assert.Contains("partner(s) who agreed", notAgreed.UnmetReason, StringComparison.Ordinal);
        Assert.True(agreed.Met);
    }

    [Fact]
    public async Task Check_ins_are_complete_only_when_every_scheduled_one_is_recorded()
    {
        var started = Now.AddMonths(-13);
        var schedule = Plan.CheckIns.Single().Occurrences(started);
        CaseCheckInRecord Record(int k) => new()
        {
            Id = Guid.NewGuid(),
            CaseId = Guid.Empty,
            CaseStepId = Guid.Empty,
            CheckInKey = Plan.CheckIns.Single().Key,
            Occurrence = k,
            DueAt = schedule[k - 1],
            RecordedAt = Now,
            FormData = "{}",
        };

        var three = await EvaluateAsync("follow-up-check-ins", ConditionCatalog.CheckInsComplete, [], [Record(1), Record(2), Record(3)], started);
        var four = await EvaluateAsync("follow-up-check-ins", ConditionCatalog.CheckInsComplete, [], [Record(1), Record(2), Record(3), Record(4)], started);

        Assert.Equal(4, schedule.Count);
        Assert.False(three.Met);
        Assert.Contains("4 of 4", three.UnmetReason, StringComparison.Ordinal);
        Assert.True(four.Met);
    }
}
