using Dapper;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Training;

namespace TIBS.Cases.Data.Stores;

/// <summary>The training catalogue, the completions and their expiry reminders (the reminder outbox, rows about a user).</summary>
internal sealed class TrainingStore(IDbConnectionFactory db) : ITrainingStore
{
    private const string ModuleColumns =
        "id AS Id, title AS Title, description AS Description, validity_months AS ValidityMonths, required_for_certification AS RequiredForCertification, "
        + "is_active AS IsActive, version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt";

    private const string CompletionColumns =
        "id AS Id, user_id AS UserId, module_id AS ModuleId, completed_on AS CompletedOn, expires_on AS ExpiresOn, trainer AS Trainer, "
        + "certificate_file_name AS CertificateFileName, certificate_content_type AS CertificateContentType, certificate_size AS CertificateSize, "
        + "certificate_sha256 AS CertificateSha256, certificate_storage_key AS CertificateStorageKey, recorded_by AS RecordedBy, recorded_at AS RecordedAt";

    private const string LogInsert =
        "INSERT INTO administration_log (id, occurred_at, actor_id, action, subject_user_id, details) VALUES (@Id, @OccurredAt, @ActorId, @Action, @SubjectUserId, @Details)";

    public async Task<IReadOnlyList<TrainingModule>> ListModulesAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<TrainingModule>(new CommandDefinition($"SELECT {ModuleColumns} FROM training_modules ORDER BY title", cancellationToken: cancellationToken))];
    }

    public async Task<TrainingModule?> GetModuleAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<TrainingModule>(new CommandDefinition($"SELECT {ModuleColumns} FROM training_modules WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task AddModuleAsync(TrainingModule module, AdministrationLogEntry? log, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO training_modules (id, title, description, validity_months, required_for_certification, is_active, version, created_at, updated_at)
            VALUES (@Id, @Title, @Description, @ValidityMonths, @RequiredForCertification, @IsActive, @Version, @CreatedAt, @UpdatedAt)
            """, module, tx, cancellationToken: cancellationToken));
        if (log is not null)
        {
            await c.ExecuteAsync(new CommandDefinition(LogInsert, log, tx, cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
    }

    public async Task<bool> UpdateModuleAsync(TrainingModule module, int expectedVersion, AdministrationLogEntry log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(module);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var changed = await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE training_modules SET title = @Title, description = @Description, validity_months = @ValidityMonths,
                required_for_certification = @RequiredForCertification, is_active = @IsActive, version = @Version, updated_at = @UpdatedAt
            WHERE id = @Id AND version = @expectedVersion
            """,
            new { module.Id, module.Title, module.Description, module.ValidityMonths, module.RequiredForCertification, module.IsActive, module.Version, module.UpdatedAt, expectedVersion },
            tx, cancellationToken: cancellationToken));
        if (changed != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        await c.ExecuteAsync(new CommandDefinition(LogInsert, log, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<TrainingCompletion>> ListCompletionsAsync(Guid? userId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<TrainingCompletion>(new CommandDefinition(
            $"SELECT {CompletionColumns} FROM training_completions {(userId is null ? "" : "WHERE user_id = @userId")} ORDER BY completed_on DESC, recorded_at DESC",
            new { userId }, cancellationToken: cancellationToken))];
    }

    public async Task<TrainingCompletion?> GetCompletionAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<TrainingCompletion>(new CommandDefinition($"SELECT {CompletionColumns} FROM training_completions WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task RecordCompletionAsync(TrainingCompletion completion, IReadOnlyList<ReminderRecord> reminders, AdministrationLogEntry? log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentNullException.ThrowIfNull(reminders);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO training_completions (id, user_id, module_id, completed_on, expires_on, trainer, certificate_file_name, certificate_content_type,
                certificate_size, certificate_sha256, certificate_storage_key, recorded_by, recorded_at)
            VALUES (@Id, @UserId, @ModuleId, @CompletedOn, @ExpiresOn, @Trainer, @CertificateFileName, @CertificateContentType,
                @CertificateSize, @CertificateSha256, @CertificateStorageKey, @RecordedBy, @RecordedAt)
            """, completion, tx, cancellationToken: cancellationToken));
        if (reminders.Count > 0)
        {
            // The new completion replaces the older ones of the module: their expiry notices are no longer wanted. The
            // subject named as not null: every database reads the partial index of script 0045 on its whole key.
            await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE reminders SET status = 'cancelled', last_error = 'A newer completion of the module was recorded.', claimed_until = NULL
                WHERE subject_kind = 'training' AND status IN ('pending', 'claimed') AND subject_id IS NOT NULL AND subject_id IN (
                    SELECT id FROM training_completions WHERE user_id = @UserId AND module_id = @ModuleId AND id <> @Id)
                """, new { completion.UserId, completion.ModuleId, completion.Id }, tx, cancellationToken: cancellationToken));
            await c.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO reminders (id, case_id, case_step_id, step_key, notice_key, kind, recipient_role, due_at, status, description, attempts, created_at, subject_kind, subject_id)
                VALUES (@Id, @CaseId, @CaseStepId, @StepKey, @NoticeKey, @Kind, @RecipientRole, @DueAt, @Status, @Description, @Attempts, @CreatedAt, @SubjectKind, @SubjectId)
                """, reminders, tx, cancellationToken: cancellationToken));
        }

        if (log is not null)
        {
            await c.ExecuteAsync(new CommandDefinition(LogInsert, log, tx, cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> CertificateKeysAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<string>(new CommandDefinition(
            "SELECT certificate_storage_key FROM training_completions WHERE user_id = @userId AND certificate_storage_key IS NOT NULL",
            new { userId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<OwnedOpenCase>> OpenCasesOwnedByAsync(IReadOnlyCollection<Guid> ownerIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerIds);
        if (ownerIds.Count == 0)
        {
            return [];
        }

        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<OwnedOpenCase>(new CommandDefinition(
            $"""
            SELECT id AS CaseId, reference AS Reference, title AS Title, region_code AS RegionCode, owner_user_id AS OwnerUserId
            FROM cases WHERE status <> 'closed' AND {db.Dialect.InList("owner_user_id", "@ids")} ORDER BY reference
            """, new { ids = db.Dialect.IdList(ownerIds) }, cancellationToken: cancellationToken))];
    }
}
