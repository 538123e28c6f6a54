using System.Data.Common;
using Dapper;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Workflows;

namespace TIBS.Cases.Data.Stores;

internal sealed class WorkflowStore(IDbConnectionFactory db) : IWorkflowStore
{
    private const string VersionColumns =
        "v.id, v.definition_id, d.definition_key, v.number, v.status, v.content, v.content_hash, v.source, v.created_by, v.created_at, v.published_by, v.published_at, v.row_version, v.change_note";

    private const string VersionFrom = "FROM workflow_versions v JOIN workflow_definitions d ON d.id = v.definition_id";

    public async Task<IReadOnlyList<WorkflowDefinitionRecord>> ListDefinitionsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<WorkflowDefinitionRecord>(new CommandDefinition(
            "SELECT id, definition_key, name, published_version_id, created_at, row_version FROM workflow_definitions ORDER BY definition_key",
            cancellationToken: cancellationToken))];
    }

    public async Task<WorkflowDefinitionRecord?> GetDefinitionAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await GetDefinitionAsync(c, null, key, cancellationToken);
    }

    public async Task<IReadOnlyList<WorkflowVersionRecord>> ListVersionsAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<WorkflowVersionRecord>(new CommandDefinition(
            $"SELECT {VersionColumns} {VersionFrom} WHERE d.definition_key = @key ORDER BY v.number", new { key }, cancellationToken: cancellationToken))];
    }

    public async Task<WorkflowVersionRecord?> GetVersionAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<WorkflowVersionRecord>(new CommandDefinition(
            $"SELECT {VersionColumns} {VersionFrom} WHERE v.id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<WorkflowVersionRecord?> GetVersionAsync(string key, int number, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<WorkflowVersionRecord>(new CommandDefinition(
            $"SELECT {VersionColumns} {VersionFrom} WHERE d.definition_key = @key AND v.number = @number", new { key, number }, cancellationToken: cancellationToken));
    }

    public async Task<WorkflowVersionRecord?> GetPublishedVersionAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<WorkflowVersionRecord>(new CommandDefinition(
            $"SELECT {VersionColumns} {VersionFrom} WHERE d.definition_key = @key AND v.id = d.published_version_id", new { key }, cancellationToken: cancellationToken));
    }

    public async Task<WorkflowVersionRecord> InsertPublishedAsync(string key, string name, int number, string content, string contentHash, string source, Guid? userId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var definition = await EnsureDefinitionAsync(c, tx, key, name, now, cancellationToken);
        var id = Guid.CreateVersion7(now);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO workflow_versions (id, definition_id, number, status, content, content_hash, source, created_by, created_at, published_by, published_at, row_version)
            VALUES (@id, @definitionId, @number, 'published', @content, @contentHash, @source, @userId, @now, @userId, @now, 1)
            """, new { id, definitionId = definition.Id, number, content, contentHash, source, userId, now }, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE workflow_definitions SET published_version_id = @id, name = @name, row_version = row_version + 1
            WHERE id = @definitionId
              AND NOT EXISTS (SELECT 1 FROM workflow_versions p WHERE p.definition_id = @definitionId AND p.status = 'published' AND p.number > @number)
            """, new { id, name, definitionId = definition.Id, number }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return (await GetVersionAsync(id, cancellationToken))!;
    }

    public async Task<WorkflowVersionRecord> SaveDraftAsync(string key, string name, int number, string content, string contentHash, Guid? userId, int? expectedRowVersion, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var definition = await EnsureDefinitionAsync(c, tx, key, name, now, cancellationToken);
        var draft = await c.QuerySingleOrDefaultAsync<WorkflowVersionRecord>(new CommandDefinition(
            $"SELECT {VersionColumns} {VersionFrom} WHERE v.definition_id = @definitionId AND v.status = 'draft'", new { definitionId = definition.Id }, tx, cancellationToken: cancellationToken));
        Guid id;
        if (draft is null)
        {
            if (expectedRowVersion is not null)
            {
                throw new ConcurrencyConflictException($"The draft of '{key}' was published or discarded by someone else.");
            }

            id = Guid.CreateVersion7(now);
            await c.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO workflow_versions (id, definition_id, number, status, content, content_hash, source, created_by, created_at, row_version)
                VALUES (@id, @definitionId, @number, 'draft', @content, @contentHash, 'editor', @userId, @now, 1)
                """, new { id, definitionId = definition.Id, number, content, contentHash, userId, now }, tx, cancellationToken: cancellationToken));
        }
        else
        {
            if (expectedRowVersion is null)
            {
                throw new ConcurrencyConflictException($"'{key}' already has a draft (version {draft.Number}); open it instead of starting another.");
            }

            id = draft.Id;
            var rows = await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE workflow_versions SET content = @content, content_hash = @contentHash, number = @number, created_by = @userId, created_at = @now, row_version = row_version + 1
                WHERE id = @id AND status = 'draft' AND row_version = @expectedRowVersion
                """, new { id, content, contentHash, number, userId, now, expectedRowVersion }, tx, cancellationToken: cancellationToken));
            if (rows != 1)
            {
                throw new ConcurrencyConflictException($"Someone else saved the draft of '{key}' since you opened it.");
            }
        }

        await tx.CommitAsync(cancellationToken);
        return (await GetVersionAsync(id, cancellationToken))!;
    }

    public async Task<WorkflowVersionRecord> PublishDraftAsync(Guid draftId, int expectedRowVersion, Guid? userId, DateTimeOffset now, string? changeNote = null, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var rows = await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE workflow_versions SET status = 'published', published_by = @userId, published_at = @now, change_note = @changeNote, row_version = row_version + 1
            WHERE id = @draftId AND status = 'draft' AND row_version = @expectedRowVersion
            """, new { draftId, userId, now, changeNote, expectedRowVersion }, tx, cancellationToken: cancellationToken));
        if (rows != 1)
        {
            throw new ConcurrencyConflictException("The draft was changed, published or discarded by someone else since you opened it.");
        }

        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE workflow_definitions SET published_version_id = @draftId, row_version = row_version + 1
            WHERE id = (SELECT definition_id FROM workflow_versions WHERE id = @draftId)
            """, new { draftId }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return (await GetVersionAsync(draftId, cancellationToken))!;
    }

    public async Task DiscardDraftAsync(Guid draftId, int expectedRowVersion, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM workflow_versions WHERE id = @draftId AND status = 'draft' AND row_version = @expectedRowVersion",
            new { draftId, expectedRowVersion }, cancellationToken: cancellationToken));
        if (rows != 1)
        {
            throw new ConcurrencyConflictException("The draft was changed, published or discarded by someone else since you opened it.");
        }
    }

    private static Task<WorkflowDefinitionRecord?> GetDefinitionAsync(DbConnection c, DbTransaction? tx, string key, CancellationToken cancellationToken) =>
        c.QuerySingleOrDefaultAsync<WorkflowDefinitionRecord>(new CommandDefinition(
            "SELECT id, definition_key, name, published_version_id, created_at, row_version FROM workflow_definitions WHERE definition_key = @key",
            new { key }, tx, cancellationToken: cancellationToken));

    private static async Task<WorkflowDefinitionRecord> EnsureDefinitionAsync(DbConnection c, DbTransaction tx, string key, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await GetDefinitionAsync(c, tx, key, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var id = Guid.CreateVersion7(now);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO workflow_definitions (id, definition_key, name, created_at, row_version) VALUES (@id, @key, @name, @now, 1)",
            new { id, key, name, now }, tx, cancellationToken: cancellationToken));
        return (await GetDefinitionAsync(c, tx, key, cancellationToken))!;
    }
}
