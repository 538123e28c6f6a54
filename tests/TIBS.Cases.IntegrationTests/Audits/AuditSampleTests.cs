using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Audits;

/// <summary>A sample of completed strategies is recorded with its seed and drawn again, the same, from it.</summary>
public abstract class AuditSampleTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task The_same_seed_over_the_same_strategies_draws_the_same_sample_and_both_are_recorded()
    {
        fixture.EnsureAvailable();
        var a = await AuditEnvironment.CreateAsync(fixture);
        var env = a.Env;
        var strategies = new List<CaseRecord>();
        for (var i = 0; i < 6; i++)
        {
            strategies.Add(await a.CompletedStrategyAsync());
            env.Time.Advance(TimeSpan.FromDays(1));
        }

        var day = DateOnly.FromDateTime(CaseEnvironmentStart.UtcDateTime);
        var request = new DrawAuditSample.Request("LV008", day, day.AddDays(10), 3, 4242);
        var first = await a.Sample.HandleAsync(request, env.Evaluator);
        Assert.True(first.Succeeded, first.Message);
        Assert.Equal(3, first.Drawn.Count);
        Assert.Equal(3, first.Started.Count);
        Assert.All(first.Drawn, d => Assert.Contains(strategies, s => s.Id == d.Id));
        Assert.Equal(first.Drawn.Select(d => d.Id), first.Started.Select(s => s.AuditedCaseId!.Value));

        // Independently: the seeded shuffle over the region's completed strategies.
        var expected = AuditSampler.Draw(strategies.Select(s => new SampleCandidate(s.Id, s.Reference)).Reverse(), 3, 4242);
        Assert.Equal(expected.Select(e => e.Id), first.Drawn.Select(d => d.Id));

        var stored = await env.Service.Handler<IAuditStore>().GetSampleAsync(first.Sample!.Id);
        Assert.Equal(4242, stored!.Seed);
        Assert.Equal(string.Join(",", first.Drawn.Select(d => d.Id)), stored.DrawnCaseIds);
        var opening = (await env.DetailsAsync(first.Started[0].Id)).Events[0];
        Assert.Contains("\"seed\":\"4242\"", opening.Data, StringComparison.Ordinal);
        Assert.Contains(string.Join(", ", first.Drawn.Select(d => d.Reference)), opening.Data, StringComparison.Ordinal);

        var again = await a.Sample.HandleAsync(request, env.Evaluator);
        Assert.True(again.Succeeded, again.Message);
        Assert.Equal(first.Drawn.Select(d => d.Id), again.Drawn.Select(d => d.Id));
        Assert.Empty(again.Started);
        Assert.Equal(3, again.Skipped.Count); // their audits are still running
        Assert.All(again.Skipped, s => Assert.Contains("already has an audit in progress", s, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_sample_needs_a_region_a_period_and_a_size_and_only_evaluators_draw_one()
    {
        fixture.EnsureAvailable();
        var a = await AuditEnvironment.CreateAsync(fixture);
        var env = a.Env;

        var invalid = await a.Sample.HandleAsync(new DrawAuditSample.Request("XX99", new DateOnly(2026, 3, 1), new DateOnly(2026, 2, 1), 0), env.Evaluator);
        Assert.Equal(CaseCommandStatus.InvalidForm, invalid.Status);
        Assert.Equal(["region", "size", "to"], invalid.FieldErrors.Select(e => e.Field).Order());
        var none = await a.Sample.HandleAsync(new DrawAuditSample.Request("LV008", new DateOnly(2020, 1, 1), new DateOnly(2020, 12, 31), 2), env.Evaluator);
        Assert.Equal(CaseCommandStatus.Refused, none.Status);
        Assert.Contains("nothing was drawn", none.Message, StringComparison.Ordinal);
        Assert.Equal(CaseCommandStatus.Forbidden, (await a.Sample.HandleAsync(new DrawAuditSample.Request("LV008", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), 2), env.LatvianBroker)).Status);
    }

    private static DateTimeOffset CaseEnvironmentStart => Cases.CaseEnvironment.Start;
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAuditSampleTests(SqliteFixture fixture) : AuditSampleTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditSampleTests(PostgresFixture fixture) : AuditSampleTests(fixture);
