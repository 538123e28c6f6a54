using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Migration;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Core.Partners.Tracks;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Migration;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// A migration plan says what happens to running partner tracks, and the migration does what it said: tracks continue
/// where the step runs tracks in both versions (a state the new version lacks needs a <c>step/state -&gt; state</c>
/// mapping or the plan is refused in words), tracks start in the state the partner's pipeline status names where the
/// new step has tracks and the old had none, and open tracks are cancelled where the new step has none.
/// Versions of the partner-tracks test definition: v1 tracks; v2 the state "interested" is called "keen"; v3 no tracks;
/// v4 tracks again.
/// </summary>
public abstract class TrackMigrationTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Key = TrackDefinition.Key;

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Keen(int version) => TrackDefinition.Yaml(version).Replace("interested", "keen", StringComparison.Ordinal).Replace("Interested", "Keen", StringComparison.Ordinal);

    private static string WithoutTracks(int version)
    {
        var yaml = TrackDefinition.Yaml(version);
        var start = yaml.IndexOf("\n        tracks:", StringComparison.Ordinal);
        var end = yaml.IndexOf("\n      - key: agreement", StringComparison.Ordinal);
        // Without a join, the broker chooses: one outcome, so no two are always allowed together.
        return (yaml[..start] + yaml[end..])
            .Replace("          - { key: back-to-matching, label: Back to matching, to: matching }\n", "", StringComparison.Ordinal)
            .Replace("          - { key: company-withdrew, label: The company withdrew, to: withdrawn }\n", "", StringComparison.Ordinal)
            .Replace("  - { key: withdrawn, name: Withdrawn, kind: failure }", "", StringComparison.Ordinal);
    }

    private sealed record World(CaseEnvironment Env, Company Finnish, Actor FinnishBroker, string Folder)
    {
        public async Task PublishAsync(int version, string yaml)
        {
            await File.WriteAllTextAsync(Path.Combine(Folder, Key, $"v{version}.yaml"), yaml);
            await Env.Catalog.ImportFolderAsync(Folder);
        }

        /// <summary>A case in expressions of interest with the German and the Finnish partner; the German one is interested.</summary>
        public async Task<Guid> CaseInExpressionsAsync()
        {
            var opened = await Env.Service.OpenCaseAsync(Env.Lead.Id, null, Env.LatvianBroker, Key);
            Assert.True(opened.Succeeded, opened.Message);
            var id = opened.Case!.Id;
            foreach (var partner in new[] { Env.GermanPartner, Finnish })
            {
                var c = (await Env.DetailsAsync(id)).Case;
                var shortlisted = await Env.Service.Shortlist.HandleAsync(new ShortlistPartner.Request(id, c.Version, partner.Id), Env.LatvianBroker);
                Assert.True(shortlisted.Succeeded, shortlisted.Message);
            }

            Assert.True((await Env.CompleteTowardsAsync(id, "expressions")).Succeeded);
            var d = await Env.DetailsAsync(id);
            var german = d.Participants.Single(p => p.CompanyId == Env.GermanPartner.Id);
            var interested = await Env.Service.SetPartnerStatusAsync(id, d.Case.Version, german.Id, PipelineStatus.Interested, Env.GermanBroker);
            Assert.True(interested.Succeeded, interested.Message);
            return id;
        }

        public async Task<MigrationRun> MigrateAsync(int from, int to, Dictionary<string, string> mappings)
        {
            var reviewed = await new ReviewMigration(Env.Migrations).HandleAsync(new ReviewMigrationRequest(Key, from, to, mappings, Env.Coordinator));
            Assert.Equal(MigrationReviewStatus.Reviewed, reviewed.Status);
            var result = await new ExecuteMigration(Env.Migrations, Env.Cases).HandleAsync(new ExecuteMigrationRequest(Key, reviewed.Review!.Token, true, Env.Coordinator));
            Assert.Equal(MigrationExecutionStatus.Executed, result.Status);
            return result.Run!;
        }

        public string StateOf(CaseDetails d, Company partner) =>
            d.Tracks.Last(t => t.ParticipantId == d.Participants.Single(p => p.CompanyId == partner.Id).Id).State;
    }

    private async Task<World> WorldAsync()
    {
        var env = await CaseEnvironment.CreateAsync(fixture);
        var folder = Path.Combine(Path.GetTempPath(), "tibs-tests", "track-migration-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, Key));
        var world = new World(env, await env.CompanyAsync("Kouvola Logistics Lab", "FI", "FI1C4"), await env.UserAsync("broker.fi1c4@test.example", Roles.Broker, "FI1C4"), folder);
        await world.PublishAsync(1, TrackDefinition.Yaml(1));
        return world;
    }

    [SkippableFact]
    public async Task Open_tracks_in_a_state_the_new_version_lacks_are_refused_in_words_until_mapped_then_continue_in_the_mapped_state()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.CaseInExpressionsAsync();
        var before = await w.Env.DetailsAsync(id);
        await w.PublishAsync(2, Keen(2));

        var refused = await w.Env.Migrations.DryRunAsync(Key, 1, 2, new Dictionary<string, string>());
        var error = Assert.Single(refused.Errors);
        Assert.Contains("1 open partner track(s) in 'Interested'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'expressions/interested -> state'", error.Message, StringComparison.Ordinal);
        Assert.Contains("keen", error.Message, StringComparison.Ordinal);

        var toEnd = await w.Env.Migrations.DryRunAsync(Key, 1, 2, new Dictionary<string, string> { ["expressions/interested"] = "agreed" });
        Assert.Contains(toEnd.Errors, e => e.Message.Contains("an end of the tracks of 'expressions'", StringComparison.Ordinal));

        var mappings = new Dictionary<string, string> { ["expressions/interested"] = "keen" };
        var plan = await w.Env.Migrations.DryRunAsync(Key, 1, 2, mappings);
        Assert.True(plan.IsValid, string.Join("; ", plan.Errors));
        var line = Assert.Single(plan.Cases);
        Assert.Equal(TrackDecision.Continue, line.Tracks.Decision);
        Assert.True(line.Summary.Contains("2 open partner track(s) continue (1 in 'Contacted'; 1 from 'Interested' to 'Keen' (mapped))", StringComparison.Ordinal), line.Summary);

        Assert.Equal(1, (await w.MigrateAsync(1, 2, mappings)).Moved);
        var after = await w.Env.DetailsAsync(id);
        Assert.Equal(2, after.Plan.Version);
        Assert.Equal(before.Tracks.Select(t => t.Id).Order(), after.Tracks.Where(t => t.IsOpen).Select(t => t.Id).Order());
        Assert.Equal("keen", w.StateOf(after, w.Env.GermanPartner));
        Assert.Equal("contacted", w.StateOf(after, w.Finnish));
        Assert.Contains(after.Events, e => e.Kind == CaseEventKinds.TrackMoved && e.Data!.Contains("by the migration to version 2", StringComparison.Ordinal));
        Assert.Equal(before.Reminders.Count(r => r.CaseTrackId is not null && r.Status == ReminderStatus.Pending),
            after.Reminders.Count(r => r.CaseTrackId is not null && r.Status == ReminderStatus.Pending));

        // The moved track goes on under version 2: the German partner agrees and the join fires.
        var german = after.Tracks.Last(t => t.ParticipantId == after.Participants.Single(p => p.CompanyId == w.Env.GermanPartner.Id).Id);
        var agreed = await w.Env.Service.Handler<TakeTrackOutcome>().HandleAsync(new TakeTrackOutcome.Request(id, german.Id, german.Version, "agreed"), w.Env.GermanBroker);
        Assert.True(agreed.Succeeded, agreed.Message);
        var joined = await w.Env.DetailsAsync(id);
        Assert.Equal("agreement", joined.Case.CurrentStep);
        Assert.True(AuditChain.Verify(joined.Case, joined.Events).IsIntact);
    }

    [SkippableFact]
    public async Task Open_tracks_are_cancelled_when_the_new_step_runs_none_and_the_plan_says_so()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.CaseInExpressionsAsync();
        await w.PublishAsync(2, Keen(2));
        await w.PublishAsync(3, WithoutTracks(3));

        var plan = await w.Env.Migrations.DryRunAsync(Key, 1, 3, new Dictionary<string, string>());
        Assert.True(plan.IsValid, string.Join("; ", plan.Errors));
        var line = Assert.Single(plan.Cases);
        Assert.Equal(TrackDecision.Cancel, line.Tracks.Decision);
        Assert.True(line.Summary.Contains("2 open partner track(s) cancelled (1 in 'Contacted', 1 in 'Interested'): 'expressions' runs no tracks in the new version", StringComparison.Ordinal), line.Summary);

        var run = await w.MigrateAsync(1, 3, []);
        Assert.Contains("cancelled", Assert.Single(run.Cases).Message, StringComparison.Ordinal);
        var after = await w.Env.DetailsAsync(id);
        Assert.Equal(("expressions", 3), (after.Case.CurrentStep, after.Plan.Version));
        Assert.All(after.Tracks, t => Assert.Equal(TrackStatus.Cancelled, t.Status));
        Assert.Equal(2, after.Events.Count(e => e.Kind == CaseEventKinds.TrackCancelled && e.Data!.Contains("runs no tracks", StringComparison.Ordinal)));
        Assert.DoesNotContain(after.Reminders, r => r.CaseTrackId is not null && r.Status == ReminderStatus.Pending);
        Assert.True(AuditChain.Verify(after.Case, after.Events).IsIntact);
    }

    [SkippableFact]
    public async Task Tracks_start_in_the_state_the_partners_pipeline_status_names_when_the_new_step_has_tracks_and_the_old_had_none()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        await w.PublishAsync(2, Keen(2));
        await w.PublishAsync(3, WithoutTracks(3));
        var id = await w.CaseInExpressionsAsync();
        Assert.Equal(3, (await w.Env.DetailsAsync(id)).Plan.Version);
        Assert.Empty((await w.Env.DetailsAsync(id)).Tracks);
        await w.PublishAsync(4, TrackDefinition.Yaml(4));

        var plan = await w.Env.Migrations.DryRunAsync(Key, 3, 4, new Dictionary<string, string>());
        var line = Assert.Single(plan.Cases);
        Assert.Equal(TrackDecision.Start, line.Tracks.Decision);
        Assert.True(line.Summary.Contains("2 partner track(s) start in the state each partner's pipeline status names (1 in 'Contacted', 1 in 'Interested')", StringComparison.Ordinal), line.Summary);

        Assert.Equal(1, (await w.MigrateAsync(3, 4, [])).Moved);
        var after = await w.Env.DetailsAsync(id);
        Assert.Equal("interested", w.StateOf(after, w.Env.GermanPartner));
        Assert.Equal("contacted", w.StateOf(after, w.Finnish));
        Assert.All(after.Tracks, t => Assert.Equal(TrackStatus.Open, t.Status));
        Assert.Equal(2, after.Events.Count(e => e.Kind == CaseEventKinds.TrackStarted));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTrackMigrationTests(SqliteFixture fixture) : TrackMigrationTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTrackMigrationTests(PostgresFixture fixture) : TrackMigrationTests(fixture);
