using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;

namespace TIBS.Cases.Core.Reminders;

/// <summary>Reminder rows as the dispatcher sees them. The rows written with each step are the truth.</summary>
public interface IReminderStore
{
    /// <summary>
    /// Claims up to <paramref name="batchSize"/> due rows (pending, or claimed by a worker whose claim expired) for
    /// <paramref name="claimFor"/>; rows another worker is claiming right now are skipped.
    /// </summary>
    Task<IReadOnlyList<Guid>> ClaimDueAsync(DateTimeOffset now, int batchSize, string workerId, TimeSpan claimFor, CancellationToken cancellationToken = default);

    /// <summary>Claims like <see cref="ClaimDueAsync"/> and returns the claimed rows themselves, oldest due first (one transaction).</summary>
    Task<IReadOnlyList<ReminderRecord>> ClaimDueRowsAsync(DateTimeOffset now, int batchSize, string workerId, TimeSpan claimFor, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: adds the <paramref name="notifications"/> whose delivery key is new (set-based, a known key
    /// is left out) and marks the <paramref name="sent"/> rows sent (those still pending or claimed). Returns the
    /// delivery keys it added. Nothing is written when it fails.
    /// </summary>
    Task<IReadOnlySet<string>> DeliverAsync(IReadOnlyList<NotificationRecord> notifications, IReadOnlyCollection<Guid> sent, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<ReminderRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Marks a row sent (once): false when it was already sent or cancelled.</summary>
    Task<bool> MarkSentAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task SetStatusAsync(Guid id, string status, string? note, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends the claim on those of <paramref name="ids"/> that <paramref name="workerId"/> still holds (a worker that
    /// is still busy keeps its rows); returns the ids it still holds.
    /// </summary>
    Task<IReadOnlyList<Guid>> RenewClaimAsync(IReadOnlyList<Guid> ids, string workerId, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Counts a failed attempt; the row stays claimed until its claim runs out, then a later dispatch retries it.</summary>
    Task RecordFailureAsync(Guid id, string error, CancellationToken cancellationToken = default);

    /// <summary>
    /// When the oldest reminder that is due at <paramref name="now"/> and not yet delivered (pending, or claimed) fell
    /// due; null when none waits. The dispatch lag of the metrics and of the readiness check.
    /// </summary>
    Task<DateTimeOffset?> OldestDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult<DateTimeOffset?>(null);
}
