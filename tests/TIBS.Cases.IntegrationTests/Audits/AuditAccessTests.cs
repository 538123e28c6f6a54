using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Audits;

/// <summary>
/// The access rules of audits through Core's handlers: evaluators read closed strategies and every audit, act on audit
/// cases and never on strategies; the broker of the strategy's region reads the audit; other brokers do not see it;
/// coordinators oversee.
/// </summary>
public abstract class AuditAccessTests(DatabaseFixture fixture) : IAsyncLifetime
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
    public async Task Evaluators_act_on_audits_and_never_on_strategies_and_the_audit_is_seen_by_its_regions_broker_only()
    {
        fixture.EnsureAvailable();
        var a = await AuditEnvironment.CreateAsync(fixture);
        var env = a.Env;
        var running = await env.OpenCaseAsync();
        var strategy = await a.CompletedStrategyAsync();

        Assert.Equal(CaseCommandStatus.NotFound, (await a.Start.HandleAsync(new StartAudit.Request(running.Id), env.Evaluator)).Status);
        Assert.Equal(CaseCommandStatus.Forbidden, (await a.Start.HandleAsync(new StartAudit.Request(strategy.Id), env.LatvianBroker)).Status);
        Assert.Equal(CaseCommandStatus.Forbidden, (await a.Start.HandleAsync(new StartAudit.Request(strategy.Id), env.Coordinator)).Status);
        var audit = (await a.Start.HandleAsync(new StartAudit.Request(strategy.Id), env.Evaluator)).Case!;
        Assert.Equal(CaseCommandStatus.Refused, (await a.Start.HandleAsync(new StartAudit.Request(audit.Id), env.Evaluator)).Status);

        // Evaluators: no note, no step on a running strategy (not even readable); a closed strategy takes no change.
        Assert.Equal(CaseCommandStatus.Forbidden, (await env.Service.AddNoteAsync(running.Id, "A note", env.Evaluator)).Status);
        Assert.Equal(CaseCommandStatus.Refused, (await env.Service.AddNoteAsync(strategy.Id, "A note", env.Evaluator)).Status);
        Assert.False(CaseAccess.CanWrite(env.Evaluator, running, []));
        Assert.True(CaseAccess.CanRead(env.Evaluator, strategy, []));
        Assert.False(CaseAccess.CanRead(env.Evaluator, running, []));

        // The audit: evaluators act, the region's broker reads and writes, the partner region's broker sees nothing.
        Assert.True((await env.Service.AddNoteAsync(audit.Id, "Scope agreed with the programme.", env.Evaluator)).Succeeded);
        Assert.True((await env.Service.AddNoteAsync(audit.Id, "We will answer quickly.", env.LatvianBroker)).Succeeded);
        Assert.Equal(CaseCommandStatus.Forbidden, (await env.Service.AddNoteAsync(audit.Id, "Hello", env.GermanBroker)).Status);
        Assert.Equal(CaseCommandStatus.Forbidden, (await a.CompleteAsync(audit.Id, "start-review", env.LatvianBroker)).Status);
        Assert.Equal(CaseCommandStatus.Forbidden, (await a.CompleteAsync(audit.Id, "start-review", env.Coordinator)).Status);
        Assert.NotNull(await a.Panel.HandleAsync(new AuditsOfCase.Request(audit.Id), env.Coordinator));
        Assert.NotNull(await a.Panel.HandleAsync(new AuditsOfCase.Request(audit.Id), env.LatvianBroker));
        Assert.Null(await a.Panel.HandleAsync(new AuditsOfCase.Request(audit.Id), env.GermanBroker));
        Assert.True((await a.CompleteAsync(audit.Id, "start-review", env.Evaluator)).Succeeded);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAuditAccessTests(SqliteFixture fixture) : AuditAccessTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditAccessTests(PostgresFixture fixture) : AuditAccessTests(fixture);
