using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Notifications;

/// <summary>
/// E-mails notifications at least once each. A notification's mail is claimed for a short lease, sent, and marked
/// e-mailed only after the mail server accepted it; a failed send keeps it waiting (longer after each failure), and a
/// claim left behind by a crashed process runs out, so the sweep (<see cref="SendDueAsync"/>, run by every dispatcher
/// run) sends it again. The message id is derived from the notification, so mail clients drop the rare duplicate.
/// Users who chose the daily digest get no single mails; <see cref="SendDigestsAsync"/> sends them one mail with
/// everything not yet e-mailed. Inactive users get nothing.
/// </summary>
public sealed class NotificationMailer(INotificationStore notifications, IUserStore users, IEmailSender sender, TimeProvider time, string baseUrl)
    : INotificationMailer
{
    /// <summary>At most this many notifications are listed in one digest; the rest follow in the next one.</summary>
    public const int DigestLimit = 100;

    /// <summary>The sweep reads due mail in pages of this size.</summary>
    public const int SweepPage = 200;

    /// <summary>The longest wait between two tries of a failing mail.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    private readonly string baseUrl = baseUrl.TrimEnd('/');

    /// <summary>How long a claim on a mail lasts: a crashed sender's mail is sent again after it.</summary>
    public TimeSpan Lease { get; init; } = DeliveryLease.Default;

    /// <summary>The right-hand side of every message id (the host of the sender address).</summary>
    public string MessageIdDomain { get; init; } = "tibs.example";

    /// <summary>Where the mails sent and failed are counted (none: not counted).</summary>
    public Observability.TibsMetrics? Metrics { get; init; }

    /// <summary>Called between the steps of sending (tests interrupt the work there).</summary>
    public DeliveryCheckpoint? Checkpoint { get; set; }

    public async Task<bool> SendAsync(Guid notificationId, CancellationToken cancellationToken = default)
    {
        var notification = await notifications.GetAsync(notificationId, cancellationToken);
        if (notification is null || notification.EmailedAt is not null)
        {
            return false;
        }

        var user = await users.FindByIdAsync(notification.UserId, cancellationToken);
        if (user is null || !user.IsActive || user.EmailDigest)
        {
            return false;
        }

        var now = time.UtcNow();
        if (!await notifications.ClaimEmailAsync(notificationId, now, now + Lease, cancellationToken))
        {
            return false;
        }

        await ReachedAsync(DeliveryStep.MailClaimed, notificationId);
        await SendOrReleaseAsync(SingleMail(user, notification), [notification], "single", cancellationToken);
        await ReachedAsync(DeliveryStep.MailSent, notificationId);
        await notifications.ConfirmEmailAsync(notificationId, time.UtcNow(), CancellationToken.None);
        await ReachedAsync(DeliveryStep.MailConfirmed, notificationId);
        return true;
    }

    public async Task<int> SendDigestsAsync(CancellationToken cancellationToken = default)
    {
        var sent = 0;
        List<Exception>? failures = null;
        foreach (var user in await users.ListDigestUsersAsync(cancellationToken))
        {
            try
            {
                sent += await SendDigestAsync(user, cancellationToken) ? 1 : 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The other users still get theirs; the job fails at the end and the sweep sends what is left.
                (failures ??= []).Add(ex);
            }
        }

        return failures switch
        {
            null => sent,
            [var one] => throw new InvalidOperationException($"The digest of one user could not be sent: {one.Message}", one),
            _ => throw new AggregateException($"The digests of {failures.Count} users could not be sent.", failures),
        };
    }

    public async Task<MailSweep> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var sent = 0;
        var failed = 0;
        var seen = new HashSet<Guid>();
        var digestUsers = new HashSet<Guid>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = await notifications.ListMailDueAsync(time.UtcNow(), SweepPage, cancellationToken);
            var fresh = due.Where(d => seen.Add(d.NotificationId)).ToList();
            foreach (var item in fresh)
            {
                try
                {
                    if (!item.Digest)
                    {
                        sent += await SendAsync(item.NotificationId, cancellationToken) ? 1 : 0;
                    }
                    else if (digestUsers.Add(item.UserId) && await users.FindByIdAsync(item.UserId, cancellationToken) is { IsActive: true, EmailDigest: true } user)
                    {
                        sent += await SendDigestAsync(user, cancellationToken) ? 1 : 0;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Released for a later try (or, after a crash, left to its lease); the others still go out.
                    failed++;
                }
            }

            if (fresh.Count == 0 || due.Count < SweepPage)
            {
                break;
            }
        }

        return new MailSweep(sent, failed);
    }

    /// <summary>One digest for one user: claims their waiting notifications, sends, then marks them e-mailed.</summary>
    private async Task<bool> SendDigestAsync(UserAccount user, CancellationToken cancellationToken)
    {
        if (!user.IsActive || !user.EmailDigest)
        {
            return false;
        }

        var pending = await notifications.ListUnmailedForUserAsync(user.Id, DigestLimit, cancellationToken);
        var claimed = new List<NotificationRecord>();
        var now = time.UtcNow();
        foreach (var n in pending)
        {
            if (await notifications.ClaimEmailAsync(n.Id, now, now + Lease, cancellationToken))
            {
                claimed.Add(n);
            }
        }

        if (claimed.Count == 0)
        {
            return false;
        }

        await ReachedAsync(DeliveryStep.MailClaimed, user.Id);
        await SendOrReleaseAsync(DigestMail(user, claimed), claimed, "digest", cancellationToken);
        await ReachedAsync(DeliveryStep.MailSent, user.Id);
        var confirmedAt = time.UtcNow();
        foreach (var n in claimed)
        {
            await notifications.ConfirmEmailAsync(n.Id, confirmedAt, CancellationToken.None);
        }

        await ReachedAsync(DeliveryStep.MailConfirmed, user.Id);
        return true;
    }

    /// <summary>Sends; when the sender fails, the notifications wait for a later try (longer after each failure).</summary>
    private async Task SendOrReleaseAsync(EmailMessage mail, IReadOnlyList<NotificationRecord> about, string kind, CancellationToken cancellationToken)
    {
        try
        {
            await sender.SendAsync(mail, cancellationToken);
            Metrics?.MailSent(kind);
        }
        catch (Exception ex)
        {
            if (ex is not OperationCanceledException)
            {
                Metrics?.MailFailed(kind);
            }

            // Not cancellable: the claim must not stay behind longer than the back-off.
            var now = time.UtcNow();
            foreach (var n in about)
            {
                await notifications.ReleaseEmailAsync(n.Id, ex is OperationCanceledException ? now : now + RetryDelay(n.EmailAttempts), CancellationToken.None);
            }

            throw;
        }
    }

    /// <summary>The lease after the first failure, doubling with each further one, at most <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay(int failuresBefore)
    {
        var factor = Math.Pow(2, Math.Clamp(failuresBefore, 0, 20));
        return TimeSpan.FromTicks((long)Math.Min(Lease.Ticks * factor, MaxRetryDelay.Ticks));
    }

    private Task ReachedAsync(DeliveryStep step, Guid id) => Checkpoint?.Invoke(step, id) ?? Task.CompletedTask;

    /// <summary>
    /// The language a user's e-mails are written in: their choice; English when they chose "the browser's" (no browser
    /// asks when a mail is written, and English is the programme's common language; decision 0048).
    /// </summary>
    public static string MailLanguage(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Languages.IsKnown(user.Language) ? user.Language! : Languages.Default;
    }

    /// <summary>
    /// The mail for one notification, in its recipient's language and time zone. Its message id is derived from the
    /// notification.
    /// </summary>
    public EmailMessage SingleMail(UserAccount user, NotificationRecord notification)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(notification);
        using var language = CultureScope.Of(MailLanguage(user));
        var zone = TimeZones.Resolve(user.TimeZone, user.RegionCode);
        var shown = NotificationTemplate.Render(notification, zone);
        var text = new StringBuilder();
        text.AppendLine(Localized.Format("Hello {0},", user.DisplayName)).AppendLine();
        text.AppendLine(shown.Title);
        text.AppendLine(When(shown.CreatedAt, zone));
        if (!string.IsNullOrWhiteSpace(shown.Body))
        {
            text.AppendLine().AppendLine(shown.Body.Trim());
        }

        text.AppendLine();
        if (shown.CaseId is { } caseId)
        {
            text.AppendLine(shown.CaseReference is { } reference
                ? Localized.Format("Please open case {0} and take the next step there:", reference)
                : Localized.Text("Please open the case and take the next step there:"));
            text.AppendLine(CaseLink(caseId));
        }
        else
        {
            text.AppendLine(Localized.Text("You find it in your TIBS.Cases inbox:"));
            text.AppendLine(baseUrl + "/notifications");
        }

        AppendFooter(text, digest: false);
        var subject = shown.CaseReference is { } r ? Localized.Format("{0} ({1})", shown.Title, r) : shown.Title;
        return new EmailMessage(user.Email, user.DisplayName, subject, text.ToString(), $"notification-{notification.Id:N}@{MessageIdDomain}");
    }

    /// <summary>
    /// One digest, in its recipient's language and time zone: the notifications newest first. Its message id is
    /// derived from the user and the notifications it lists.
    /// </summary>
    public EmailMessage DigestMail(UserAccount user, IReadOnlyList<NotificationRecord> items)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(items);
        using var language = CultureScope.Of(MailLanguage(user));
        var zone = TimeZones.Resolve(user.TimeZone, user.RegionCode);
        var ordered = items.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Select(n => NotificationTemplate.Render(n, zone)).ToList();
        var text = new StringBuilder();
        text.AppendLine(Localized.Format("Hello {0},", user.DisplayName)).AppendLine();
        text.AppendLine(ordered.Count == 1
            ? Localized.Text("Here is your daily summary: 1 new notification in TIBS.Cases.")
            : Localized.Format("Here is your daily summary: {0} new notifications in TIBS.Cases, newest first.", ordered.Count));
        text.AppendLine(Localized.Text("Please open each case and take the next step there."));
        var i = 0;
        foreach (var n in ordered)
        {
            i++;
            text.AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"{i}. ");
            if (n.CaseReference is { } reference)
            {
                text.Append(reference).Append(" – ");
            }

            text.AppendLine(n.Title);
            text.Append("   ").AppendLine(When(n.CreatedAt, zone));
            if (!string.IsNullOrWhiteSpace(n.Body))
            {
                text.Append("   ").AppendLine(n.Body.Trim().ReplaceLineEndings(Environment.NewLine + "   "));
            }

            text.Append("   ").AppendLine(n.CaseId is { } caseId ? CaseLink(caseId) : baseUrl + "/notifications");
        }

        AppendFooter(text, digest: true);
        var subject = ordered.Count == 1 ? Localized.Text("Your TIBS.Cases summary: 1 notification") : Localized.Format("Your TIBS.Cases summary: {0} notifications", ordered.Count);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', ordered.Select(n => n.Id.ToString("N")).Order(StringComparer.Ordinal)))))[..16];
        return new EmailMessage(user.Email, user.DisplayName, subject, text.ToString(), $"digest-{user.Id:N}-{fingerprint}@{MessageIdDomain}");
    }

    /// <summary>A time in the recipient's zone and language, the zone named ("2026-05-04 10:00 (Europe/Riga)").</summary>
    private static string When(DateTimeOffset at, TimeZoneInfo zone) => Display.MessageDates.TimeWithZone(at, zone);

    private string CaseLink(Guid caseId) => $"{baseUrl}/cases/{caseId}";

    private void AppendFooter(StringBuilder text, bool digest)
    {
        text.AppendLine();
        text.AppendLine(Localized.Format("All your notifications are in your inbox: {0}", baseUrl + "/notifications"));
        text.AppendLine(digest
            ? Localized.Format("To get a mail for each notification instead of this daily summary, change your preferences: {0}", baseUrl + "/account/preferences")
            : Localized.Format("To get one daily summary instead of single mails, change your preferences: {0}", baseUrl + "/account/preferences"));
        text.AppendLine();
        text.AppendLine(Localized.Text("Kind regards,"));
        text.AppendLine("TIBS.Cases");
    }
}
