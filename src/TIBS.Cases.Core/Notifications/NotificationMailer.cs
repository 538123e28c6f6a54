using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TIBS.Cases.Core.Accounts;

namespace TIBS.Cases.Core.Notifications;

/// <summary>
/// E-mails notifications at most once each: a notification is claimed (its <c>emailed_at</c> set where it was empty)
/// before the mail goes out and released again when sending fails, so the job that called us is retried and sends it
/// then. Users who chose the daily digest get no single mails; <see cref="SendDigestsAsync"/> sends them one mail
/// with everything not yet e-mailed. Inactive users get nothing.
/// </summary>
public sealed class NotificationMailer(INotificationStore notifications, IUserStore users, IEmailSender sender, TimeProvider time, string baseUrl)
    : INotificationMailer
{
    /// <summary>At most this many notifications are listed in one digest; the rest follow in the next one.</summary>
    public const int DigestLimit = 100;

    private readonly string baseUrl = baseUrl.TrimEnd('/');

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

        if (!await notifications.ClaimEmailAsync(notificationId, time.UtcNow(), cancellationToken))
        {
            return false;
        }

        try
        {
            await sender.SendAsync(SingleMail(user, notification), cancellationToken);
        }
        catch
        {
            // Not sent: give it back so the retry sends it. Not cancellable: the claim must not stay behind.
            await notifications.ReleaseEmailAsync(notificationId, CancellationToken.None);
            throw;
        }

        return true;
    }

    public async Task<int> SendDigestsAsync(CancellationToken cancellationToken = default)
    {
        var sent = 0;
        List<Exception>? failures = null;
        foreach (var user in await users.ListDigestUsersAsync(cancellationToken))
        {
            if (!user.IsActive || !user.EmailDigest)
            {
                continue;
            }

            var pending = await notifications.ListUnmailedForUserAsync(user.Id, DigestLimit, cancellationToken);
            var claimed = new List<NotificationRecord>();
            var now = time.UtcNow();
            foreach (var n in pending)
            {
                if (await notifications.ClaimEmailAsync(n.Id, now, cancellationToken))
                {
                    claimed.Add(n);
                }
            }

            if (claimed.Count == 0)
            {
                continue;
            }

            try
            {
                await sender.SendAsync(DigestMail(user, claimed), cancellationToken);
                sent++;
            }
            catch (Exception ex)
            {
                foreach (var n in claimed)
                {
                    await notifications.ReleaseEmailAsync(n.Id, CancellationToken.None);
                }

                if (ex is OperationCanceledException)
                {
                    throw;
                }

                // The other users still get theirs; the job fails at the end and its retry sends only what is left.
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

    /// <summary>The mail for one notification. Its message id is derived from the notification.</summary>
    public EmailMessage SingleMail(UserAccount user, NotificationRecord notification)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(notification);
        var text = new StringBuilder();
        text.Append("Hello ").Append(user.DisplayName).AppendLine(",").AppendLine();
        text.AppendLine(notification.Title);
        if (!string.IsNullOrWhiteSpace(notification.Body))
        {
            text.AppendLine().AppendLine(notification.Body.Trim());
        }

        text.AppendLine();
        if (notification.CaseId is { } caseId)
        {
            text.Append("Please open case ").Append(notification.CaseReference ?? "the case").AppendLine(" and take the next step there:");
            text.AppendLine(CaseLink(caseId));
        }
        else
        {
            text.AppendLine("You find it in your TIBS.Cases inbox:");
            text.AppendLine(baseUrl + "/notifications");
        }

        AppendFooter(text, digest: false);
        var subject = notification.CaseReference is { } reference ? $"{notification.Title} ({reference})" : notification.Title;
        return new EmailMessage(user.Email, user.DisplayName, subject, text.ToString(), $"notification-{notification.Id:N}@tibs.cases");
    }

    /// <summary>One digest: the notifications newest first. Its message id is derived from the user and the notifications it lists.</summary>
    public EmailMessage DigestMail(UserAccount user, IReadOnlyList<NotificationRecord> items)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(items);
        var ordered = items.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).ToList();
        var text = new StringBuilder();
        text.Append("Hello ").Append(user.DisplayName).AppendLine(",").AppendLine();
        text.AppendLine(ordered.Count == 1
            ? "Here is your daily summary: 1 new notification in TIBS.Cases."
            : string.Create(CultureInfo.InvariantCulture, $"Here is your daily summary: {ordered.Count} new notifications in TIBS.Cases, newest first."));
        text.AppendLine("Please open each case and take the next step there.");
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
            text.Append("   ").AppendLine(n.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
            if (!string.IsNullOrWhiteSpace(n.Body))
            {
                text.Append("   ").AppendLine(n.Body.Trim().ReplaceLineEndings(Environment.NewLine + "   "));
            }

            text.Append("   ").AppendLine(n.CaseId is { } caseId ? CaseLink(caseId) : baseUrl + "/notifications");
        }

        AppendFooter(text, digest: true);
        var subject = ordered.Count == 1 ? "Your TIBS.Cases summary: 1 notification" : string.Create(CultureInfo.InvariantCulture, $"Your TIBS.Cases summary: {ordered.Count} notifications");
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', ordered.Select(n => n.Id.ToString("N")).Order(StringComparer.Ordinal)))))[..16];
        return new EmailMessage(user.Email, user.DisplayName, subject, text.ToString(), $"digest-{user.Id:N}-{fingerprint}@tibs.cases");
    }

    private string CaseLink(Guid caseId) => $"{baseUrl}/cases/{caseId}";

    private void AppendFooter(StringBuilder text, bool digest)
    {
        text.AppendLine();
        text.AppendLine("All your notifications are in your inbox: " + baseUrl + "/notifications");
        text.AppendLine(digest
            ? "To get a mail for each notification instead of this daily summary, change your preferences: " + baseUrl + "/account/preferences"
            : "To get one daily summary instead of single mails, change your preferences: " + baseUrl + "/account/preferences");
        text.AppendLine();
        text.AppendLine("Kind regards,");
        text.AppendLine("TIBS.Cases");
    }
}
