using System.Data.Common;
using Dapper;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Accounts.SingleSignOn;

namespace TIBS.Cases.Data.Stores;

/// <summary>user_external_logins (decision 0042), with the administration log line of each write in the same transaction.</summary>
internal sealed class ExternalLoginStore(IDbConnectionFactory db) : IExternalLoginStore
{
    private const string LogInsert =
        "INSERT INTO administration_log (id, occurred_at, actor_id, action, subject_user_id, details) VALUES (@Id, @OccurredAt, @ActorId, @Action, @SubjectUserId, @Details)";

    public async Task<Guid?> FindUserAsync(string issuer, string subject, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT user_id FROM user_external_logins WHERE issuer = @issuer AND subject = @subject", new { issuer, subject }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ExternalLogin>> ListForUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<ExternalLogin>(new CommandDefinition(
            "SELECT issuer AS Issuer, subject AS Subject, user_id AS UserId, linked_at AS LinkedAt FROM user_external_logins WHERE user_id = @userId ORDER BY issuer",
            new { userId }, cancellationToken: cancellationToken))];
    }

    public async Task<bool> LinkAsync(ExternalLogin login, bool consumeInvitation, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var taken = await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM user_external_logins WHERE (issuer = @Issuer AND subject = @Subject) OR (user_id = @UserId AND issuer = @Issuer)",
            login, tx, cancellationToken: cancellationToken));
        if (taken > 0)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        try
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO user_external_logins (issuer, subject, user_id, linked_at) VALUES (@Issuer, @Subject, @UserId, @LinkedAt)", login, tx, cancellationToken: cancellationToken));
        }
        catch (DbException)
        {
            // Another sign-in linked the same identity or user between the check and the insert (the unique keys decide).
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        if (consumeInvitation)
        {
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE user_links SET used_at = @now WHERE user_id = @userId AND purpose = 'invitation' AND used_at IS NULL",
                new { now = login.LinkedAt, userId = login.UserId }, tx, cancellationToken: cancellationToken));
        }

        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> UnlinkAsync(Guid userId, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var removed = await c.ExecuteAsync(new CommandDefinition("DELETE FROM user_external_logins WHERE user_id = @userId", new { userId }, tx, cancellationToken: cancellationToken));
        if (removed == 0)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public async Task LogAsync(AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, cancellationToken: cancellationToken));
    }
}
