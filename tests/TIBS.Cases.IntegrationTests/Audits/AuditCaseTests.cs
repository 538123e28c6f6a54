using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Audits;

/// <summary>
/// An audit case from selection to conclusion against the real stores: the broker of the strategy's region answers each
/// finding within the reminder plan of the response step, the conclusion closes the audit and shows on the strategy.
/// </summary>
public abstract class AuditCaseTests(DatabaseFixture fixture) : IAsyncLifetime
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
    public async Task An_audit_runs_from_selection_to_conclusion_with_the_brokers_response_and_its_reminders()
    {
        fixture.EnsureAvailable();
        var a = await AuditEnvironment.CreateAsync(fixture);
        var env = a.Env;
        var strategy = await a.CompletedStrategyAsync();

        var started = await a.Start.HandleAsync(new StartAudit.Request(strategy.Id), env.Evaluator);
        Assert.True(started.Succeeded, started.Message);
        var audit = started.Case!;
        Assert.Equal(strategy.Id, audit.AuditedCaseId);
        Assert.Equal(strategy.LeadCompanyId, audit.LeadCompanyId);
        Assert.Equal(strategy.RegionCode, audit.RegionCode);
        Assert.Equal(env.Evaluator.UserId, audit.OwnerUserId);
        Assert.Equal("selection", audit.CurrentStep);
        var twice = await a.Start.HandleAsync(new StartAudit.Request(strategy.Id), env.Evaluator);
        Assert.Equal(CaseCommandStatus.Refused, twice.Status);
        Assert.Contains(audit.Reference, twice.Message, StringComparison.Ordinal);

        Assert.True((await a.CompleteAsync(audit.Id, "start-review", env.Evaluator)).Succeeded);
        var reviewed = await a.CompleteAsync(audit.Id, "reviewed", env.Evaluator,
            ("agreement-signed-by-two-countries", "no"), ("evidence-attached", "yes"), ("check-ins-in-window", "yes"), ("indicators-plausible", "yes"));
        Assert.True(reviewed.Succeeded, reviewed.Message);

        var empty = await a.CompleteAsync(audit.Id, "send-to-broker", env.Evaluator, ("result", "findings"));
        Assert.Equal(CaseCommandStatus.ConditionsNotMet, empty.Status);
        var badFinding = await a.Record.HandleAsync(new RecordFinding.Request(audit.Id, "dreadful", "intake", "x"), env.Evaluator);
        Assert.Equal(CaseCommandStatus.InvalidForm, badFinding.Status);
        Assert.Contains(badFinding.FieldErrors, e => e.Field == "severity");
        Assert.Equal(CaseCommandStatus.Forbidden, (await a.Record.HandleAsync(new RecordFinding.Request(audit.Id, FindingSeverity.Major, "intake", "x"), env.LatvianBroker)).Status);
        var finding = await a.Record.HandleAsync(new RecordFinding.Request(audit.Id, FindingSeverity.Major, "intake", "Only one country signed the agreement."), env.Evaluator);
        Assert.True(finding.Succeeded, finding.Message);
        Assert.True((await a.Record.HandleAsync(new RecordFinding.Request(audit.Id, FindingSeverity.Minor, "first-contact", "The contact date is after the intake."), env.Evaluator)).Succeeded);
        var sent = await a.CompleteAsync(audit.Id, "send-to-broker", env.Evaluator, ("result", "findings"));
        Assert.True(sent.Succeeded, sent.Message);
        Assert.Equal("broker-response", sent.Case!.CurrentStep);

        // The broker response step: reminded on day 7 and day 12, due on day 14.
        var responseStarted = env.Time.GetUtcNow();
        env.Time.SetUtcNow(responseStarted.AddDays(7).AddMinutes(-1));
        await a.DispatchAsync();
        Assert.DoesNotContain(await a.InboxAsync(env.LatvianBroker), n => n.CaseId == audit.Id);
        env.Time.SetUtcNow(responseStarted.AddDays(7));
        await a.DispatchAsync();
        Assert.Single(await a.InboxAsync(env.LatvianBroker), n => n.CaseId == audit.Id && n.Kind == "reminder");
        env.Time.SetUtcNow(responseStarted.AddDays(14));
        await a.DispatchAsync();
        var inbox = (await a.InboxAsync(env.LatvianBroker)).Where(n => n.CaseId == audit.Id).ToList();
        Assert.Equal(2, inbox.Count(n => n.Kind == "reminder"));
        Assert.Single(inbox, n => n.Kind == "due");
        Assert.Empty(await a.InboxAsync(env.GermanBroker));

        var early = await a.CompleteAsync(audit.Id, "answered", env.LatvianBroker);
        Assert.Equal(CaseCommandStatus.ConditionsNotMet, early.Status);
        Assert.Contains(early.Unmet, u => u.Reason.Contains("Findings 1, 2 have no answer yet", StringComparison.Ordinal));
        Assert.Equal(CaseCommandStatus.Forbidden, (await a.Answer.HandleAsync(new AnswerFinding.Request(audit.Id, 1, "x"), env.Evaluator)).Status);
        Assert.Equal(CaseCommandStatus.Forbidden, (await a.Answer.HandleAsync(new AnswerFinding.Request(audit.Id, 1, "x"), env.GermanBroker)).Status);
        Assert.Equal(CaseCommandStatus.InvalidForm, (await a.Answer.HandleAsync(new AnswerFinding.Request(audit.Id, 1, " "), env.LatvianBroker)).Status);
        Assert.True((await a.Answer.HandleAsync(new AnswerFinding.Request(audit.Id, 1, "The Finnish partner signed on 3 March; the scan is attached now."), env.LatvianBroker)).Succeeded);
        Assert.Equal(CaseCommandStatus.Refused, (await a.Answer.HandleAsync(new AnswerFinding.Request(audit.Id, 1, "Again"), env.LatvianBroker)).Status);
        Assert.True((await a.Answer.HandleAsync(new AnswerFinding.Request(audit.Id, 2, "The intake date was entered wrongly."), env.LatvianBroker)).Succeeded);
        var answered = await a.CompleteAsync(audit.Id, "answered", env.LatvianBroker);
        Assert.True(answered.Succeeded, answered.Message);

        env.Time.Advance(TimeSpan.FromDays(30));
        await a.DispatchAsync();
        Assert.Equal(3, (await a.InboxAsync(env.LatvianBroker)).Count(n => n.CaseId == audit.Id)); // nothing after the step was done

        Assert.Equal(CaseCommandStatus.ConditionsNotMet, (await a.CompleteAsync(audit.Id, "reject", env.Evaluator, ("conclusion", "rejected"))).Status);
        var concluded = await a.CompleteAsync(audit.Id, "accept-with-remarks", env.Evaluator, ("conclusion", "accepted-with-remarks"), ("remarks", "The signatures were late."));
        Assert.True(concluded.Succeeded, concluded.Message);
        Assert.True(concluded.Case!.IsClosed);
        Assert.Equal("accepted-with-remarks", concluded.Case.CurrentStep);

        var panel = await a.Panel.HandleAsync(new AuditsOfCase.Request(strategy.Id), env.Evaluator);
        var shown = Assert.Single(panel!.Audits);
        Assert.Equal(audit.Reference, shown.Reference);
        Assert.Equal("Accepted with remarks", AuditDefinition.ConclusionLabel(shown.CurrentStep));
        Assert.Equal(2, shown.Findings);
        Assert.Equal(0, shown.OpenFindings);
        var auditPanel = await a.Panel.HandleAsync(new AuditsOfCase.Request(audit.Id), env.LatvianBroker);
        Assert.Equal(["The Finnish partner signed on 3 March; the scan is attached now.", "The intake date was entered wrongly."], auditPanel!.Findings.Select(f => f.Response));
        Assert.Equal(strategy.Reference, auditPanel.AuditedReference);
        Assert.True((await env.Service.VerifyAuditAsync(audit.Id))!.IsIntact);
    }

    [SkippableFact]
    public async Task Findings_still_open_are_counted_per_region_on_the_evaluators_home()
    {
        fixture.EnsureAvailable();
        var a = await AuditEnvironment.CreateAsync(fixture);
        var env = a.Env;
        var strategy = await a.CompletedStrategyAsync();
        var other = await a.CompletedStrategyAsync();
        var audit = (await a.Start.HandleAsync(new StartAudit.Request(strategy.Id), env.Evaluator)).Case!;
        await a.CompleteAsync(audit.Id, "start-review", env.Evaluator);
        await a.CompleteAsync(audit.Id, "reviewed", env.Evaluator,
            ("agreement-signed-by-two-countries", "yes"), ("evidence-attached", "yes"), ("check-ins-in-window", "no"), ("indicators-plausible", "yes"));
        foreach (var text in new[] { "Check-in 2 was recorded late.", "Check-in 3 is missing its evidence.", "Turnover figure has no source." })
        {
            Assert.True((await a.Record.HandleAsync(new RecordFinding.Request(audit.Id, FindingSeverity.Minor, "implementation-follow-up", text), env.Evaluator)).Succeeded);
        }

        var home = await a.Home.HandleAsync(new AuditHome.Request(), env.Evaluator);
        var region = Assert.Single(home!.OpenFindings);
        Assert.Equal(("LV008", 3, 1), (region.RegionCode, region.OpenFindings, region.Audits));
        Assert.Equal(audit.Id, Assert.Single(home.InProgress).Id);
        Assert.Equal(new[] { other.Id, strategy.Id }.Order(), home.Strategies.Select(s => s.Id).Order());

        var audited = await a.Home.HandleAsync(new AuditHome.Request { Audited = "yes" }, env.Evaluator);
        Assert.Equal(strategy.Id, Assert.Single(audited!.Strategies).Id);
        var notAudited = await a.Home.HandleAsync(new AuditHome.Request { Audited = "no", Region = "LV008", Country = "LV" }, env.Evaluator);
        Assert.Equal(other.Id, Assert.Single(notAudited!.Strategies).Id);
        var wrong = await a.Home.HandleAsync(new AuditHome.Request { Conclusion = "great", From = "yesterday" }, env.Evaluator);
        Assert.Empty(wrong!.Strategies);
        Assert.Equal(["conclusion", "from"], wrong.FilterErrors.Select(e => e.Field).Order());
        var onePage = await a.Home.HandleAsync(new AuditHome.Request { Limit = 1 }, env.Evaluator);
        var next = await a.Home.HandleAsync(new AuditHome.Request { Limit = 1, After = onePage!.Next }, env.Evaluator);
        Assert.NotEqual(Assert.Single(onePage.Strategies).Id, Assert.Single(next!.Strategies).Id);
        Assert.Null(next.Next);
        Assert.Null(await a.Home.HandleAsync(new AuditHome.Request(), env.LatvianBroker));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAuditCaseTests(SqliteFixture fixture) : AuditCaseTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditCaseTests(PostgresFixture fixture) : AuditCaseTests(fixture);
