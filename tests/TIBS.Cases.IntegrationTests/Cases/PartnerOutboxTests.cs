using System.Reflection;
using Dapper;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// The partner commands write their notifications to the partner's brokers with the case change, in one transaction
/// (the outbox): a commit that fails leaves none, one that succeeds leaves exactly the expected ones.
/// </summary>
public abstract class PartnerOutboxTests(DatabaseFixture fixture) : IAsyncLifetime
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
    public async Task Shortlisting_stores_the_partner_with_its_own_score_and_notifies_each_active_broker_of_the_partners_region_once()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var second = await AddUserAsync(env, "second.de60@test.example", "DE60", active: true);
        await AddUserAsync(env, "former.de60@test.example", "DE60", active: false);
        var c = await env.OpenCaseAsync();
        var handlers = Handlers(env);

        var result = await handlers.Shortlist.HandleAsync(new ShortlistPartner.Request(c.Id, c.Version, env.GermanPartner.Id), env.LatvianBroker);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal("Hamburg Maritime Analytics shortlisted. 2 brokers of Hamburg (DE60) were notified.", result.Message);
        var details = await env.DetailsAsync(c.Id);
        var partner = details.Participants.Single(p => p.Role == ParticipantRole.Partner);
        var reference = new ReferenceDataStore(fixture.Factory);
        var expected = MatchScorer.Score(MatchProfile.Of(env.Lead, details.Case), env.GermanPartner,
            MatchReference.From(await reference.S3AreasAsync(), await reference.RegionsAsync())).Score;
        Assert.Equal((decimal?)expected, partner.MatchScore);
        Assert.Equal(CaseEventKinds.PartnerShortlisted, details.Events[^1].Kind);
        var notices = await NotificationsAsync(c.Id);
        Assert.Equal(new[] { env.GermanBroker.UserId, second }.Order(), notices.Select(n => n.UserId).Order());
        Assert.All(notices, n => Assert.Equal(NotificationKinds.PartnerShortlisted, n.Kind));
        Assert.All(notices, n => Assert.Equal($"shortlisted:{partner.Id}:{n.UserId}", n.DeliveryKey));
        Assert.All(notices, n => Assert.Equal(Start, n.EmailDueAt)); // the e-mail is queued for the mail dispatcher
        var due = await new NotificationStore(fixture.Factory).ListMailDueAsync(Start, 10);
        Assert.Equal(notices.Select(n => n.Id).Order(), due.Select(d => d.NotificationId).Order());
    }

    [SkippableFact]
    public async Task A_shortlist_that_loses_a_race_at_commit_leaves_no_partner_no_event_and_no_notification()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        // Between the handler's read and its commit, someone else changes the case.
        var racing = RacingStore.Create(env.Cases, () => env.Service.ApplyCaseActionAsync(c.Id, c.Version, "hold", "Waiting for documents.", env.LatvianBroker, null));
        var handlers = Handlers(env, racing);

        var result = await handlers.Shortlist.HandleAsync(new ShortlistPartner.Request(c.Id, c.Version, env.GermanPartner.Id), env.LatvianBroker);

        Assert.Equal(CaseCommandStatus.Conflict, result.Status);
        var details = await env.DetailsAsync(c.Id);
        Assert.DoesNotContain(details.Participants, p => p.Role == ParticipantRole.Partner);
        Assert.DoesNotContain(details.Events, e => e.Kind == CaseEventKinds.PartnerShortlisted);
        Assert.Empty(await NotificationsAsync(c.Id));
        Assert.Equal(CaseStatus.OnHold, details.Case.Status); // the other change stands
    }

    [SkippableFact]
    public async Task A_commit_with_a_stale_version_writes_none_of_its_notifications()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        var (advanced, evt) = c.Record(Start, env.LatvianBroker, CaseEventKinds.PartnerStatusChanged, c.CurrentStep, "{}");

        var write = new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = c.Version + 1,
            Events = [evt],
            Notifications = [Notice(env.GermanBroker.UserId, c.Id, "stale:1")],
        };

        await Assert.ThrowsAsync<Core.ConcurrencyConflictException>(() => env.Cases.CommitAsync(write));
        Assert.Empty(await NotificationsAsync(c.Id));

        // The same write at the right version goes in with its notification; a key delivered before is left out.
        await env.Cases.CommitAsync(write with { ExpectedVersion = c.Version, Notifications = [Notice(env.GermanBroker.UserId, c.Id, "stale:1"), Notice(env.GermanBroker.UserId, c.Id, "stale:1")] });
        Assert.Equal(["stale:1"], (await NotificationsAsync(c.Id)).Select(n => n.DeliveryKey));
    }

    [SkippableFact]
    public async Task Contacting_a_partner_notifies_its_brokers_once_however_often_it_is_contacted()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        var handlers = Handlers(env);
        var shortlisted = await handlers.Shortlist.HandleAsync(new ShortlistPartner.Request(c.Id, c.Version, env.GermanPartner.Id), env.LatvianBroker);
        var partner = (await env.DetailsAsync(c.Id)).Participants.Single(p => p.Role == ParticipantRole.Partner);

        var contacted = await handlers.Status.HandleAsync(new SetPartnerStatus.Request(c.Id, shortlisted.Case!.Version, partner.Id, PipelineStatus.Contacted), env.LatvianBroker);
        var declined = await handlers.Status.HandleAsync(new SetPartnerStatus.Request(c.Id, contacted.Case!.Version, partner.Id, PipelineStatus.Declined), env.GermanBroker);
        var again = await handlers.Status.HandleAsync(new SetPartnerStatus.Request(c.Id, declined.Case!.Version, partner.Id, PipelineStatus.Contacted), env.LatvianBroker);

        Assert.Equal("Hamburg Maritime Analytics: Contacted. The broker of Hamburg (DE60) was notified.", contacted.Message);
        Assert.Equal("Hamburg Maritime Analytics: Declined.", declined.Message);
        Assert.Equal("Hamburg Maritime Analytics: Contacted. No broker of Hamburg (DE60) was notified (none registered, or already notified).", again.Message);
        var notices = await NotificationsAsync(c.Id);
        Assert.Equal([NotificationKinds.PartnerContacted, NotificationKinds.PartnerShortlisted], notices.Select(n => n.Kind).Order(StringComparer.Ordinal));
        Assert.All(notices, n => Assert.Equal(env.GermanBroker.UserId, n.UserId));
    }

    [SkippableFact]
    public async Task Partner_commands_refuse_whoever_may_not_do_them_and_bad_input_with_the_field_named()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        var handlers = Handlers(env);

        var byCoordinator = await handlers.Shortlist.HandleAsync(new ShortlistPartner.Request(c.Id, c.Version, env.GermanPartner.Id), env.Coordinator);
        var byGerman = await handlers.Shortlist.HandleAsync(new ShortlistPartner.Request(c.Id, c.Version, env.GermanPartner.Id), env.GermanBroker);
        var sameCountry = await handlers.Shortlist.HandleAsync(new ShortlistPartner.Request(c.Id, c.Version, env.LatvianNeighbour.Id), env.LatvianBroker);
        var shortlisted = await handlers.Shortlist.HandleAsync(new ShortlistPartner.Request(c.Id, c.Version, env.GermanPartner.Id), env.LatvianBroker);
        var partner = (await env.DetailsAsync(c.Id)).Participants.Single(p => p.Role == ParticipantRole.Partner);
        var twice = await handlers.Shortlist.HandleAsync(new ShortlistPartner.Request(c.Id, shortlisted.Case!.Version, env.GermanPartner.Id), env.LatvianBroker);
        var badStatus = await handlers.Status.HandleAsync(new SetPartnerStatus.Request(c.Id, shortlisted.Case.Version, partner.Id, "married"), env.LatvianBroker);
        var byEvaluator = await handlers.Message.HandleAsync(new AddMessage.Request(c.Id, partner.Id, "Hello"), env.Evaluator);
        var empty = await handlers.Message.HandleAsync(new AddMessage.Request(c.Id, partner.Id, " "), env.GermanBroker);

        Assert.Equal(CaseCommandStatus.Forbidden, byCoordinator.Status);
        Assert.Equal(CaseCommandStatus.NotFound, byGerman.Status); // no partner of Hamburg yet: the case is not theirs to see
        Assert.Equal(CaseCommandStatus.Refused, sameCountry.Status);
        Assert.Contains("partners come from other countries", sameCountry.Message, StringComparison.Ordinal);
        Assert.True(shortlisted.Succeeded, shortlisted.Message);
        Assert.Equal(CaseCommandStatus.Refused, twice.Status);
        Assert.Equal("status", Assert.Single(badStatus.FieldErrors).Field);
        Assert.Equal(CaseCommandStatus.NotFound, byEvaluator.Status); // evaluators read closed cases only
        Assert.Equal(("body", "Write the message first."), (Assert.Single(empty.FieldErrors).Field, empty.FieldErrors[0].Message));
        Assert.Single(await NotificationsAsync(c.Id));
    }

    private sealed record PartnerHandlers(ShortlistPartner Shortlist, SetPartnerStatus Status, AddMessage Message);

    private PartnerHandlers Handlers(CaseEnvironment env, ICaseStore? store = null)
    {
        var reader = env.Service.Reader;
        var context = new CaseCommandContext(store ?? env.Cases, reader, env.Time);
        IReferenceDataStore reference = new ReferenceDataStore(fixture.Factory);
        var notices = new PartnerNotices(env.Users, new NotificationStore(fixture.Factory), reference);
        return new PartnerHandlers(
            new ShortlistPartner(reader, context, env.Companies, reference, notices, env.Time),
            new SetPartnerStatus(reader, context, notices, env.Time),
            new AddMessage(reader, context, env.Time));
    }

    private async Task<List<NotificationRecord>> NotificationsAsync(Guid caseId)
    {
        await using var c = await fixture.Factory.OpenAsync();
        return [.. await c.QueryAsync<NotificationRecord>(
            "SELECT id, user_id, case_id, kind, title, body, delivery_key, created_at, email_due_at FROM notifications WHERE case_id = @caseId ORDER BY delivery_key", new { caseId })];
    }

    private static NotificationRecord Notice(Guid userId, Guid caseId, string key) => new()
    {
        Id = Guid.CreateVersion7(),
        UserId = userId,
        CaseId = caseId,
        Kind = NotificationKinds.PartnerContacted,
        Title = "Test",
        Body = "Test",
        DeliveryKey = key,
        CreatedAt = Start,
    };

    private static async Task<Guid> AddUserAsync(CaseEnvironment env, string email, string region, bool active)
    {
        var user = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            DisplayName = email,
            Role = Roles.Broker,
            RegionCode = region,
            PasswordHash = "x",
            SecurityStamp = "s",
            IsActive = active,
            CreatedAt = Start,
            UpdatedAt = Start,
        };
        await env.Users.InsertAsync(user);
        return user.Id;
    }

    /// <summary>A case store that lets someone else change the case just before the first commit goes in.</summary>
    public class RacingStore : DispatchProxy
    {
        private ICaseStore inner = null!;
        private Func<Task<CaseCommandResult>>? before;

        public static ICaseStore Create(ICaseStore inner, Func<Task<CaseCommandResult>> before)
        {
            var proxy = Create<ICaseStore, RacingStore>();
            var racing = (RacingStore)(object)proxy;
            racing.inner = inner;
            racing.before = before;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(ICaseStore.CommitAsync) && Interlocked.Exchange(ref before, null) is { } race)
            {
                return CommitAfterAsync(race, targetMethod, args);
            }

            return targetMethod.Invoke(inner, args);
        }

        private async Task CommitAfterAsync(Func<Task<CaseCommandResult>> race, MethodInfo commit, object?[]? args)
        {
            Assert.True((await race()).Succeeded);
            await (Task)commit.Invoke(inner, args)!;
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePartnerOutboxTests(SqliteFixture fixture) : PartnerOutboxTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPartnerOutboxTests(PostgresFixture fixture) : PartnerOutboxTests(fixture);
