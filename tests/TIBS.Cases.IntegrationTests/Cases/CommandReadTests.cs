using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Drafts;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// Saving a draft and the partner commands read what they decide on in one round trip, however long the case's
/// timeline: a case with many notes and messages gets the same answers, with the same reads, as a short one.
/// </summary>
public abstract class CommandReadTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoValues = new Dictionary<string, IReadOnlyList<string>>();

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>What a command answered and how often the case store went to the database outside a transaction.</summary>
    private sealed record Answer(CaseCommandStatus Status, string Message, int Reads);

    private sealed record Counted(CaseEnvironment Env, CaseCommands Service, CountingConnectionFactory Counting)
    {
        public async Task<Answer> RunAsync(Func<CaseCommands, Task<CaseCommandResult>> command)
        {
            var counted = Counting.Restart();
            var result = await command(Service);
            return new Answer(result.Status, result.Message, counted.Reads);
        }

        /// <summary>A case, long (forty notes and twenty messages) or not, with the German partner shortlisted.</summary>
        public async Task<(Guid Id, CaseParticipantRecord German)> CaseAsync(bool isLong, string? definitionKey = null)
        {
            var id = definitionKey is null ? (await Env.OpenCaseAsync()).Id : (await Env.Service.OpenCaseAsync(Env.Lead.Id, null, Env.LatvianBroker, definitionKey)).Case!.Id;
            await TrackSteps.ShortlistAsync(Env, id, Env.GermanPartner);
            for (var n = 0; isLong && n < 40; n++)
            {
                Assert.True((await Env.Service.AddNoteAsync(id, $"Call {n + 1} with the lead SME.", Env.LatvianBroker)).Succeeded);
                Assert.True(n >= 20 || (await Env.Service.Message.HandleAsync(new AddMessage.Request(id, null, $"Question {n + 1}"), Env.GermanBroker)).Succeeded);
            }

            return (id, (await Env.DetailsAsync(id)).Participants.Single(p => p.CompanyId == Env.GermanPartner.Id));
        }
    }

    private async Task<Counted> CountedAsync()
    {
        var env = await CaseEnvironment.CreateAsync(fixture);
        var counting = new CountingConnectionFactory(fixture.Factory);
        var service = await CaseCommands.CreateAsync(fixture.Factory, env.Time, env.Storage, s => s.AddSingleton<ICaseStore>(new CaseStore(counting)));
        return new Counted(env, service, counting);
    }

    [SkippableFact]
    public async Task Drafts_and_partner_commands_read_once_and_answer_the_same_on_a_case_with_a_long_timeline()
    {
        fixture.EnsureAvailable();
        var c = await CountedAsync();
        var finnish = await c.Env.CompanyAsync("Kouvola Logistics Lab", "FI", "FI1C4");
        var answers = new List<Answer[]>();
        foreach (var isLong in new[] { false, true })
        {
            var (id, german) = await c.CaseAsync(isLong);
            var version = (await c.Env.DetailsAsync(id)).Case.Version;
            var run = new List<Answer>
            {
                await c.RunAsync(s => s.Message.HandleAsync(new AddMessage.Request(id, german.Id, "Would you take part?"), c.Env.LatvianBroker)),
                await c.RunAsync(s => s.PartnerStatus.HandleAsync(new SetPartnerStatus.Request(id, version, german.Id, "interested"), c.Env.LatvianBroker)),
                await c.RunAsync(s => s.Shortlist.HandleAsync(new ShortlistPartner.Request(id, version + 1, finnish.Id), c.Env.LatvianBroker)),
                await c.RunAsync(s => s.Handler<SaveDraftHandler>().HandleAsync(new SaveDraftRequest(id, DraftForm.Step("intake"), NoValues, c.Env.LatvianBroker))),
                await c.RunAsync(s => s.Handler<SaveDraftHandler>().HandleAsync(new SaveDraftRequest(id, DraftForm.Step("intake"), NoValues, c.Env.GermanBroker))),
            };
            Assert.True((await c.Env.CompleteTowardsAsync(id, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
            run.Add(await c.RunAsync(s => s.Handler<SaveDraftHandler>().HandleAsync(new SaveDraftRequest(id, DraftForm.Step("intake"), NoValues, c.Env.LatvianBroker))));
            answers.Add([.. run]);
        }

        var (few, many) = (answers[0], answers[1]);
        Assert.Equal(few, many);
        Assert.All(few.Take(4), a => Assert.Equal(CaseCommandStatus.Done, a.Status));
        Assert.Equal(CaseCommandStatus.Forbidden, few[4].Status);
        Assert.Equal((CaseCommandStatus.Refused, "The step 'Intake' was completed meanwhile. The draft was not saved."), (few[5].Status, few[5].Message));
        Assert.All(few, a => Assert.Equal(1, a.Reads));
    }

    [SkippableFact]
    public async Task A_track_outcome_reads_once_for_its_decision_and_once_for_the_join_however_long_the_timeline()
    {
        fixture.EnsureAvailable();
        var c = await CountedAsync();
        await TrackSteps.ImportAsync(c.Env, TrackDefinition.Key, TrackDefinition.Yaml());
        var answers = new List<Answer>();
        foreach (var isLong in new[] { false, true })
        {
            var (id, _) = await c.CaseAsync(isLong, TrackDefinition.Key);
            Assert.True((await c.Env.CompleteTowardsAsync(id, "expressions")).Succeeded);
            var track = await TrackSteps.TrackOfAsync(c.Env, id, c.Env.GermanPartner);
            answers.Add(await c.RunAsync(s => s.Handler<TakeTrackOutcome>().HandleAsync(new TakeTrackOutcome.Request(id, track.Id, track.Version, "interested"), c.Env.GermanBroker)));
            Assert.Equal("interested", (await TrackSteps.TrackOfAsync(c.Env, id, c.Env.GermanPartner)).State);
        }

        Assert.Equal(answers[0], answers[1]);
        Assert.Equal(new Answer(CaseCommandStatus.Done, "Hamburg Maritime Analytics: Contacted → Interested ('Interested').", 2), answers[0]);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCommandReadTests(SqliteFixture fixture) : CommandReadTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCommandReadTests(PostgresFixture fixture) : CommandReadTests(fixture);
