using System.Data.Common;
using Dapper;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Definitions;

namespace TIBS.Cases.Data.Stores;

/// <summary>Translations of published versions (<c>workflow_translations</c>); a coordinator's write appends its administration log line in the same transaction.</summary>
internal sealed class DefinitionTranslationStore(IDbConnectionFactory db) : IDefinitionTranslationStore
{
    private const string Columns = "version_id, language, content, updated_at, updated_by, row_version";

    private const string LogInsert =
        "INSERT INTO administration_log (id, occurred_at, actor_id, action, subject_user_id, details) VALUES (@Id, @OccurredAt, @ActorId, @Action, @SubjectUserId, @Details)";

    public async Task<IReadOnlyList<DefinitionTranslationRecord>> ListAsync(Guid versionId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<DefinitionTranslationRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM workflow_translations WHERE version_id = @versionId ORDER BY language", new { versionId }, cancellationToken: cancellationToken))];
    }

    public async Task<DefinitionTranslationRecord?> GetAsync(Guid versionId, string language, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<DefinitionTranslationRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM workflow_translations WHERE version_id = @versionId AND language = @language", new { versionId, language }, cancellationToken: cancellationToken));
    }

    public async Task<DefinitionTranslationRecord> SaveAsync(
        Guid versionId, string language, string content, Guid? userId, int? expectedRowVersion, DateTimeOffset now, AdministrationLogEntry? entry, CancellationToken cancellationToken = default)
    {
        const string Conflict = "Someone else saved this translation since you opened the page; nothing was saved. Look at their version and upload yours again.";
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        if (expectedRowVersion is null)
        {
            var exists = await c.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COUNT(*) FROM workflow_translations WHERE version_id = @versionId AND language = @language", new { versionId, language }, tx, cancellationToken: cancellationToken));
            if (exists > 0)
            {
                throw new ConcurrencyConflictException(Conflict);
            }

            try
            {
                await c.ExecuteAsync(new CommandDefinition(
                    $"INSERT INTO workflow_translations ({Columns}) VALUES (@versionId, @language, @content, @now, @userId, 1)",
                    new { versionId, language, content, now, userId }, tx, cancellationToken: cancellationToken));
            }
            catch (DbException ex)
            {
                throw new ConcurrencyConflictException(Conflict, ex);
            }
        }
        else
        {
            var rows = await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE workflow_translations SET content = @content, updated_at = @now, updated_by = @userId, row_version = row_version + 1
                WHERE version_id = @versionId AND language = @language AND row_version = @expectedRowVersion
                """, new { versionId, language, content, now, userId, expectedRowVersion }, tx, cancellationToken: cancellationToken));
            if (rows != 1)
            {
                throw new ConcurrencyConflictException(Conflict);
            }
        }

        if (entry is not null)
        {
            await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
        return new DefinitionTranslationRecord
        {
            VersionId = versionId,
            Language = language,
            Content = content,
            UpdatedAt = now,
            UpdatedBy = userId,
            RowVersion = (expectedRowVersion ?? 0) + 1,
        };
    }
}
