using System.Data.Common;
using Dapper;
using TIBS.Cases.Core.Drafts;

namespace TIBS.Cases.Data.Stores;

internal sealed class DraftStore(IDbConnectionFactory db) : IDraftStore
{
    public async Task<IReadOnlyList<CaseDraftRecord>> ListAsync(Guid caseId, Guid userId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseDraftRecord>(new CommandDefinition(
            "SELECT id, case_id, user_id, form_key, step_key, data, saved_at FROM case_drafts WHERE case_id = @caseId AND user_id = @userId ORDER BY saved_at, id",
            new { caseId, userId }, cancellationToken: cancellationToken))];
    }

    public async Task SaveAsync(CaseDraftRecord draft, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var c = await db.OpenAsync(cancellationToken);
            await using var tx = await c.BeginWriteAsync(cancellationToken);
            try
            {
                var updated = await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE case_drafts SET data = @Data, step_key = @StepKey, saved_at = @SavedAt WHERE case_id = @CaseId AND user_id = @UserId AND form_key = @FormKey",
                    draft, tx, cancellationToken: cancellationToken));
                if (updated == 0)
                {
                    await c.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO case_drafts (id, case_id, user_id, form_key, step_key, data, saved_at) VALUES (@Id, @CaseId, @UserId, @FormKey, @StepKey, @Data, @SavedAt)",
                        draft, tx, cancellationToken: cancellationToken));
                }

                await tx.CommitAsync(cancellationToken);
                return;
            }
            catch (DbException) when (attempt < 3)
            {
                // The same user saved the same form from two tabs at once: the second insert lost; it updates instead.
                await tx.RollbackAsync(cancellationToken);
            }
        }
    }

    public async Task<bool> DeleteAsync(Guid caseId, Guid userId, string formKey, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM case_drafts WHERE case_id = @caseId AND user_id = @userId AND form_key = @formKey",
            new { caseId, userId, formKey }, cancellationToken: cancellationToken)) > 0;
    }
}
