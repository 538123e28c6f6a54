using TIBS.Cases.Core.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// A case whose way out of a step is gated by an expression condition that reads an earlier step's field, the case's
/// country and a decision table: decided in the one read of the command, refused with its reason in words.
/// </summary>
public abstract class ExpressionConditionTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Yaml = """
        key: joint-smart-strategy
        name: Grant review
        version: 1
        stages:
          - key: main
            name: Main
            steps:
              - key: intake
                name: Intake
                role: broker
                form:
                  - { key: employees, label: Employees, type: number, required: true }
                outcomes:
                  - { key: next, label: Next, to: review }
              - key: review
                name: Review
                role: coordinator
                form:
                  - { key: amount, label: Amount, type: number, required: true }
                outcomes:
                  - key: approve
                    label: Approve
                    to: approved
                    conditions:
                      - expression: "decision.eligibility == \"eligible\" && form.amount <= 200000 && days_between(case.opened, today) >= 0"
                  - key: reject
                    label: Reject
                    to: rejected
                    conditions:
                      - expression: "decision.eligibility != \"eligible\" || form.amount > 200000"
        end-states:
          - { key: approved, name: Approved, kind: success }
          - { key: rejected, name: Rejected, kind: failure }
        decisions:
          - key: eligibility
            name: Eligibility
            hit-policy: first
            inputs:
              - { label: Employees, expression: "steps.intake.employees", kind: number }
              - { label: Country, expression: "case.country", kind: text }
            output: { kind: text, values: [eligible, not-eligible] }
            rules:
              - { when: ["< 250", "LV, LT, EE"], then: eligible }
              - { when: ["-", "-"], then: not-eligible }
        """;

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(CaseEnvironment Env, CaseRecord Case)> AtReviewAsync(int employees)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tibs-tests", "workflows-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "joint-smart-strategy"));
        await File.WriteAllTextAsync(Path.Combine(folder, "joint-smart-strategy", "v1.yaml"), Yaml);
        var env = await CaseEnvironment.CreateAsync(fixture, folder);
        var @case = await env.OpenCaseAsync();
        var intake = await env.CompleteTowardsAsync(@case.Id, "review", CaseEnvironment.With(("employees", employees.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.True(intake.Succeeded, intake.Message);
        return (env, intake.Case!);
    }

    [SkippableFact]
    public async Task An_eligible_case_is_approved_within_the_amount_and_refused_above_it_with_the_reason()
    {
        fixture.EnsureAvailable();
        var (env, @case) = await AtReviewAsync(employees: 12);

        var tooMuch = await env.CompleteTowardsAsync(@case.Id, "approved", CaseEnvironment.With(("amount", "250000")));
        Assert.Equal(CaseCommandStatus.ConditionsNotMet, tooMuch.Status);
        var unmet = Assert.Single(tooMuch.Unmet);
        Assert.Contains("does not hold for this case", unmet.Reason, StringComparison.Ordinal);

        var approved = await env.CompleteTowardsAsync(@case.Id, "approved", CaseEnvironment.With(("amount", "150000")));
        Assert.True(approved.Succeeded, approved.Message);
        Assert.Equal("approved", approved.Case!.CurrentStep);
    }

    [SkippableFact]
    public async Task The_decision_table_reads_the_earlier_step_and_makes_a_large_company_not_eligible()
    {
        fixture.EnsureAvailable();
        var (env, @case) = await AtReviewAsync(employees: 300);

        var approve = await env.CompleteTowardsAsync(@case.Id, "approved", CaseEnvironment.With(("amount", "1000")));
        Assert.Equal(CaseCommandStatus.ConditionsNotMet, approve.Status);

        var rejected = await env.CompleteTowardsAsync(@case.Id, "rejected", CaseEnvironment.With(("amount", "1000")));
        Assert.True(rejected.Succeeded, rejected.Message);
        Assert.Equal("rejected", rejected.Case!.CurrentStep);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteExpressionConditionTests(SqliteFixture fixture) : ExpressionConditionTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresExpressionConditionTests(PostgresFixture fixture) : ExpressionConditionTests(fixture);
