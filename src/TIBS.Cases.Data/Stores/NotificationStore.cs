using System.Data.Common;
using Dapper;
using TIBS.Cases.Core.Notifications;

namespace TIBS.Cases.Data.Stores;

/// <summary>Notifications, idempotent by their unique delivery key.</summary>
internal sealed class NotificationStore(IDbConnectionFactory db) : INotificationStore
{
    public async Task<bool> AddAsync(NotificationRecord notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        await using var c = await db.OpenAsync(cancellationToken);
        try
        {
            return await c.ExecuteAsync(new CommandDefinition(NotificationRows.InsertIfNew, NotificationRows.Parameters(notification), cancellationToken: cancellationToken)) == 1;
        }
        catch (DbException) when (!cancellationToken.IsCancellationRequested)
        {
            // Someone delivered the same notice at the same moment: the unique key kept it single.
            if (await ExistsAsync(c, notification.DeliveryKey, cancellationToken))
            {
                return false;
            }

            throw;
        }
    }

    public async Task<IReadOnlySet<string>> ExistingDeliveryKeysAsync(IReadOnlyCollection<string> deliveryKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryKeys);
        if (deliveryKeys.Count == 0)
        {
            return new HashSet<string>();
        }

        await using var c = await db.OpenAsync(cancellationToken);
        return (await c.QueryAsync<string>(new CommandDefinition(
            $"SELECT delivery_key FROM notifications WHERE {db.Dialect.InList("delivery_key", "@deliveryKeys")}", new { deliveryKeys = deliveryKeys.ToArray() }, cancellationToken: cancellationToken)))
            .ToHashSet(StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<NotificationRecord>> ListForUserAsync(Guid userId, bool unreadOnly, int take, CancellationToken cancellationToken = default)
    {
        var sql = db.Dialect.Limit(
            $"""
            SELECT n.id, n.user_id, n.case_id, n.kind, n.title, n.body, n.delivery_key, n.created_at, n.read_at, n.emailed_at, n.template, c.reference AS case_reference
            FROM notifications n
            LEFT JOIN cases c ON c.id = n.case_id
            WHERE n.user_id = @userId{(unreadOnly ? " AND n.read_at IS NULL" : "")}
            ORDER BY n.created_at DESC, n.id DESC
            """,
            "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<NotificationRecord>(new CommandDefinition(sql, new { userId, take = Math.Clamp(take, 1, 500) }, cancellationToken: cancellationToken))];
    }

    public async Task<int> UnreadCountAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM notifications WHERE user_id = @userId AND read_at IS NULL", new { userId }, cancellationToken: cancellationToken));
    }

    public async Task<bool> MarkReadAsync(Guid userId, Guid notificationId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET read_at = @now WHERE id = @notificationId AND user_id = @userId AND read_at IS NULL",
            new { userId, notificationId, now = Core.Timestamps.Normalize(now) }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<int> MarkAllReadAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET read_at = @now WHERE user_id = @userId AND read_at IS NULL",
            new { userId, now = Core.Timestamps.Normalize(now) }, cancellationToken: cancellationToken));
    }

    public async Task<NotificationRecord?> GetAsync(Guid notificationId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<NotificationRecord>(new CommandDefinition(
            $"{SelectWithCase} WHERE n.id = @notificationId", new { notificationId }, cancellationToken: cancellationToken));
    }

    public async Task<bool> ClaimEmailAsync(Guid notificationId, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        // One conditional statement: of concurrent callers exactly one sees a row changed.
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notifications SET email_claimed_until = @until
            WHERE id = @notificationId AND emailed_at IS NULL AND (email_claimed_until IS NULL OR email_claimed_until < @now)
            """,
            new { notificationId, now = Core.Timestamps.Normalize(now), until = Core.Timestamps.Normalize(until) }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task ConfirmEmailAsync(Guid notificationId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET emailed_at = @now, email_claimed_until = NULL WHERE id = @notificationId AND emailed_at IS NULL",
            new { notificationId, now = Core.Timestamps.Normalize(now) }, cancellationToken: cancellationToken));
    }

    public async Task ReleaseEmailAsync(Guid notificationId, DateTimeOffset retryAt, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notifications SET email_claimed_until = @retryAt, email_attempts = email_attempts + 1
            WHERE id = @notificationId AND emailed_at IS NULL
            """,
            new { notificationId, retryAt = Core.Timestamps.Normalize(retryAt) }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<MailDue>> ListMailDueAsync(DateTimeOffset now, int take, CancellationToken cancellationToken = default)
    {
        // Single mails once due; digest notifications only when a digest claimed them and did not confirm (the daily
        // digest itself sends the others). A running claim keeps a mail out until it runs out.
        var sql = db.Dialect.Limit(
            """
            SELECT n.id AS notification_id, n.user_id, u.email_digest AS digest
            FROM notifications n
            JOIN users u ON u.id = n.user_id
            WHERE n.emailed_at IS NULL AND u.is_active = @yes
              AND (n.email_claimed_until IS NULL OR n.email_claimed_until < @now)
              AND ((u.email_digest = @no AND n.email_due_at <= @now) OR (u.email_digest = @yes AND n.email_claimed_until IS NOT NULL))
            ORDER BY n.email_due_at, n.id
            """,
            "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<MailDueRow>(new CommandDefinition(
            sql, new { now = Core.Timestamps.Normalize(now), yes = true, no = false, take = Math.Clamp(take, 1, 1000) }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new MailDue(r.NotificationId, r.UserId, r.Digest))];
    }

    public async Task<IReadOnlyList<NotificationRecord>> ListUnmailedForUserAsync(Guid userId, int take, CancellationToken cancellationToken = default)
    {
        var sql = db.Dialect.Limit(
            $"""
            {SelectWithCase}
            WHERE n.user_id = @userId AND n.emailed_at IS NULL
            ORDER BY n.created_at DESC, n.id DESC
            """,
            "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<NotificationRecord>(new CommandDefinition(sql, new { userId, take = Math.Clamp(take, 1, 500) }, cancellationToken: cancellationToken))];
    }

    private const string SelectWithCase =
        """
        SELECT n.id, n.user_id, n.case_id, n.kind, n.title, n.body, n.delivery_key, n.created_at, n.read_at, n.emailed_at, n.email_due_at, n.email_attempts, n.template,
               c.reference AS case_reference
        FROM notifications n
        LEFT JOIN cases c ON c.id = n.case_id
        """;

    private static async Task<bool> ExistsAsync(DbConnection c, string key, CancellationToken cancellationToken) =>
        await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM notifications WHERE delivery_key = @key", new { key }, cancellationToken: cancellationToken)) > 0;

    private sealed class MailDueRow
    {
        public Guid NotificationId { get; set; }
        public Guid UserId { get; set; }
        public bool Digest { get; set; }
    }

}
