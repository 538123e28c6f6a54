using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>The e-mail claims, the unmailed list, mark-all-read and the digest preference, once per available provider.</summary>
public abstract class NotificationStoreMailTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 7, 0, 0, 123, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task An_email_claim_holds_for_its_lease_a_confirmation_ends_it_and_a_release_waits_for_the_retry()
    {
        fixture.EnsureAvailable();
        var store = new NotificationStore(fixture.Factory);
        var user = await AddUserAsync("a@example.org");
        var n = await AddNotificationAsync(store, user.Id, "Reminder", Now, emailDue: Now);
        var lease = TimeSpan.FromSeconds(30);

        Assert.True(await store.ClaimEmailAsync(n.Id, Now, Now + lease));
        Assert.False(await store.ClaimEmailAsync(n.Id, Now.AddSeconds(1), Now.AddSeconds(1) + lease));
        Assert.Null((await store.GetAsync(n.Id))!.EmailedAt); // claimed is not sent

        // The holder died: after the lease someone else may send it.
        Assert.True(await store.ClaimEmailAsync(n.Id, Now + lease + TimeSpan.FromSeconds(1), Now + (2 * lease)));
        await store.ReleaseEmailAsync(n.Id, Now + TimeSpan.FromMinutes(5)); // the send failed: retry in five minutes
        var released = (await store.GetAsync(n.Id))!;
        Assert.Null(released.EmailedAt);
        Assert.Equal(1, released.EmailAttempts);
        Assert.False(await store.ClaimEmailAsync(n.Id, Now + TimeSpan.FromMinutes(4), Now + TimeSpan.FromMinutes(5)));
        Assert.True(await store.ClaimEmailAsync(n.Id, Now + TimeSpan.FromMinutes(6), Now + TimeSpan.FromMinutes(7)));

        await store.ConfirmEmailAsync(n.Id, Now + TimeSpan.FromMinutes(6));
        Assert.Equal(Now + TimeSpan.FromMinutes(6), (await store.GetAsync(n.Id))!.EmailedAt);
        Assert.False(await store.ClaimEmailAsync(n.Id, Now + TimeSpan.FromHours(1), Now + TimeSpan.FromHours(2)));
        Assert.False(await store.ClaimEmailAsync(Guid.NewGuid(), Now, Now + lease));
    }

    [SkippableFact]
    public async Task Concurrent_claims_of_one_notification_let_exactly_one_through()
    {
        fixture.EnsureAvailable();
        var store = new NotificationStore(fixture.Factory);
        var user = await AddUserAsync("a@example.org");
        var n = await AddNotificationAsync(store, user.Id, "Reminder", Now);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.ClaimEmailAsync(n.Id, Now.AddSeconds(i), Now.AddMinutes(1)))));

        Assert.Equal(1, results.Count(r => r));
    }

    [SkippableFact]
    public async Task Mail_is_due_when_its_time_has_come_and_no_claim_runs_and_digests_only_when_one_was_left_unconfirmed()
    {
        fixture.EnsureAvailable();
        var store = new NotificationStore(fixture.Factory);
        var users = new UserStore(fixture.Factory);
        var single = await AddUserAsync("single@example.org");
        var digest = await AddUserAsync("digest@example.org");
        var inactive = await AddUserAsync("inactive@example.org", active: false);
        await users.SetEmailDigestAsync(digest.Id, true, Now);
        var due = await AddNotificationAsync(store, single.Id, "Due", Now.AddMinutes(-2), emailDue: Now.AddMinutes(-2));
        var later = await AddNotificationAsync(store, single.Id, "Later", Now, emailDue: Now.AddMinutes(5));
        var inboxOnly = await AddNotificationAsync(store, single.Id, "Inbox only", Now);
        var running = await AddNotificationAsync(store, single.Id, "Being sent", Now.AddMinutes(-1), emailDue: Now.AddMinutes(-1));
        var sent = await AddNotificationAsync(store, single.Id, "Sent", Now.AddMinutes(-3), emailDue: Now.AddMinutes(-3));
        var digestWaiting = await AddNotificationAsync(store, digest.Id, "For the daily digest", Now, emailDue: Now);
        var digestCrashed = await AddNotificationAsync(store, digest.Id, "In a digest that never got confirmed", Now.AddMinutes(-5), emailDue: Now.AddMinutes(-5));
        await AddNotificationAsync(store, inactive.Id, "Nobody reads it", Now, emailDue: Now);
        Assert.True(await store.ClaimEmailAsync(running.Id, Now, Now.AddSeconds(30)));
        Assert.True(await store.ClaimEmailAsync(sent.Id, Now.AddMinutes(-3), Now.AddMinutes(-2)));
        await store.ConfirmEmailAsync(sent.Id, Now.AddMinutes(-3));
        Assert.True(await store.ClaimEmailAsync(digestCrashed.Id, Now.AddMinutes(-2), Now.AddMinutes(-1)));

        var list = await store.ListMailDueAsync(Now, 50);

        Assert.Equal(
            new[] { (due.Id, single.Id, false), (digestCrashed.Id, digest.Id, true) }.OrderBy(x => x.Item1),
            list.Select(m => (m.NotificationId, m.UserId, m.Digest)).OrderBy(x => x.Item1));
        Assert.DoesNotContain(list, m => m.NotificationId == later.Id || m.NotificationId == inboxOnly.Id || m.NotificationId == digestWaiting.Id);
        Assert.Contains(await store.ListMailDueAsync(Now.AddMinutes(1), 50), m => m.NotificationId == running.Id); // its holder's lease ran out
        Assert.Single(await store.ListMailDueAsync(Now, 1));
    }

    [SkippableFact]
    public async Task Unmailed_notifications_of_a_user_are_listed_newest_first()
    {
        fixture.EnsureAvailable();
        var store = new NotificationStore(fixture.Factory);
        var user = await AddUserAsync("a@example.org");
        var other = await AddUserAsync("b@example.org");
        var old = await AddNotificationAsync(store, user.Id, "Old", Now.AddHours(-3));
        var recent = await AddNotificationAsync(store, user.Id, "Recent", Now.AddHours(-1));
        var mailed = await AddNotificationAsync(store, user.Id, "Mailed", Now.AddHours(-2));
        await AddNotificationAsync(store, other.Id, "Someone else's", Now);
        Assert.True(await store.ClaimEmailAsync(mailed.Id, Now, Now.AddSeconds(30)));
        await store.ConfirmEmailAsync(mailed.Id, Now);

        var list = await store.ListUnmailedForUserAsync(user.Id, 50);

        Assert.Equal([recent.Id, old.Id], list.Select(n => n.Id));
        Assert.All(list, n => Assert.Null(n.EmailedAt));
        Assert.Single(await store.ListUnmailedForUserAsync(user.Id, 1));
    }

    [SkippableFact]
    public async Task Mark_all_read_marks_only_that_users_unread_notifications()
    {
        fixture.EnsureAvailable();
        var store = new NotificationStore(fixture.Factory);
        var user = await AddUserAsync("a@example.org");
        var other = await AddUserAsync("b@example.org");
        var first = await AddNotificationAsync(store, user.Id, "One", Now);
        await AddNotificationAsync(store, user.Id, "Two", Now);
        await AddNotificationAsync(store, other.Id, "Other", Now);
        Assert.True(await store.MarkReadAsync(user.Id, first.Id, Now));

        Assert.Equal(1, await store.MarkAllReadAsync(user.Id, Now.AddMinutes(1)));
        Assert.Equal(0, await store.UnreadCountAsync(user.Id));
        Assert.Equal(1, await store.UnreadCountAsync(other.Id));
        Assert.Equal(0, await store.MarkAllReadAsync(user.Id, Now.AddMinutes(2)));
        Assert.Equal(Now, (await store.GetAsync(first.Id))!.ReadAt);
    }

    [SkippableFact]
    public async Task The_digest_preference_is_stored_and_only_active_digest_users_are_listed()
    {
        fixture.EnsureAvailable();
        var users = new UserStore(fixture.Factory);
        var digest = await AddUserAsync("digest@example.org");
        var single = await AddUserAsync("single@example.org");
        var inactive = await AddUserAsync("inactive@example.org", active: false);

        Assert.False(await users.GetEmailDigestAsync(digest.Id));
        Assert.False((await users.FindByIdAsync(digest.Id))!.EmailDigest);
        await users.SetEmailDigestAsync(digest.Id, true, Now);
        await users.SetEmailDigestAsync(inactive.Id, true, Now);

        Assert.True(await users.GetEmailDigestAsync(digest.Id));
        Assert.True((await users.FindByIdAsync(digest.Id))!.EmailDigest);
        Assert.False(await users.GetEmailDigestAsync(single.Id));
        Assert.False(await users.GetEmailDigestAsync(Guid.NewGuid()));
        Assert.Equal([digest.Id], (await users.ListDigestUsersAsync()).Select(u => u.Id));

        await users.SetEmailDigestAsync(digest.Id, false, Now);
        Assert.Empty(await users.ListDigestUsersAsync());
    }

    private async Task<UserAccount> AddUserAsync(string email, bool active = true)
    {
        var user = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            DisplayName = email,
            Role = Roles.Broker,
            RegionCode = "LV008",
            PasswordHash = "hash",
            SecurityStamp = "stamp",
            IsActive = active,
            CreatedAt = Now,
            UpdatedAt = Now,
        };
        await new UserStore(fixture.Factory).InsertAsync(user);
        return user;
    }

    private static async Task<NotificationRecord> AddNotificationAsync(NotificationStore store, Guid userId, string title, DateTimeOffset createdAt, DateTimeOffset? emailDue = null)
    {
        var n = new NotificationRecord
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Kind = "reminder",
            Title = title,
            Body = "Body",
            DeliveryKey = $"test:{Guid.NewGuid()}",
            CreatedAt = createdAt,
            EmailDueAt = emailDue,
        };
        Assert.True(await store.AddAsync(n));
        return n;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteNotificationStoreMailTests(SqliteFixture fixture) : NotificationStoreMailTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresNotificationStoreMailTests(PostgresFixture fixture) : NotificationStoreMailTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerNotificationStoreMailTests(SqlServerFixture fixture) : NotificationStoreMailTests(fixture);
