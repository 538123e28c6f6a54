using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Migration;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Core.Partners.Tracks;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// The proposed version 5 of the joint smart strategy (partner tracks, an expression with its own words, an eligibility
/// decision table, business-day timers) taking over running version 2 cases: every step keeps its key, so no mappings
/// are needed; a case on hold stays on hold; a case in expressions of interest gets a track per partner in the state its
/// pipeline status names, and goes on under version 5: one partner declines, the other agrees, the join continues.
/// </summary>
public abstract class CaseMigrationV5Tests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Key = "joint-smart-strategy";
    private static readonly Dictionary<string, string> NoMappings = [];

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Arranged(CaseEnvironment Env, Guid AtIntake, Guid OnHold, Guid InExpressions, Core.Companies.Company Finnish, Actor FinnishBroker);

    /// <summary>Cases on v2: at intake, on hold at needs assessment, in expressions of interest with two partners.</summary>
    private static async Task<Arranged> ArrangeAsync(DatabaseFixture fixture)
    {
        var env = await CaseEnvironment.CreateAsync(fixture, 1, 2);
        var finnish = await env.CompanyAsync("Kouvola Logistics Lab", "FI", "FI1C4");
        var finnishBroker = await env.UserAsync("broker.fi1c4@test.example", Roles.Broker, "FI1C4");

        var atIntake = (await env.OpenCaseAsync()).Id;

        var onHold = (await env.OpenCaseAsync()).Id;
        Assert.True((await env.CompleteTowardsAsync(onHold, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(onHold, "needs-assessment")).Succeeded);
        var held = await env.Service.ApplyCaseActionAsync(onHold, (await env.DetailsAsync(onHold)).Case.Version, "hold", "The company is moving its workshop.", env.LatvianBroker);
        Assert.True(held.Succeeded, held.Message);

        var inExpressions = (await env.OpenCaseAsync()).Id;
        Assert.True((await env.CompleteTowardsAsync(inExpressions, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        foreach (var step in new[] { "needs-assessment", "internationalisation-readiness", "eligibility" })
        {
            Assert.True((await env.CompleteTowardsAsync(inExpressions, step)).Succeeded, step);
        }

        Assert.True((await env.CompleteTowardsAsync(inExpressions, "cooperation-profile", With(("eligible", "yes")))).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(inExpressions, "profile-validation")).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(inExpressions, "matching", With(("decision", "validated")))).Succeeded);
        foreach (var partner in new[] { env.GermanPartner, finnish })
        {
            var shortlisted = await env.Service.ShortlistPartnerAsync(inExpressions, (await env.DetailsAsync(inExpressions)).Case.Version, partner.Id, env.LatvianBroker);
            Assert.True(shortlisted.Succeeded, shortlisted.Message);
        }

        Assert.True((await env.CompleteTowardsAsync(inExpressions, "expressions-of-interest", company: env.GermanPartner.Id)).Succeeded);
        var details = await env.DetailsAsync(inExpressions);
        var german = details.Participants.Single(p => p.CompanyId == env.GermanPartner.Id);
        var interested = await env.Service.SetPartnerStatusAsync(inExpressions, details.Case.Version, german.Id, PipelineStatus.Interested, env.GermanBroker);
        Assert.True(interested.Succeeded, interested.Message);

        await env.Catalog.ImportFolderAsync(DefinitionsFolder(1, 2, 5));
        return new Arranged(env, atIntake, onHold, inExpressions, finnish, finnishBroker);
    }

    private static async Task MigrateAsync(CaseEnvironment env)
    {
        var reviewed = await new ReviewMigration(env.Migrations).HandleAsync(new ReviewMigrationRequest(Key, 2, 5, NoMappings, env.Coordinator));
        Assert.Equal(MigrationReviewStatus.Reviewed, reviewed.Status);
        var result = await new ExecuteMigration(env.Migrations, env.Cases).HandleAsync(new ExecuteMigrationRequest(Key, reviewed.Review!.Token, true, env.Coordinator));
        Assert.Equal(MigrationExecutionStatus.Executed, result.Status);
        Assert.Equal(3, result.Run!.Moved);
    }

    [SkippableFact]
    public async Task Running_v2_cases_move_to_v5_keep_their_hold_and_get_a_track_per_partner_in_its_state()
    {
        fixture.EnsureAvailable();
        var a = await ArrangeAsync(fixture);
        var v5 = (await a.Env.Workflows.GetVersionAsync(Key, 5))!;

        var dryRun = await a.Env.Migrations.DryRunAsync(Key, 2, 5, NoMappings);
        Assert.True(dryRun.IsValid, string.Join("; ", dryRun.Errors));
        await MigrateAsync(a.Env);

        foreach (var id in new[] { a.AtIntake, a.OnHold, a.InExpressions })
        {
            var d = await a.Env.DetailsAsync(id);
            Assert.Equal((v5.Id, 5), (d.Case.DefinitionVersionId, d.Plan.Version));
            Assert.True(AuditChain.Verify(d.Case, d.Events).IsIntact);
        }

        var held = await a.Env.DetailsAsync(a.OnHold);
        Assert.Equal(("needs-assessment", CaseStatus.OnHold), (held.Case.CurrentStep, held.Case.Status));
        Assert.DoesNotContain(held.Reminders, r => r.Status == ReminderStatus.Pending);

        var inExpressions = await a.Env.DetailsAsync(a.InExpressions);
        Assert.Equal("expressions-of-interest", inExpressions.Case.CurrentStep);
        var states = inExpressions.Tracks.Where(t => t.Status == TrackStatus.Open)
            .ToDictionary(t => inExpressions.Participants.Single(p => p.Id == t.ParticipantId).CompanyId, t => t.State);
        Assert.True(states.ContainsKey(a.Env.GermanPartner.Id), string.Join("; ", inExpressions.Events.TakeLast(4).Select(e => e.Kind + " " + e.Data)) + " | " + string.Join(",", inExpressions.Tracks.Select(t => t.State + "/" + t.Status)));
        Assert.Equal("interested", states[a.Env.GermanPartner.Id]);
        Assert.Equal("contacted", states[a.Finnish.Id]);
        Assert.Contains(inExpressions.Events, e => e.Kind == CaseEventKinds.TrackStarted);
        Assert.Contains(inExpressions.Reminders, r => r.CaseTrackId is not null && r.Status == ReminderStatus.Pending);
    }

    [SkippableFact]
    public async Task After_the_move_one_partner_declines_the_other_agrees_and_the_join_continues_to_the_joint_strategy()
    {
        fixture.EnsureAvailable();
        var a = await ArrangeAsync(fixture);
        await MigrateAsync(a.Env);
        var take = a.Env.Service.Handler<TakeTrackOutcome>();

        async Task<CaseCommandResult> TakeAsync(Guid partnerCompany, string outcome, Actor actor)
        {
            var d = await a.Env.DetailsAsync(a.InExpressions);
            var participant = d.Participants.Single(p => p.CompanyId == partnerCompany);
            var track = d.Tracks.Last(t => t.ParticipantId == participant.Id);
            return await take.HandleAsync(new TakeTrackOutcome.Request(a.InExpressions, track.Id, track.Version, outcome), actor);
        }

        var declined = await TakeAsync(a.Finnish.Id, "declined", a.FinnishBroker);
        Assert.True(declined.Succeeded, declined.Message);
        Assert.Equal("expressions-of-interest", (await a.Env.DetailsAsync(a.InExpressions)).Case.CurrentStep);

        var agreed = await TakeAsync(a.Env.GermanPartner.Id, "agreed", a.Env.GermanBroker);
        Assert.True(agreed.Succeeded, agreed.Message);

        var d = await a.Env.DetailsAsync(a.InExpressions);
        Assert.Equal("joint-strategy", d.Case.CurrentStep);
        Assert.Single(d.Events, e => e.Kind == CaseEventKinds.TracksJoined);
        Assert.Equal(PipelineStatus.Agreed, d.Participants.Single(p => p.CompanyId == a.Env.GermanPartner.Id).PipelineStatus);
        Assert.Equal(PipelineStatus.Declined, d.Participants.Single(p => p.CompanyId == a.Finnish.Id).PipelineStatus);
        Assert.True(AuditChain.Verify(d.Case, d.Events).IsIntact);
    }

    [SkippableFact]
    public async Task A_v5_intake_dated_in_the_future_is_refused_in_the_authors_words()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 5);
        var id = (await env.OpenCaseAsync()).Id;
        var tomorrow = DateOnly.FromDateTime(env.Time.GetUtcNow().UtcDateTime).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var refused = await env.CompleteTowardsAsync(id, "first-contact", With(("contact-data-consent", "yes"), ("consent-date", tomorrow)));

        Assert.Equal(CaseCommandStatus.ConditionsNotMet, refused.Status);
        Assert.Contains(refused.Unmet, u => u.Reason == "The date of consent lies in the future.");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCaseMigrationV5Tests(SqliteFixture fixture) : CaseMigrationV5Tests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseMigrationV5Tests(PostgresFixture fixture) : CaseMigrationV5Tests(fixture);
