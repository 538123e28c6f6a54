using TIBS.Cases.Core.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Forms;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>Closed means closed: after a case ends, no user's command changes it, whoever asks and whatever they ask.</summary>
public abstract class ClosedCaseTests(DatabaseFixture fixture) : IAsyncLifetime
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
    public async Task A_withdrawn_case_refuses_every_user_change_and_its_trail_ends_with_the_withdrawal()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        Assert.True((await env.CompleteTowardsAsync(c.Id, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        var open = await env.DetailsAsync(c.Id);
        Assert.True((await env.Service.ShortlistPartnerAsync(c.Id, open.Case.Version, env.GermanPartner.Id, env.LatvianBroker)).Succeeded);
        open = await env.DetailsAsync(c.Id);
        var partner = open.Participants.Single(p => p.Role == ParticipantRole.Partner);
        var withdrawn = await env.Service.ApplyCaseActionAsync(c.Id, open.Case.Version, "withdraw", "The company was sold", env.LatvianBroker);
        Assert.True(withdrawn.Succeeded, withdrawn.Message);

        var closed = await env.DetailsAsync(c.Id);
        var v = closed.Case.Version;
        var attachment = CaseCommands.File("late.pdf", "%PDF"u8.ToArray());
        var attempts = new Dictionary<string, CaseCommandResult>
        {
            ["note (broker)"] = await env.Service.AddNoteAsync(c.Id, "Written after the end", env.LatvianBroker),
            ["note (coordinator)"] = await env.Service.AddNoteAsync(c.Id, "Written after the end", env.Coordinator),
            ["attachment"] = await env.Service.AddAttachmentAsync(c.Id, v, attachment, env.LatvianBroker),
            ["message"] = await env.Service.AddMessageAsync(c.Id, partner.Id, "Still interested?", env.GermanBroker),
            ["partner"] = await env.Service.ShortlistPartnerAsync(c.Id, v, env.LatvianNeighbour.Id, env.LatvianBroker),
            ["partner status"] = await env.Service.SetPartnerStatusAsync(c.Id, v, partner.Id, PipelineStatus.Interested, env.GermanBroker),
            ["hold"] = await env.Service.ApplyCaseActionAsync(c.Id, v, "hold", "pause", env.LatvianBroker),
            ["resume"] = await env.Service.ApplyCaseActionAsync(c.Id, v, "resume", null, env.Coordinator),
            ["withdraw again"] = await env.Service.ApplyCaseActionAsync(c.Id, v, "withdraw", "again", env.LatvianBroker),
            ["step"] = await env.Service.CompleteStepAsync(c.Id, v, "done", FormInput.Empty, env.LatvianBroker),
            ["check-in"] = await env.Service.RecordCheckInAsync(c.Id, v, "quarterly", 1, FormInput.Empty, env.LatvianBroker),
        };

        Assert.All(attempts, a =>
        {
            Assert.True(a.Value.Status == CaseCommandStatus.Refused, $"{a.Key}: {a.Value.Status} {a.Value.Message}");
            Assert.Contains("closed", a.Value.Message, StringComparison.Ordinal);
        });
        var after = await env.DetailsAsync(c.Id);
        Assert.Equal(closed.Case.Version, after.Case.Version);
        Assert.Equal("case-withdraw", after.Events[^1].Kind);
        Assert.Equal(closed.Events.Count, after.Events.Count);
        Assert.Equal(closed.Notes.Count, after.Notes.Count);
        Assert.Equal(closed.Attachments.Count, after.Attachments.Count);
        Assert.Equal(closed.Participants.Count, after.Participants.Count);
        Assert.True((await env.Service.VerifyAuditAsync(c.Id))!.IsIntact);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteClosedCaseTests(SqliteFixture fixture) : ClosedCaseTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresClosedCaseTests(PostgresFixture fixture) : ClosedCaseTests(fixture);
