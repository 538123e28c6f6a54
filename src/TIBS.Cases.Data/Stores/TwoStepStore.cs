using System.Data.Common;
using Dapper;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Accounts.TwoStep;

namespace TIBS.Cases.Data.Stores;

internal sealed class TwoStepStore(IDbConnectionFactory db) : ITwoStepStore
{
    private const string LogInsert =
        "INSERT INTO administration_log (id, occurred_at, actor_id, action, subject_user_id, details) VALUES (@Id, @OccurredAt, @ActorId, @Action, @SubjectUserId, @Details)";

    public async Task<TwoStepRecord?> FindAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT t.user_id AS UserId, t.protected_secret AS ProtectedSecret, t.created_at AS CreatedAt, t.enabled_at AS EnabledAt,
                   t.last_used_step AS LastUsedStep,
                   (SELECT COUNT(*) FROM user_recovery_codes r WHERE r.user_id = t.user_id AND r.used_at IS NULL) AS RecoveryCodesLeft
            FROM user_two_step t WHERE t.user_id = @userId
            """, new { userId }, cancellationToken: cancellationToken));
        return row is null ? null : new TwoStepRecord
        {
            UserId = row.UserId,
            ProtectedSecret = row.ProtectedSecret,
            CreatedAt = row.CreatedAt,
            EnabledAt = row.EnabledAt,
            LastUsedStep = row.LastUsedStep,
            RecoveryCodesLeft = (int)row.RecoveryCodesLeft,
        };
    }

    public async Task<bool> SavePendingAsync(Guid userId, string protectedSecret, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var enabled = await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM user_two_step WHERE user_id = @userId AND enabled_at IS NOT NULL", new { userId }, tx, cancellationToken: cancellationToken));
        if (enabled > 0)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        await c.ExecuteAsync(new CommandDefinition("DELETE FROM user_two_step WHERE user_id = @userId", new { userId }, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO user_two_step (user_id, protected_secret, created_at, enabled_at, last_used_step) VALUES (@userId, @protectedSecret, @now, NULL, NULL)",
            new { userId, protectedSecret, now }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> EnableAsync(Guid userId, string protectedSecret, long usedStep, IReadOnlyList<string> recoveryCodeHashes, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var enabled = await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE user_two_step SET enabled_at = @now, last_used_step = @usedStep
            WHERE user_id = @userId AND enabled_at IS NULL AND protected_secret = @protectedSecret
            """, new { userId, protectedSecret, usedStep, now = entry.OccurredAt }, tx, cancellationToken: cancellationToken));
        if (enabled != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        await InsertCodesAsync(c, tx, userId, recoveryCodeHashes, entry.OccurredAt, cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public async Task RemoveAsync(Guid userId, string? newSecurityStamp, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM user_recovery_codes WHERE user_id = @userId", new { userId }, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM user_two_step WHERE user_id = @userId", new { userId }, tx, cancellationToken: cancellationToken));
        if (newSecurityStamp is not null)
        {
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET security_stamp = @newSecurityStamp, updated_at = @now WHERE id = @userId",
                new { userId, newSecurityStamp, now = entry.OccurredAt }, tx, cancellationToken: cancellationToken));
        }

        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task ReplaceRecoveryCodesAsync(Guid userId, IReadOnlyList<string> recoveryCodeHashes, DateTimeOffset now, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        await InsertCodesAsync(c, tx, userId, recoveryCodeHashes, now, cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<bool> TryUseStepAsync(Guid userId, long step, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE user_two_step SET last_used_step = @step
            WHERE user_id = @userId AND enabled_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < @step)
            """, new { userId, step }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<bool> TryUseRecoveryCodeAsync(Guid userId, string codeHash, DateTimeOffset now, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var used = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE user_recovery_codes SET used_at = @now WHERE user_id = @userId AND code_hash = @codeHash AND used_at IS NULL",
            new { userId, codeHash, now }, tx, cancellationToken: cancellationToken));
        if (used != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Replaces the user's recovery codes: the old ones stop working.</summary>
    private static async Task InsertCodesAsync(DbConnection c, DbTransaction tx, Guid userId, IReadOnlyList<string> hashes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM user_recovery_codes WHERE user_id = @userId", new { userId }, tx, cancellationToken: cancellationToken));
        foreach (var codeHash in hashes)
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO user_recovery_codes (user_id, code_hash, created_at, used_at) VALUES (@userId, @codeHash, @now, NULL)",
                new { userId, codeHash, now }, tx, cancellationToken: cancellationToken));
        }
    }

    private sealed class Row
    {
        public Guid UserId { get; init; }
        public string ProtectedSecret { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? EnabledAt { get; init; }
        public long? LastUsedStep { get; init; }
        public long RecoveryCodesLeft { get; init; }
    }
}
