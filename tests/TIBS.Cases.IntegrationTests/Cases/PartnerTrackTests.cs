using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Core.Partners.Tracks;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// Parallel partner tracks on a real database: a track per partner (also one shortlisted later), each track's action its
/// own transaction, the join decided exactly once when the last tracks end at the same moment, and who may act.
/// </summary>
public abstract class PartnerTrackTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record World(CaseEnvironment Env, Company FinnishPartner, Actor FinnishBroker, Actor SwedishBroker)
    {
        public TakeTrackOutcome Take => Env.Service.Handler<TakeTrackOutcome>();

        public Task<Guid> CaseInExpressionsAsync(params Company[] partners) => TrackSteps.CaseInExpressionsAsync(Env, TrackDefinition.Key, partners);

        public Task ShortlistAsync(Guid caseId, Company partner) => TrackSteps.ShortlistAsync(Env, caseId, partner);

        public Task<CaseTrackRecord> TrackOfAsync(Guid caseId, Company partner) => TrackSteps.TrackOfAsync(Env, caseId, partner);

        public Task<CaseCommandResult> TakeAsync(Guid caseId, Company partner, string outcome, Actor actor) => TrackSteps.TakeAsync(Env, caseId, partner, outcome, actor);

        /// <summary>A case in the step with tracks of the German and the Finnish partner, the German one interested.</summary>
        public async Task<Guid> GermanInterestedAsync()
        {
            var id = await CaseInExpressionsAsync(Env.GermanPartner, FinnishPartner);
            Assert.True((await TakeAsync(id, Env.GermanPartner, "interested", Env.GermanBroker)).Succeeded);
            return id;
        }

        /// <summary>Taking track outcomes through a store that runs <paramref name="before"/> just before the first write <paramref name="when"/> picks.</summary>
        public async Task<(TakeTrackOutcome Take, BeforeWriteHook Hook)> HookedAsync(Func<Core.Cases.CaseWrite, bool> when, Func<Task> before)
        {
            var (store, hook) = BeforeWriteHook.Wrap(new CaseStore(Env.Fixture.Factory), when, before);
            var service = await CaseCommands.CreateAsync(Env.Fixture.Factory, Env.Time, Env.Storage, s => s.AddSingleton(store));
            return (service.Handler<TakeTrackOutcome>(), hook);
        }
    }

    private async Task<World> WorldAsync()
    {
        var env = await CaseEnvironment.CreateAsync(fixture);
        await TrackSteps.ImportAsync(env, TrackDefinition.Key, TrackDefinition.Yaml());
        var finnish = await env.CompanyAsync("Kouvola Logistics Lab", "FI", "FI1C4");
        var finnishBroker = await env.UserAsync("broker.fi1c4@test.example", Roles.Broker, "FI1C4");
        var swedishBroker = await env.UserAsync("broker.se23@test.example", Roles.Broker, "SE23");
        return new World(env, finnish, finnishBroker, swedishBroker);
    }

    [SkippableFact]
    public async Task The_case_page_reads_its_partner_tracks_in_its_one_round_trip()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner, w.FinnishPartner);
        var counting = new CountingConnectionFactory(fixture.Factory);
        var reader = new CaseReader(new CaseStore(counting), w.Env.Companies, w.Env.Catalog, w.Env.Time);
        Assert.NotNull(await reader.GetPageAsync(id, EventPage.Latest)); // the definition's display texts are cached from here on

        var counted = counting.Restart();
        var (details, _) = (await reader.GetPageAsync(id, EventPage.Latest))!.Value;

        Assert.Equal(1, counted.Total);
        Assert.Equal(1, counted.Opened);
        Assert.Equal(2, details.Tracks.Count);
        Assert.All(details.Tracks, t => Assert.Equal(("contacted", TrackStatus.Open), (t.State, t.Status)));
    }

    [SkippableFact]
    public async Task A_track_starts_for_each_shortlisted_partner_and_for_a_partner_shortlisted_while_the_step_runs()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner);

        var german = await w.TrackOfAsync(id, w.Env.GermanPartner);
        Assert.Equal(("contacted", TrackStatus.Open, 1, "DE60"), (german.State, german.Status, german.Version, german.RegionCode));
        Assert.Equal(CaseEnvironment.Start.AddDays(20), german.DueAt);
        var details = await w.Env.DetailsAsync(id);
        Assert.Equal(PipelineStatus.Contacted, details.Participants.Single(p => p.CompanyId == w.Env.GermanPartner.Id).PipelineStatus);
        Assert.Equal([TrackNotices.Contacted, "reminder", "due", CaseSteps.TimerKind], details.Reminders.Where(r => r.CaseTrackId == german.Id).Select(r => r.Kind));

        await w.ShortlistAsync(id, w.FinnishPartner);

        var finnish = await w.TrackOfAsync(id, w.FinnishPartner);
        Assert.Equal(("contacted", TrackStatus.Open, "FI1C4"), (finnish.State, finnish.Status, finnish.RegionCode));
        details = await w.Env.DetailsAsync(id);
        Assert.Equal(2, details.Tracks.Count);
        Assert.Equal(2, details.Events.Count(e => e.Kind == CaseEventKinds.TrackStarted));
        Assert.Equal(PipelineStatus.Contacted, details.Participants.Single(p => p.CompanyId == w.FinnishPartner.Id).PipelineStatus);

        // A command on the case reads its tracks in the same round trip as the case row, every field as stored; SQLite,
        // in process, leaves them to a query of their own.
        var state = await w.Env.Cases.GetCommandStateAsync(id);
        Assert.NotNull(state);
        var tracks = await w.Env.Cases.GetTracksAsync(id);
        Assert.Equal(new[] { german.Id, finnish.Id }.Order(), tracks.Select(t => t.Id).Order());
        Assert.Equal(fixture.Factory.Provider == TIBS.Cases.Data.DatabaseProvider.Sqlite ? null : tracks, state.Tracks);
        Assert.Equal(await w.Env.Cases.GetParticipantsAsync(id), state.Participants);
        Assert.Equal(3, state.Participants.Count);
        Assert.Equal(fixture.Factory.Provider == TIBS.Cases.Data.DatabaseProvider.Postgres ? false : true, state.HasDrafts); // only PostgreSQL's read looks
        Assert.Equal(tracks, (await w.Env.Service.Reader.GetCommandDetailsAsync(id, default))!.Tracks);
    }

    [SkippableFact]
    public async Task Two_partner_brokers_on_two_tracks_at_the_same_time_never_conflict_and_the_chain_stays_whole()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner, w.FinnishPartner);
        var before = (await w.Env.DetailsAsync(id)).Case.Version;

        var results = await Task.WhenAll(
            Task.Run(() => w.TakeAsync(id, w.Env.GermanPartner, "interested", w.Env.GermanBroker)),
            Task.Run(() => w.TakeAsync(id, w.FinnishPartner, "interested", w.FinnishBroker)));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Message));
        var details = await w.Env.DetailsAsync(id);
        Assert.All(details.Tracks, t => Assert.Equal(("interested", 2), (t.State, t.Version)));
        Assert.Equal(before, details.Case.Version); // tracks never move the case's version: the broker's step form does not conflict
        Assert.All(details.Participants.Where(p => p.Role == ParticipantRole.Partner), p => Assert.Equal(PipelineStatus.Interested, p.PipelineStatus));
        var audit = await w.Env.Service.Audit.HandleAsync(new(id), w.Env.Coordinator);
        Assert.True(audit!.IsIntact);
    }

    [SkippableFact]
    public async Task Two_people_moving_the_same_track_from_the_same_version_give_one_change_and_one_conflict_in_words()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner);
        var track = await w.TrackOfAsync(id, w.Env.GermanPartner);

        var results = await Task.WhenAll(
            Task.Run(() => w.Take.HandleAsync(new TakeTrackOutcome.Request(id, track.Id, track.Version, "interested"), w.Env.GermanBroker)),
            Task.Run(() => w.Take.HandleAsync(new TakeTrackOutcome.Request(id, track.Id, track.Version, "declined"), w.Env.LatvianBroker)));

        Assert.Single(results, r => r.Status == CaseCommandStatus.Done);
        var conflict = Assert.Single(results, r => r.Status == CaseCommandStatus.Conflict);
        Assert.Equal(TakeTrackOutcome.TrackConflict, conflict.Message);
        Assert.Equal(2, (await w.TrackOfAsync(id, w.Env.GermanPartner)).Version);
    }

    [SkippableFact]
    public async Task When_the_last_two_tracks_end_at_the_same_moment_the_join_fires_exactly_once()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        for (var round = 0; round < 4; round++)
        {
            var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner, w.FinnishPartner);

            var results = await Task.WhenAll(
                Task.Run(() => w.TakeAsync(id, w.Env.GermanPartner, "declined", w.Env.GermanBroker)),
                Task.Run(() => w.TakeAsync(id, w.FinnishPartner, "declined", w.FinnishBroker)));

            Assert.All(results, r => Assert.True(r.Succeeded, r.Message));
            var details = await w.Env.DetailsAsync(id);
            Assert.Equal("matching", details.Case.CurrentStep); // tracks.open == 0: back to matching
            Assert.Single(details.Events, e => e.Kind == CaseEventKinds.TracksJoined);
            Assert.Single(details.Events, e => e.Kind == CaseEventKinds.StepCompleted && e.StepKey == "expressions");
            Assert.Equal("back-to-matching", details.Steps.Single(s => s.StepKey == "expressions").Outcome);
            Assert.True((await w.Env.Service.Audit.HandleAsync(new(id), w.Env.Coordinator))!.IsIntact);
        }
    }

    [SkippableFact]
    public async Task An_agreement_racing_a_decline_fires_the_first_rule_that_holds_once_and_cancels_the_open_track()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var third = await w.Env.CompanyAsync("Göteborg Marine Sensors", "SE", "SE23");
        for (var round = 0; round < 3; round++)
        {
            var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner, w.FinnishPartner, third);
            Assert.True((await w.TakeAsync(id, w.Env.GermanPartner, "interested", w.Env.GermanBroker)).Succeeded);

            var results = await Task.WhenAll(
                Task.Run(() => w.TakeAsync(id, w.Env.GermanPartner, "agreed", w.Env.GermanBroker)),
                Task.Run(() => w.TakeAsync(id, w.FinnishPartner, "declined", w.FinnishBroker)));

            // The agreement always stands; the decline either went in first, or finds its track cancelled by the join.
            Assert.True(results[0].Succeeded, results[0].Message);
            var details = await w.Env.DetailsAsync(id);
            var finnish = await w.TrackOfAsync(id, w.FinnishPartner);
            Assert.Equal(finnish.Status == TrackStatus.Ended, results[1].Succeeded);
            Assert.True(results[1].Succeeded || (results[1].Status == CaseCommandStatus.Refused && results[1].Message.Contains("cancelled", StringComparison.Ordinal)), results[1].Message);
            Assert.Equal("agreement", details.Case.CurrentStep);
            Assert.Single(details.Events, e => e.Kind == CaseEventKinds.TracksJoined);
            var swedish = await w.TrackOfAsync(id, third);
            Assert.Equal(TrackStatus.Cancelled, swedish.Status);
            Assert.Equal(results[1].Succeeded ? 1 : 2, details.Events.Count(e => e.Kind == CaseEventKinds.TrackCancelled));
            Assert.Equal(PipelineStatus.Agreed, details.Participants.Single(p => p.CompanyId == w.Env.GermanPartner.Id).PipelineStatus);
            Assert.DoesNotContain(details.Reminders, r => r.CaseTrackId == swedish.Id && r.Status == ReminderStatus.Pending);
        }
    }

    [SkippableFact]
    public async Task An_answer_on_another_track_between_a_tracks_read_and_its_write_never_makes_it_conflict()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.GermanInterestedAsync();
        var german = await w.TrackOfAsync(id, w.Env.GermanPartner);

        // The Finnish decline commits after the German agreement has read the case and before it writes.
        var declined = default(CaseCommandResult);
        var (agreement, hook) = await w.HookedAsync(write => write.UpdatedTracks.Any(t => t.Id == german.Id),
            async () => declined = await w.TakeAsync(id, w.FinnishPartner, "declined", w.FinnishBroker));
        var agreed = await agreement.HandleAsync(new TakeTrackOutcome.Request(id, german.Id, german.Version, "agreed"), w.Env.GermanBroker);

        Assert.True(hook.Fired);
        Assert.True(declined!.Succeeded, declined.Message);
        Assert.True(agreed.Succeeded, agreed.Message);
        var details = await w.Env.DetailsAsync(id);
        Assert.Equal(["agreed", "declined"], details.Tracks.OrderBy(t => t.ParticipantId == german.ParticipantId ? 0 : 1).Select(t => t.State));
        Assert.Equal("agreement", details.Case.CurrentStep);
        Assert.Single(details.Events, e => e.Kind == CaseEventKinds.TracksJoined);
        Assert.True((await w.Env.Service.Audit.HandleAsync(new(id), w.Env.Coordinator))!.IsIntact);
    }

    [SkippableFact]
    public async Task A_decline_whose_track_the_join_cancelled_after_it_was_read_is_refused_in_words_whichever_read_it_was()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();

        // The broker opened the Finnish track; the German agreement fired the join before the decline was sent.
        var seenFirst = await w.GermanInterestedAsync();
        var seen = await w.TrackOfAsync(seenFirst, w.FinnishPartner);
        Assert.True((await w.TakeAsync(seenFirst, w.Env.GermanPartner, "agreed", w.Env.GermanBroker)).Succeeded);
        var sentLate = await w.Take.HandleAsync(new TakeTrackOutcome.Request(seenFirst, seen.Id, seen.Version, "declined"), w.FinnishBroker);

        // The decline's command read the track open; the agreement and its join committed before the decline's write.
        var readFirst = await w.GermanInterestedAsync();
        var finnish = await w.TrackOfAsync(readFirst, w.FinnishPartner);
        var (decline, hook) = await w.HookedAsync(write => write.UpdatedTracks.Any(t => t.Id == finnish.Id),
            async () => Assert.True((await w.TakeAsync(readFirst, w.Env.GermanPartner, "agreed", w.Env.GermanBroker)).Succeeded));
        var writtenLate = await decline.HandleAsync(new TakeTrackOutcome.Request(readFirst, finnish.Id, finnish.Version, "declined"), w.FinnishBroker);

        Assert.True(hook.Fired);
        foreach (var (id, result) in new[] { (seenFirst, sentLate), (readFirst, writtenLate) })
        {
            Assert.Equal((CaseCommandStatus.Refused, "The track of Kouvola Logistics Lab was cancelled meanwhile: the step went on. Nothing was saved."), (result.Status, result.Message));
            var details = await w.Env.DetailsAsync(id);
            Assert.Equal("agreement", details.Case.CurrentStep);
            Assert.Equal(TrackStatus.Cancelled, (await w.TrackOfAsync(id, w.FinnishPartner)).Status);
            Assert.Single(details.Events, e => e.Kind == CaseEventKinds.TrackCancelled);
            Assert.Equal(PipelineStatus.Contacted, details.Participants.Single(p => p.CompanyId == w.FinnishPartner.Id).PipelineStatus);
            Assert.True((await w.Env.Service.Audit.HandleAsync(new(id), w.Env.Coordinator))!.IsIntact);
        }
    }

    [SkippableFact]
    public async Task Only_the_brokers_of_the_partners_region_and_of_the_case_act_on_a_track()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner, w.FinnishPartner);

        var byFinn = await w.TakeAsync(id, w.Env.GermanPartner, "interested", w.FinnishBroker);
        var bySwede = await w.TakeAsync(id, w.Env.GermanPartner, "interested", w.SwedishBroker);
        var byCaseBroker = await w.TakeAsync(id, w.Env.GermanPartner, "interested", w.Env.LatvianBroker);
        var unknown = await w.TakeAsync(id, w.FinnishPartner, "agreed", w.FinnishBroker);

        Assert.Equal((CaseCommandStatus.Forbidden, TakeTrackOutcome.TrackRefusal), (byFinn.Status, byFinn.Message));
        Assert.Equal(CaseCommandStatus.NotFound, bySwede.Status); // a broker of a third region does not even see the case
        Assert.True(byCaseBroker.Succeeded, byCaseBroker.Message);
        Assert.Equal("'agreed' is not an outcome the track can take now. From 'Contacted' the track of Kouvola Logistics Lab can go: Interested, Declined.", unknown.Message);
        Assert.Equal("outcome", Assert.Single(unknown.FieldErrors).Field);
    }

    [SkippableFact]
    public async Task The_partner_status_door_takes_the_tracks_outcome_and_the_join_outcome_is_never_taken_by_hand()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner, w.FinnishPartner);
        var details = await w.Env.DetailsAsync(id);
        var german = details.Participants.Single(p => p.CompanyId == w.Env.GermanPartner.Id);

        var interested = await w.Env.Service.PartnerStatus.HandleAsync(new SetPartnerStatus.Request(id, details.Case.Version, german.Id, "interested"), w.Env.GermanBroker);
        var skipping = await w.Env.Service.PartnerStatus.HandleAsync(new SetPartnerStatus.Request(id, details.Case.Version, german.Id, "shortlisted"), w.Env.GermanBroker);
        var byHand = await w.Env.Service.CompleteStepAsync(id, details.Case.Version, "partner-found", CaseEnvironment.Empty, w.Env.LatvianBroker);

        Assert.True(interested.Succeeded, interested.Message);
        Assert.Equal("interested", (await w.TrackOfAsync(id, w.Env.GermanPartner)).State);
        Assert.Equal(CaseCommandStatus.Refused, skipping.Status);
        Assert.Contains("from there it can go: Agreed, Declined", skipping.Message, StringComparison.Ordinal);
        Assert.Equal(CaseCommandStatus.Refused, byHand.Status);
        Assert.Contains("taken by the system", byHand.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Leaving_the_step_by_a_brokers_outcome_cancels_every_open_track_with_an_event_each()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner, w.FinnishPartner);
        var version = (await w.Env.DetailsAsync(id)).Case.Version;

        var withdrew = await w.Env.Service.CompleteStepAsync(id, version, "company-withdrew", CaseEnvironment.Empty, w.Env.LatvianBroker);

        Assert.True(withdrew.Succeeded, withdrew.Message);
        var details = await w.Env.DetailsAsync(id);
        Assert.Equal(CaseStatus.Closed, details.Case.Status);
        Assert.All(details.Tracks, t => Assert.Equal(TrackStatus.Cancelled, t.Status));
        Assert.Equal(2, details.Events.Count(e => e.Kind == CaseEventKinds.TrackCancelled));
        await using var c = await fixture.Factory.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE case_id = @id AND status = 'pending'", new { id }));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePartnerTrackTests(SqliteFixture fixture) : PartnerTrackTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPartnerTrackTests(PostgresFixture fixture) : PartnerTrackTests(fixture);
