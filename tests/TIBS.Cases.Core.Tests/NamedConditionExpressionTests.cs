using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Tests;

/// <summary>
/// Every named condition is expressible as an expression (<see cref="ConditionCatalog.AsExpression"/>): on the same
/// case data, the named form and its expression are met, or not, together.
/// </summary>
public sealed class NamedConditionExpressionTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 12, 0, 0, TimeSpan.Zero);

    private const string Yaml = """
        key: named-and-expressions
        name: Named conditions and expressions
        version: 1
        stages:
          - key: main
            name: Main
            steps:
              - key: work
                name: Work
                role: broker
                form:
                  - { key: consent, label: Consent, type: boolean, required: true }
                  - { key: decision, label: Decision, type: choice, options: [go, stop] }
                  - { key: amount, label: Amount, type: number }
                  - { key: barriers, label: Barriers, type: multi-choice, options: [finance, skills] }
                  - { key: agreement, label: Agreement, type: file }
                outcomes:
                  - { key: done, label: Done, to: finished, conditions: [form-complete, { field-equals: { field: decision, value: go } }] }
                  - { key: stop, label: Stop early, to: stopped, requires-reason: true, conditions: [{ field-equals: { field: decision, value: stop } }] }
        end-states:
          - { key: finished, name: Finished, kind: success }
          - { key: stopped, name: Stopped, kind: failure }
        check-ins:
          - { key: quarterly, name: Quarterly check-in, step: work, every: P3M, for: P6M, form: [{ key: progress, label: Progress, type: text }] }
        """;

    private static readonly WorkflowPlan Plan = WorkflowDefinitions.Compile(Yaml);

    public static TheoryData<string, string?, string?, string?> NamedConditions() => new()
    {
        { ConditionCatalog.FormComplete, null, null, null },
        { ConditionCatalog.FieldEquals, null, "consent", "yes" },
        { ConditionCatalog.FieldEquals, null, "decision", "go" },
        { ConditionCatalog.FieldEquals, null, "amount", "5" },
        { ConditionCatalog.FieldEquals, null, "barriers", "finance" },
        { ConditionCatalog.FieldFilled, "decision", null, null },
        { ConditionCatalog.Attachment, "agreement", null, null },
        { ConditionCatalog.CandidatesFromOtherCountries, "1", null, null },
        { ConditionCatalog.CandidatesFromOtherCountries, "2", null, null },
        { ConditionCatalog.MinInterestedPartners, "2", null, null },
        { ConditionCatalog.PartnersFromOtherCountries, "1", null, null },
        { ConditionCatalog.MinAgreedPartners, "2", null, null },
        { ConditionCatalog.CheckInsComplete, null, null, null },
        { ConditionCatalog.NotBefore, ConditionCatalog.LastCheckIn, null, null },
        { ConditionCatalog.NotBefore, "P7M", null, null },
        { ConditionCatalog.FindingsRecorded, "2", null, null },
        { ConditionCatalog.FindingsAnswered, null, null, null },
    };

    [Fact]
    public void Every_named_condition_has_an_expression()
    {
        Assert.All(ConditionCatalog.All, d => Assert.Contains(NamedConditions(), row => (string)row[0] == d.Name || d.Name == ConditionCatalog.Expression));
    }

    [Theory]
    [MemberData(nameof(NamedConditions))]
    public async Task The_named_form_and_its_expression_agree(string name, string? argument, string? field, string? value)
    {
        var reference = new ConditionRef
        {
            Name = name,
            Argument = argument,
            Arguments = field is null ? null : new Dictionary<string, string> { ["field"] = field, ["value"] = value! },
        };
        var stepDefinition = Plan.Document.Stages[0].Steps[0];
        var expression = ConditionCatalog.AsExpression(reference, stepDefinition.Form)!;
        Assert.Empty(WorkflowExpressions.Engine.Check(expression, ExpressionScopes.AtOutcome(Plan.Document, stepDefinition), ExpressionValueKind.Boolean));

        ConditionCatalog.TryGet(name, out var descriptor);
        ConditionCatalog.TryGet(ConditionCatalog.Expression, out var expressionDescriptor);
        int? count = int.TryParse(argument, out var n) ? n : null;
        var named = new PlanCondition(name, descriptor, name, name, count, field ?? (descriptor.Parameter is ConditionParameterKind.Field or ConditionParameterKind.FileField ? argument : null),
            value ?? (descriptor.Parameter == ConditionParameterKind.Moment ? argument : null));
        var asExpression = new PlanCondition(ConditionCatalog.Expression, expressionDescriptor, expression, expression, null, null, null, expression);

        var step = Plan.GetStep("work");
        var outcome = step.Outcomes[0];
        var results = new List<(bool Named, bool Expression)>();
        foreach (var evaluator in Scenarios())
        {
            var a = await evaluator.EvaluateAsync(new ConditionCheck(Plan, step, outcome, named), CancellationToken.None);
            var b = await evaluator.EvaluateAsync(new ConditionCheck(Plan, step, outcome, asExpression), CancellationToken.None);
            Assert.True(a.Met == b.Met, $"{name} {argument ?? field}: named {(a.Met ? "met" : a.UnmetReason)}, '{expression}' {(b.Met ? "met" : b.UnmetReason)}");
            results.Add((a.Met, b.Met));
        }

        // The scenarios tell the two apart: each condition is met in one and not in another.
        Assert.Contains(results, r => r.Named);
        Assert.Contains(results, r => !r.Named);
    }

    private static IEnumerable<CaseConditionEvaluator> Scenarios()
    {
        var started = Now.AddMonths(-8);
        var schedule = Plan.CheckIns.Single().Occurrences(started);
        CaseCheckInRecord CheckIn(int occurrence) => new()
        {
            Id = Guid.NewGuid(),
            CaseId = Guid.Empty,
            CaseStepId = Guid.Empty,
            CheckInKey = "quarterly",
            Occurrence = occurrence,
            DueAt = schedule[occurrence - 1],
            RecordedAt = schedule[occurrence - 1],
            FormData = "{}",
        };
        AuditFindingRecord Finding(int number, bool answered) => new()
        {
            Id = Guid.NewGuid(),
            AuditCaseId = Guid.Empty,
            Number = number,
            Severity = "minor",
            StrategyStep = "work",
            Description = "Finding",
            RecordedBy = Guid.NewGuid(),
            RecordedAt = Now,
            Response = answered ? "Answered" : null,
        };

        // Nothing yet: a new case, an empty form, no partners.
        yield return new CaseConditionEvaluator("LV", [], new Dictionary<string, FieldValue>(), [], Now.AddDays(-3), Now, []);

        // Much done: every field, partners in every status, all check-ins, answered findings, months after the start.
        yield return new CaseConditionEvaluator("LV",
            [Partner("LV", PipelineStatus.Shortlisted), Partner("DE", PipelineStatus.Interested), Partner("EE", PipelineStatus.Agreed), Partner("FI", PipelineStatus.Declined), Partner("LT", PipelineStatus.Agreed)],
            new Dictionary<string, FieldValue>
            {
                ["consent"] = new BooleanValue(true),
                ["decision"] = new ChoiceValue("go"),
                ["amount"] = new NumberValue(5),
                ["barriers"] = new MultiChoiceValue(["finance", "skills"]),
                ["agreement"] = new FileValue([new FileReference("f1", "agreement.pdf")]),
            },
            [CheckIn(1), CheckIn(2)], started, Now, [Finding(1, true), Finding(2, true)]);

        // Half done: other values, local partners, a check-in missing, an open finding.
        yield return new CaseConditionEvaluator("LV",
            [Partner("LV", PipelineStatus.Agreed), Partner("LV", PipelineStatus.Interested), Partner("DE", PipelineStatus.Contacted)],
            new Dictionary<string, FieldValue>
            {
                ["consent"] = new BooleanValue(false),
                ["amount"] = new NumberValue(6),
                ["barriers"] = new MultiChoiceValue(["skills"]),
            },
            [CheckIn(1)], Now.AddMonths(-4), Now, [Finding(1, false)]);
    }

    private static CaseParticipantRecord Partner(string country, string status) => ConditionEvaluatorTests.Partner(country, status);
}
