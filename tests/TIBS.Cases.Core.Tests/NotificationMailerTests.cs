using System.Collections.Concurrent;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Notifications;

namespace TIBS.Cases.Core.Tests;

public sealed class NotificationMailerTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 7, 0, 0, TimeSpan.Zero);
    private readonly FakeNotifications notifications = new();
    private readonly FakeUsers users = new();
    private readonly RecordingSender sender = new();

    private NotificationMailer Mailer(DateTimeOffset? at = null) => new(notifications, users, sender, new FixedTime(at ?? Now), "https://tibs.example/");

    [Fact]
    public async Task A_single_mail_is_sent_once_even_when_asked_twice()
    {
        var user = users.Add("liga@example.org", digest: false);
        var caseId = Guid.NewGuid();
        var n = notifications.Add(user.Id, "Step overdue: Needs assessment", Now.AddHours(-1), caseId, "LV008-2026-0001");

        Assert.True(await Mailer().SendAsync(n.Id));
        Assert.False(await Mailer().SendAsync(n.Id));

        var mail = Assert.Single(sender.Sent);
        Assert.Equal("liga@example.org", mail.To);
        Assert.Equal("Līga", mail.ToName);
        Assert.Contains("LV008-2026-0001", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Step overdue: Needs assessment", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"https://tibs.example/cases/{caseId}", mail.TextBody, StringComparison.Ordinal);
        Assert.StartsWith("Hello Līga,", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal($"notification-{n.Id:N}@tibs.example", mail.MessageId);
        Assert.Equal(Now, notifications.EmailedAt(n.Id));
    }

    [Fact]
    public async Task Concurrent_sends_of_one_notification_mail_it_once()
    {
        var user = users.Add("a@example.org", digest: false);
        var n = notifications.Add(user.Id, "Hello", Now, null, null);
        var mailer = Mailer();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => mailer.SendAsync(n.Id))));

        Assert.Equal(1, results.Count(r => r));
        Assert.Single(sender.Sent);
    }

    [Fact]
    public async Task A_failing_sender_leaves_the_notification_unmailed_so_the_retry_sends_it()
    {
        var user = users.Add("a@example.org", digest: false);
        var n = notifications.Add(user.Id, "Escalation", Now, Guid.NewGuid(), "DE60-2026-0002");
        sender.FailNext = 1;

        await Assert.ThrowsAsync<IOException>(() => Mailer().SendAsync(n.Id));
        Assert.Null(notifications.EmailedAt(n.Id));
        Assert.Empty(sender.Sent);
        Assert.Equal(Now + Mailer().Lease, notifications.ClaimedUntil(n.Id)); // waits one lease before the next try
        Assert.False(await Mailer().SendAsync(n.Id));

        Assert.True(await Mailer(Now + Mailer().Lease + TimeSpan.FromSeconds(1)).SendAsync(n.Id));
        Assert.Single(sender.Sent);
        Assert.NotNull(notifications.EmailedAt(n.Id));
    }

    [Fact]
    public async Task A_crash_after_sending_and_before_marking_sends_the_mail_again_with_the_same_message_id_once_the_lease_runs_out()
    {
        var user = users.Add("a@example.org", digest: false);
        var n = notifications.Add(user.Id, "Escalation", Now, Guid.NewGuid(), "DE60-2026-0002");
        var crashing = Mailer();
        crashing.Checkpoint = (step, _) => step == DeliveryStep.MailSent ? throw new InvalidOperationException("process killed") : Task.CompletedTask;

        await Assert.ThrowsAsync<InvalidOperationException>(() => crashing.SendAsync(n.Id));
        Assert.Single(sender.Sent); // the server has it, the database does not know
        Assert.Null(notifications.EmailedAt(n.Id));
        Assert.False(await Mailer(Now + crashing.Lease).SendAsync(n.Id)); // the dead sender's claim still runs

        var later = Now + crashing.Lease + TimeSpan.FromSeconds(1);
        Assert.True(await Mailer(later).SendAsync(n.Id));
        Assert.Equal(2, sender.Sent.Count);
        Assert.Single(sender.Sent.Select(m => m.MessageId).Distinct());
        Assert.Equal(later, notifications.EmailedAt(n.Id));
        Assert.False(await Mailer(later.AddHours(1)).SendAsync(n.Id));
    }

    [Fact]
    public void A_failing_mail_waits_one_lease_then_twice_as_long_after_each_failure_and_at_most_an_hour()
    {
        var mailer = new NotificationMailer(notifications, users, sender, new FixedTime(Now), "https://tibs.example/") { Lease = TimeSpan.FromSeconds(30) };

        Assert.Equal(TimeSpan.FromSeconds(30), mailer.RetryDelay(0));
        Assert.Equal(TimeSpan.FromSeconds(60), mailer.RetryDelay(1));
        Assert.Equal(TimeSpan.FromMinutes(16), mailer.RetryDelay(5));
        Assert.Equal(TimeSpan.FromHours(1), mailer.RetryDelay(12));
        Assert.Equal(TimeSpan.FromHours(1), mailer.RetryDelay(int.MaxValue));
    }

    [Fact]
    public async Task Digest_users_get_no_single_mails_but_one_digest_with_all_their_pending_notifications_newest_first()
    {
        var digest = users.Add("digest@example.org", digest: true);
        var single = users.Add("single@example.org", digest: false);
        var caseA = Guid.NewGuid();
        var older = notifications.Add(digest.Id, "Reminder: Intake", Now.AddHours(-5), caseA, "LV008-2026-0001");
        var newer = notifications.Add(digest.Id, "Escalation: Intake", Now.AddHours(-1), caseA, "LV008-2026-0001");
        var other = notifications.Add(digest.Id, "Check-in due", Now.AddHours(-3), Guid.NewGuid(), "LV008-2026-0009");
        var alreadyMailed = notifications.Add(digest.Id, "Old news", Now.AddDays(-3), null, null);
        notifications.SetEmailed(alreadyMailed.Id, Now.AddDays(-2));
        var forSingle = notifications.Add(single.Id, "Partner contacted", Now, null, null);

        Assert.False(await Mailer().SendAsync(older.Id));
        Assert.Empty(sender.Sent);
        Assert.Null(notifications.EmailedAt(older.Id));

        Assert.Equal(1, await Mailer().SendDigestsAsync());
        var mail = Assert.Single(sender.Sent);
        Assert.Equal("digest@example.org", mail.To);
        Assert.Contains("3 notifications", mail.Subject, StringComparison.Ordinal);
        var body = mail.TextBody;
        Assert.True(body.IndexOf("Escalation: Intake", StringComparison.Ordinal) < body.IndexOf("Check-in due", StringComparison.Ordinal));
        Assert.True(body.IndexOf("Check-in due", StringComparison.Ordinal) < body.IndexOf("Reminder: Intake", StringComparison.Ordinal));
        Assert.Contains("LV008-2026-0009", body, StringComparison.Ordinal);
        Assert.Contains($"https://tibs.example/cases/{caseA}", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Old news", body, StringComparison.Ordinal);
        Assert.All([older, newer, other], n => Assert.Equal(Now, notifications.EmailedAt(n.Id)));
        Assert.Null(notifications.EmailedAt(forSingle.Id));

        Assert.Equal(0, await Mailer().SendDigestsAsync());
        Assert.Single(sender.Sent);
    }

    [Fact]
    public async Task A_failed_digest_is_released_and_sent_by_the_retry()
    {
        var digest = users.Add("digest@example.org", digest: true);
        var n = notifications.Add(digest.Id, "Reminder", Now, null, null);
        sender.FailNext = 1;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Mailer().SendDigestsAsync());
        Assert.Null(notifications.EmailedAt(n.Id));
        Assert.Equal(0, await Mailer().SendDigestsAsync()); // waits for its back-off

        Assert.Equal(1, await Mailer(Now.AddMinutes(1)).SendDigestsAsync());
        Assert.Single(sender.Sent);
    }

    [Fact]
    public async Task Inactive_users_and_unknown_notifications_get_no_mail()
    {
        var gone = users.Add("gone@example.org", digest: false, active: false);
        var goneDigest = users.Add("gone-digest@example.org", digest: true, active: false);
        var n = notifications.Add(gone.Id, "Reminder", Now, null, null);
        notifications.Add(goneDigest.Id, "Reminder", Now, null, null);

        Assert.False(await Mailer().SendAsync(n.Id));
        Assert.False(await Mailer().SendAsync(Guid.NewGuid()));
        Assert.Equal(0, await Mailer().SendDigestsAsync());
        Assert.Empty(sender.Sent);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class RecordingSender : IEmailSender
    {
        public ConcurrentQueue<EmailMessage> Sent { get; } = new();

        public int FailNext { get; set; }

        public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            if (FailNext > 0)
            {
                FailNext--;
                throw new IOException("SMTP server not reachable");
            }

            Sent.Enqueue(message);
        }
    }

    private sealed class FakeUsers : IUserStore
    {
        private readonly List<UserAccount> all = [];

        public UserAccount Add(string email, bool digest, bool active = true)
        {
            var user = new UserAccount
            {
                Id = Guid.NewGuid(),
                Email = email,
                DisplayName = "Līga",
                Role = Roles.Broker,
                RegionCode = "LV008",
                PasswordHash = "x",
                SecurityStamp = "s",
                EmailDigest = digest,
                IsActive = active,
            };
            all.Add(user);
            return user;
        }

        public Task<UserAccount?> FindByIdAsync(Guid id, CancellationToken cancellationToken = default) => Task.FromResult(all.SingleOrDefault(u => u.Id == id));

        public Task<IReadOnlyList<UserAccount>> ListDigestUsersAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([.. all.Where(u => u.EmailDigest && u.IsActive)]);

        public Task<bool> GetEmailDigestAsync(Guid id, CancellationToken cancellationToken = default) => Task.FromResult(all.Single(u => u.Id == id).EmailDigest);

        public Task SetEmailDigestAsync(Guid id, bool digest, DateTimeOffset now, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task SetLanguageAndTimeZoneAsync(Guid id, string? language, string? timeZone, DateTimeOffset now, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<int> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult(all.Count);

        public Task<IReadOnlyList<UserAccount>> GetManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<UserAccount>> ListInRoleAsync(string role, IReadOnlyCollection<string>? regionCodes = null, bool activeOnly = true, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task InsertAsync(UserAccount user, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task RecordFailedSignInAsync(Guid id, int lockAfter, DateTimeOffset lockoutEnd, DateTimeOffset now, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task RecordSuccessfulSignInAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    /// <summary>In memory, with the same conditional claim the database does in one statement.</summary>
    private sealed class FakeNotifications : INotificationStore
    {
        private readonly Lock gate = new();
        private readonly Dictionary<Guid, NotificationRecord> rows = [];
        private readonly Dictionary<Guid, DateTimeOffset> claims = [];

        public NotificationRecord Add(Guid userId, string title, DateTimeOffset createdAt, Guid? caseId, string? reference)
        {
            var n = new NotificationRecord
            {
                Id = Guid.NewGuid(),
                UserId = userId,
                CaseId = caseId,
                CaseReference = reference,
                Kind = "reminder",
                Title = title,
                Body = $"{title} — please have a look.",
                DeliveryKey = Guid.NewGuid().ToString(),
                CreatedAt = createdAt,
            };
            lock (gate)
            {
                rows[n.Id] = n;
            }

            return n;
        }

        public DateTimeOffset? EmailedAt(Guid id)
        {
            lock (gate)
            {
                return rows[id].EmailedAt;
            }
        }

        public void SetEmailed(Guid id, DateTimeOffset? at)
        {
            lock (gate)
            {
                rows[id] = rows[id] with { EmailedAt = at };
            }
        }

        public Task<NotificationRecord?> GetAsync(Guid notificationId, CancellationToken cancellationToken = default)
        {
            lock (gate)
            {
                return Task.FromResult(rows.GetValueOrDefault(notificationId));
            }
        }

        public Task<bool> ClaimEmailAsync(Guid notificationId, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default)
        {
            lock (gate)
            {
                if (!rows.TryGetValue(notificationId, out var n) || n.EmailedAt is not null || (claims.TryGetValue(notificationId, out var held) && held >= now))
                {
                    return Task.FromResult(false);
                }

                claims[notificationId] = until;
                return Task.FromResult(true);
            }
        }

        public Task ConfirmEmailAsync(Guid notificationId, DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            lock (gate)
            {
                claims.Remove(notificationId);
                if (rows[notificationId].EmailedAt is null)
                {
                    rows[notificationId] = rows[notificationId] with { EmailedAt = now };
                }
            }

            return Task.CompletedTask;
        }

        public Task ReleaseEmailAsync(Guid notificationId, DateTimeOffset retryAt, CancellationToken cancellationToken = default)
        {
            lock (gate)
            {
                claims[notificationId] = retryAt;
                rows[notificationId] = rows[notificationId] with { EmailAttempts = rows[notificationId].EmailAttempts + 1 };
            }

            return Task.CompletedTask;
        }

        public DateTimeOffset? ClaimedUntil(Guid id)
        {
            lock (gate)
            {
                return claims.TryGetValue(id, out var until) ? until : null;
            }
        }

        public Task<IReadOnlyList<MailDue>> ListMailDueAsync(DateTimeOffset now, int take, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The store's query is tested against the databases.");

        public Task<IReadOnlyList<NotificationRecord>> ListUnmailedForUserAsync(Guid userId, int take, CancellationToken cancellationToken = default)
        {
            lock (gate)
            {
                return Task.FromResult<IReadOnlyList<NotificationRecord>>(
                    [.. rows.Values.Where(n => n.UserId == userId && n.EmailedAt is null).OrderByDescending(n => n.CreatedAt).Take(take)]);
            }
        }

        public Task<bool> AddAsync(NotificationRecord notification, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlySet<string>> ExistingDeliveryKeysAsync(IReadOnlyCollection<string> deliveryKeys, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<NotificationRecord>> ListForUserAsync(Guid userId, bool unreadOnly, int take, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<int> UnreadCountAsync(Guid userId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> MarkReadAsync(Guid userId, Guid notificationId, DateTimeOffset now, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<int> MarkAllReadAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
