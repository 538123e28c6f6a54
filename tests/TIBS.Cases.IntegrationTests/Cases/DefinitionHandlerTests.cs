using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>The definition and notification handlers decide access themselves, whichever door calls them.</summary>
public abstract class DefinitionHandlerTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Key = "joint-smart-strategy";

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task Only_coordinators_read_validate_save_and_publish_definitions()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var save = new SaveDefinitionDraft(env.Workflows, env.Catalog);
        var publish = new PublishDefinition(env.Workflows, env.Catalog);
        var list = new ListDefinitions(env.Workflows, env.Users);
        var validate = new ValidateDefinition(env.Workflows, env.Catalog);
        var published = (await env.Workflows.GetPublishedVersionAsync(Key))!;
        var yaml = GetDefinitionDraft.WithVersion(published.Content, 2);

        Assert.Equal(CaseCommandStatus.Forbidden, (await list.HandleAsync(new ListDefinitions.Request(), env.LatvianBroker)).Status);
        Assert.Equal(CaseCommandStatus.Forbidden, (await validate.HandleAsync(new ValidateDefinition.Request(Key, yaml), env.Evaluator)).Status);
        Assert.Equal(CaseCommandStatus.Forbidden, (await save.HandleAsync(new SaveDefinitionDraft.Request(Key, yaml, null), env.LatvianBroker)).Status);
        Assert.Null((await env.Workflows.ListVersionsAsync(Key)).FirstOrDefault(v => !v.IsPublished));
        Assert.Equal(CaseCommandStatus.NotFound, (await save.HandleAsync(new SaveDefinitionDraft.Request("no-such-definition", yaml, null), env.Coordinator)).Status);

        var draft = await save.HandleAsync(new SaveDefinitionDraft.Request(Key, yaml, null), env.Coordinator);
        Assert.Equal(CaseCommandStatus.Done, draft.Status);
        Assert.Equal(2, draft.Draft!.Number);
        const string note = "Same steps; checked again before the autumn call.";
        var refused = await publish.HandleAsync(new PublishDefinition.Request(Key, draft.Draft.Id, draft.Draft.RowVersion, note), env.GermanBroker);
        var stale = await publish.HandleAsync(new PublishDefinition.Request(Key, draft.Draft.Id, draft.Draft.RowVersion + 1, note), env.Coordinator);
        var withoutNote = await publish.HandleAsync(new PublishDefinition.Request(Key, draft.Draft.Id, draft.Draft.RowVersion, "  "), env.Coordinator);
        var shortNote = await publish.HandleAsync(new PublishDefinition.Request(Key, draft.Draft.Id, draft.Draft.RowVersion, "fix"), env.Coordinator);
        var longNote = await publish.HandleAsync(new PublishDefinition.Request(Key, draft.Draft.Id, draft.Draft.RowVersion, new string('x', PublishDefinition.MaxChangeNoteLength + 1)), env.Coordinator);
        Assert.Equal(1, (await env.Workflows.GetPublishedVersionAsync(Key))!.Number);
        var done = await publish.HandleAsync(new PublishDefinition.Request(Key, draft.Draft.Id, draft.Draft.RowVersion, "  " + note + "\n"), env.Coordinator);

        Assert.Equal(CaseCommandStatus.Forbidden, refused.Status);
        Assert.Equal(CaseCommandStatus.Conflict, stale.Status);
        Assert.All([withoutNote, shortNote, longNote], r => Assert.Equal((CaseCommandStatus.InvalidForm, PublishDefinition.ChangeNoteField), (r.Status, Assert.Single(r.FieldErrors).Field)));
        Assert.Contains("Write a change note", withoutNote.FieldErrors[0].Message, StringComparison.Ordinal);
        Assert.Contains("too short", shortNote.FieldErrors[0].Message, StringComparison.Ordinal);
        Assert.Contains("too long", longNote.FieldErrors[0].Message, StringComparison.Ordinal);
        Assert.Equal(CaseCommandStatus.Done, done.Status);
        var stored = (await env.Workflows.GetPublishedVersionAsync(Key))!;
        Assert.Equal((2, note), (stored.Number, stored.ChangeNote));
        Assert.Null((await env.Workflows.GetVersionAsync(Key, 1))!.ChangeNote);
        var listed = await list.HandleAsync(new ListDefinitions.Request(), env.Coordinator);
        Assert.Equal([2, 1], Assert.Single(listed.Definitions).Versions.Select(v => v.Number));
        Assert.Equal("coordinator@test.example", listed.UserName(done.Published!.PublishedBy));
    }

    [SkippableFact]
    public async Task Validating_posted_yaml_names_each_problem_with_its_path_and_line_and_saves_nothing()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var published = (await env.Workflows.GetPublishedVersionAsync(Key))!;
        var broken = GetDefinitionDraft.WithVersion(published.Content, 2).Replace("to: first-contact", "to: nowhere-at-all", StringComparison.Ordinal);

        var result = await new ValidateDefinition(env.Workflows, env.Catalog).HandleAsync(new ValidateDefinition.Request(Key, broken), env.Coordinator);

        Assert.Equal(CaseCommandStatus.Done, result.Status);
        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Problems, p => p.Message.Contains("nowhere-at-all", StringComparison.Ordinal));
        Assert.StartsWith("stages[", problem.Path, StringComparison.Ordinal);
        Assert.EndsWith(".to", problem.Path, StringComparison.Ordinal);
        Assert.True(problem.Position!.Value.Line > 1);
        Assert.Single(await env.Workflows.ListVersionsAsync(Key));
    }

    [SkippableFact]
    public async Task A_user_reads_and_marks_only_their_own_notifications()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var store = new NotificationStore(fixture.Factory);
        var notice = new NotificationRecord
        {
            Id = Guid.CreateVersion7(),
            UserId = env.GermanBroker.UserId,
            Kind = "reminder",
            Title = "For Hamburg",
            Body = "Body",
            DeliveryKey = "test:own",
            CreatedAt = Start,
        };
        Assert.True(await store.AddAsync(notice));
        var markRead = new MarkNotificationRead(store, env.Time);
        var inbox = new ListNotifications(store);

        var byOther = await markRead.HandleAsync(new MarkNotificationRead.Request(notice.Id), env.LatvianBroker);
        var otherInbox = await inbox.HandleAsync(new ListNotifications.Request(), env.LatvianBroker);
        var byOwner = await markRead.HandleAsync(new MarkNotificationRead.Request(notice.Id), env.GermanBroker);
        var again = await markRead.HandleAsync(new MarkNotificationRead.Request(notice.Id), env.GermanBroker);
        var ownInbox = await inbox.HandleAsync(new ListNotifications.Request(), env.GermanBroker);

        Assert.Equal(CaseCommandStatus.NotFound, byOther.Status);
        Assert.Empty(otherInbox.Items);
        Assert.Equal("Notification marked as read.", byOwner.Message);
        Assert.Equal("That notification was already read.", again.Message);
        Assert.Equal(Start, Assert.Single(ownInbox.Items).ReadAt);
        Assert.Equal(0, ownInbox.UnreadCount);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteDefinitionHandlerTests(SqliteFixture fixture) : DefinitionHandlerTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresDefinitionHandlerTests(PostgresFixture fixture) : DefinitionHandlerTests(fixture);
