using TIBS.Cases.Core.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// The time rules of joint-smart-strategy v3, enforced by the engine whatever door a command comes through: a check-in
/// is refused before its window opens (14 days before it is due), the follow-up cannot finish before its last check-in
/// is due, and ending it early needs a reason that goes into the audit trail.
/// </summary>
public abstract class TimeRuleTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Walks a new case (on the newest version) to the implementation follow-up; the agreement is signed "now".</summary>
    internal static Task<Guid> ToFollowUpAsync(CaseEnvironment env) =>
        FollowUpWalk.ToFollowUpAsync(env.Service, env.Lead.Id, env.GermanPartner.Id, env.LatvianBroker, env.Coordinator, env.GermanBroker);

    private static async Task<CaseCommandResult> FinishAsync(CaseEnvironment env, Guid id, string outcome, string? reason = null)
    {
        var d = await env.DetailsAsync(id);
        var input = FormFiller.Fill(d.CurrentStep!.Fields, env.Lead.Id, With(("implementation-status", "implemented")));
        return await env.Service.CompleteStepAsync(id, d.Case.Version, outcome, input, env.LatvianBroker, [], reason);
    }

    [SkippableFact]
    public async Task A_check_in_is_refused_before_its_window_with_the_date_from_which_it_can_be_recorded()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1, 2, 3);
        var id = await ToFollowUpAsync(env);
        var started = (await env.DetailsAsync(id)).Case.StepStartedAt;
        Assert.Equal(Start, started);

        env.Time.Advance(TimeSpan.FromDays(30));
        var early = await env.RecordCheckInAsync(id, 1);

        Assert.Equal(CaseCommandStatus.Refused, early.Status);
        Assert.Equal("Quarterly check-in 1 can be recorded from 29 March 2026, 14 days before it is due on 12 April 2026; not earlier.", early.Message);
        Assert.Empty((await env.DetailsAsync(id)).CheckIns);

        env.Time.SetUtcNow(new DateTimeOffset(2026, 3, 29, 9, 0, 0, TimeSpan.Zero));
        var inWindow = await env.RecordCheckInAsync(id, 1);
        var second = await env.RecordCheckInAsync(id, 2);

        Assert.True(inWindow.Succeeded, inWindow.Message);
        Assert.Equal("Quarterly check-in 2 can be recorded from 28 June 2026, 14 days before it is due on 12 July 2026; not earlier.", second.Message);
        Assert.Single((await env.DetailsAsync(id)).CheckIns);
    }

    [SkippableFact]
    public async Task The_follow_up_cannot_finish_before_its_last_check_in_is_due()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1, 2, 3);
        var id = await ToFollowUpAsync(env);
        foreach (var (k, at) in new[] { (1, "2026-04-01"), (2, "2026-07-01"), (3, "2026-10-01"), (4, "2026-12-30") })
        {
            env.Time.SetUtcNow(DateTimeOffset.Parse(at + "T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
            var recorded = await env.RecordCheckInAsync(id, k);
            Assert.True(recorded.Succeeded, recorded.Message);
        }

        var early = await FinishAsync(env, id, "follow-up-finished");
        var actions = await env.Service.GetActionsAsync(await env.DetailsAsync(id), env.LatvianBroker);

        Assert.Equal(CaseCommandStatus.ConditionsNotMet, early.Status);
        Assert.Equal("'Follow-up finished' is not possible yet: Possible from 12 January 2027, when the last check-in is due; to stop before then, choose 'End the follow-up early' and give a reason.", early.Message);
        Assert.Equal("implementation-follow-up", (await env.DetailsAsync(id)).Case.CurrentStep);
        Assert.False(actions.Single(a => a.Action.Key == "follow-up-finished").Action.IsAllowed);

        env.Time.SetUtcNow(new DateTimeOffset(2027, 1, 12, 9, 0, 0, TimeSpan.Zero));
        var done = await FinishAsync(env, id, "follow-up-finished");

        Assert.True(done.Succeeded, done.Message);
        Assert.Equal("final-evaluation", (await env.DetailsAsync(id)).Case.CurrentStep);
    }

    [SkippableFact]
    public async Task Ending_the_follow_up_early_needs_a_reason_which_the_audit_trail_keeps()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1, 2, 3);
        var id = await ToFollowUpAsync(env);
        env.Time.Advance(TimeSpan.FromDays(100));

        var without = await FinishAsync(env, id, "ended-early", "   ");
        var tooLong = await FinishAsync(env, id, "ended-early", new string('r', 2001));
        var with = await FinishAsync(env, id, "ended-early", "The German partner was taken over; the joint actions stop.");

        Assert.Equal((CaseCommandStatus.Refused, "'End the follow-up early' needs a reason: say why."), (without.Status, without.Message));
        Assert.Equal(CaseCommandStatus.InvalidForm, tooLong.Status);
        Assert.Equal("reason", Assert.Single(tooLong.FieldErrors).Field);
        Assert.True(with.Succeeded, with.Message);
        var d = await env.DetailsAsync(id);
        Assert.Equal("final-evaluation", d.Case.CurrentStep);
        var completed = d.Events.Last(e => e.Kind == "step-completed");
        Assert.Contains("\"reason\":\"The German partner was taken over; the joint actions stop.\"", completed.Data, StringComparison.Ordinal);
        Assert.Contains("\"outcomeLabel\":\"End the follow-up early\"", completed.Data, StringComparison.Ordinal);
        Assert.True(AuditChain.Verify(d.Case, d.Events).IsIntact);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTimeRuleTests(SqliteFixture fixture) : TimeRuleTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTimeRuleTests(PostgresFixture fixture) : TimeRuleTests(fixture);
