using System.Data.Common;
using Dapper;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Data.Stores;

public sealed class CaseStore(IDbConnectionFactory db) : ICaseStore, ISystemRecordAppender
{
    private const string CaseColumns =
        "id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_stage, current_step, step_started_at, step_due_at, " +
        "hold_started_at, data, version, audit_head_hash, audit_count, opened_at, updated_at, closed_at";

    private const string CaseValues =
        "@Id, @Reference, @Title, @DefinitionVersionId, @LeadCompanyId, @RegionCode, @OwnerUserId, @Status, @CurrentStage, @CurrentStep, @StepStartedAt, @StepDueAt, " +
        "@HoldStartedAt, @Data, @Version, @AuditHeadHash, @AuditCount, @OpenedAt, @UpdatedAt, @ClosedAt";

    private const string AttachmentColumns =
        "id, case_id, step_key, field_key, file_name, content_type, size_bytes, sha256, storage_key, uploaded_by, uploaded_at";

    private const string ReminderColumns =
        "id, case_id, case_step_id, step_key, notice_key, kind, recipient_role, due_at, status, description, attempts, sent_at, created_at";

    public async Task<CaseRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<CaseRecord>(new CommandDefinition($"SELECT {CaseColumns} FROM cases WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<CaseRecord?> GetByReferenceAsync(string reference, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<CaseRecord>(new CommandDefinition($"SELECT {CaseColumns} FROM cases WHERE reference = @reference", new { reference }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<CaseStepRecord>> GetStepsAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseStepRecord>(new CommandDefinition(
            "SELECT id, case_id, step_key, stage_key, started_at, due_at, completed_at, completed_by, outcome, form_data FROM case_steps WHERE case_id = @caseId ORDER BY started_at, id",
            new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<CaseEventRecord>> GetEventsAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseEventRecord>(new CommandDefinition(
            "SELECT case_id, seq, id, occurred_at, actor_user_id, kind, step_key, data, prev_hash, hash FROM case_events WHERE case_id = @caseId ORDER BY seq",
            new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<ReminderRecord>> GetRemindersAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<ReminderRecord>(new CommandDefinition(
            $"SELECT {ReminderColumns} FROM reminders WHERE case_id = @caseId ORDER BY due_at, id", new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<CaseParticipantRecord>> GetParticipantsAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseParticipantRecord>(new CommandDefinition(
            """
            SELECT p.id, p.case_id, p.company_id, p.region_code, p.role, p.pipeline_status, p.match_score, p.added_by, p.added_at, p.updated_at,
                   co.country_code, co.name AS company_name
            FROM case_participants p JOIN companies co ON co.id = p.company_id
            WHERE p.case_id = @caseId ORDER BY p.added_at, p.id
            """, new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<CaseCheckInRecord>> GetCheckInsAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseCheckInRecord>(new CommandDefinition(
            "SELECT id, case_id, case_step_id, check_in_key, occurrence, due_at, recorded_at, recorded_by, form_data FROM case_check_ins WHERE case_id = @caseId ORDER BY due_at, occurrence",
            new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<CaseNoteRecord>> GetNotesAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseNoteRecord>(new CommandDefinition(
            """
            SELECT n.id, n.case_id, n.author_user_id, n.body, n.created_at, u.display_name AS author_name
            FROM case_notes n JOIN users u ON u.id = n.author_user_id WHERE n.case_id = @caseId ORDER BY n.created_at, n.id
            """, new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<CaseAttachmentRecord>> GetAttachmentsAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseAttachmentRecord>(new CommandDefinition(
            $"SELECT {AttachmentColumns} FROM case_attachments WHERE case_id = @caseId ORDER BY uploaded_at, id", new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<CaseAttachmentRecord?> GetAttachmentAsync(Guid attachmentId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<CaseAttachmentRecord>(new CommandDefinition(
            $"SELECT {AttachmentColumns} FROM case_attachments WHERE id = @attachmentId", new { attachmentId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<CaseMessageRecord>> GetMessagesAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseMessageRecord>(new CommandDefinition(
            """
            SELECT m.id, m.case_id, m.participant_id, m.author_user_id, m.body, m.created_at, u.display_name AS author_name, COALESCE(u.region_code, '') AS author_region
            FROM case_messages m JOIN users u ON u.id = m.author_user_id WHERE m.case_id = @caseId ORDER BY m.created_at, m.id
            """, new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<Guid>> ListOpenCaseIdsAsync(Guid definitionVersionId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM cases WHERE definition_version_id = @definitionVersionId AND status <> 'closed' ORDER BY opened_at, id",
            new { definitionVersionId }, cancellationToken: cancellationToken))];
    }

    public async Task<int> NextReferenceNumberAsync(string regionCode, int year, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var c = await db.OpenAsync(cancellationToken);
            await using var tx = await c.BeginWriteAsync(cancellationToken);
            try
            {
                var updated = await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE case_sequences SET last_value = last_value + 1 WHERE region_code = @regionCode AND year = @year",
                    new { regionCode, year }, tx, cancellationToken: cancellationToken));
                if (updated == 0)
                {
                    await c.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO case_sequences (region_code, year, last_value) VALUES (@regionCode, @year, 1)",
                        new { regionCode, year }, tx, cancellationToken: cancellationToken));
                }

                var value = await c.ExecuteScalarAsync<int>(new CommandDefinition(
                    "SELECT last_value FROM case_sequences WHERE region_code = @regionCode AND year = @year", new { regionCode, year }, tx, cancellationToken: cancellationToken));
                await tx.CommitAsync(cancellationToken);
                return value;
            }
            catch (DbException) when (attempt < 3)
            {
                // Two first cases of a region and year raced to insert the sequence row: the loser counts again.
                await tx.RollbackAsync(cancellationToken);
            }
        }
    }

    public async Task CommitAsync(CaseWrite write, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var k = cancellationToken;
        var @case = write.Case;
        if (write.ExpectedVersion is null)
        {
            await c.ExecuteAsync(new CommandDefinition($"INSERT INTO cases ({CaseColumns}) VALUES ({CaseValues})", @case, tx, cancellationToken: k));
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE cases SET search_text = @searchText WHERE id = @id", new { id = @case.Id, searchText = SearchText.Case(@case.Reference, @case.Title) }, tx, cancellationToken: k));
        }
        else if (write.AppendOnly)
        {
            await LockCaseAsync(c, tx, @case.Id, @case.Reference, k);
        }
        else
        {
            // Optimistic concurrency: the row changes only if nobody changed it since it was read. The chain's head and
            // count are not part of it: they are set below, after the events are chained under this row's lock.
            var rows = await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cases SET title = @Title, search_text = @SearchText, definition_version_id = @DefinitionVersionId, owner_user_id = @OwnerUserId, status = @Status,
                    current_stage = @CurrentStage, current_step = @CurrentStep, step_started_at = @StepStartedAt, step_due_at = @StepDueAt,
                    hold_started_at = @HoldStartedAt, data = @Data, version = @Version, updated_at = @UpdatedAt, closed_at = @ClosedAt
                WHERE id = @Id AND version = @ExpectedVersion
                """,
                new
                {
                    @case.Id,
                    @case.Title,
                    SearchText = SearchText.Case(@case.Reference, @case.Title),
                    @case.DefinitionVersionId,
                    @case.OwnerUserId,
                    @case.Status,
                    @case.CurrentStage,
                    @case.CurrentStep,
                    @case.StepStartedAt,
                    @case.StepDueAt,
                    @case.HoldStartedAt,
                    @case.Data,
                    @case.Version,
                    @case.UpdatedAt,
                    @case.ClosedAt,
                    ExpectedVersion = write.ExpectedVersion.Value,
                }, tx, cancellationToken: k));
            if (rows != 1)
            {
                await tx.RollbackAsync(k);
                throw new ConcurrencyConflictException($"Case {@case.Reference} was changed by someone else.");
            }
        }

        // Each statement runs once per item of its list (Dapper executes a command per element of an enumerable).
        await Each("UPDATE case_steps SET completed_at = @CompletedAt, completed_by = @CompletedBy, outcome = @Outcome, form_data = @FormData WHERE id = @Id AND completed_at IS NULL",
            write.CompletedSteps);
        await Each(
            """
            INSERT INTO case_steps (id, case_id, step_key, stage_key, started_at, due_at, completed_at, completed_by, outcome, form_data)
            VALUES (@Id, @CaseId, @StepKey, @StageKey, @StartedAt, @DueAt, @CompletedAt, @CompletedBy, @Outcome, @FormData)
            """, write.StartedSteps);
        await Each(
            """
            INSERT INTO case_participants (id, case_id, company_id, region_code, role, pipeline_status, match_score, added_by, added_at, updated_at)
            VALUES (@Id, @CaseId, @CompanyId, @RegionCode, @Role, @PipelineStatus, @MatchScore, @AddedBy, @AddedAt, @UpdatedAt)
            """, write.NewParticipants);
        await Each("UPDATE case_participants SET pipeline_status = @PipelineStatus, match_score = @MatchScore, updated_at = @UpdatedAt WHERE id = @Id",
            write.UpdatedParticipants);
        if (write.ExpectedVersion is null && !write.AppendOnly)
        {
            await InsertEventsAsync(c, tx, write.Events, k);
        }
        else
        {
            await AppendEventsAsync(c, tx, @case.Id, write.Events, k);
        }

        await Each("UPDATE reminders SET status = 'cancelled' WHERE id = @id AND status IN ('pending', 'paused')",
            write.CancelReminders.Select(id => new { id }));
        await Each("UPDATE reminders SET status = @Status, due_at = @DueAt WHERE id = @Id AND status IN ('pending', 'paused')",
            write.UpdateReminders.Select(r => new { r.Id, r.Status, r.DueAt }));
        await Each(
            $"""
            INSERT INTO reminders ({ReminderColumns})
            VALUES (@Id, @CaseId, @CaseStepId, @StepKey, @NoticeKey, @Kind, @RecipientRole, @DueAt, @Status, @Description, @Attempts, @SentAt, @CreatedAt)
            """, write.NewReminders);
        await Each(
            """
            INSERT INTO case_check_ins (id, case_id, case_step_id, check_in_key, occurrence, due_at, recorded_at, recorded_by, form_data)
            VALUES (@Id, @CaseId, @CaseStepId, @CheckInKey, @Occurrence, @DueAt, @RecordedAt, @RecordedBy, @FormData)
            """, write.NewCheckIns);
        await Each("INSERT INTO case_notes (id, case_id, author_user_id, body, created_at) VALUES (@Id, @CaseId, @AuthorUserId, @Body, @CreatedAt)", write.NewNotes);
        await Each(
            $"""
            INSERT INTO case_attachments ({AttachmentColumns})
            VALUES (@Id, @CaseId, @StepKey, @FieldKey, @FileName, @ContentType, @SizeBytes, @Sha256, @StorageKey, @UploadedBy, @UploadedAt)
            """, write.NewAttachments);
        await Each("INSERT INTO case_messages (id, case_id, participant_id, author_user_id, body, created_at) VALUES (@Id, @CaseId, @ParticipantId, @AuthorUserId, @Body, @CreatedAt)",
            write.NewMessages);
        await Each("DELETE FROM case_drafts WHERE case_id = @CaseId AND user_id = @UserId AND form_key = @FormKey", write.DiscardDrafts);
        await Each("DELETE FROM case_drafts WHERE case_id = @Id", write.DiscardAllDrafts ? new[] { @case } : Array.Empty<CaseRecord>());
        await Each(NotificationRows.InsertIfNew, write.Notifications.Select(NotificationRows.Parameters));

        await tx.CommitAsync(k);

        Task<int> Each<T>(string sql, IEnumerable<T> items) => c.ExecuteAsync(new CommandDefinition(sql, items.ToList(), tx, cancellationToken: k));
    }

    public async Task<CaseEventRecord?> AppendSystemRecordAsync(Guid caseId, SystemRecord record, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var rows = await c.ExecuteAsync(new CommandDefinition("UPDATE cases SET audit_count = audit_count WHERE id = @caseId", new { caseId }, tx, cancellationToken: cancellationToken));
        if (rows != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return null;
        }

        // A system record: no user actor, and the case's concurrency version stays as it is.
        var evt = AuditChain.Append(caseId, 0, AuditChain.GenesisHash, record.OccurredAt, null, record.Kind, record.StepKey, record.Data);
        var appended = await AppendEventsAsync(c, tx, caseId, [evt], cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return appended[0];
    }

    /// <summary>Takes the case row's write lock without changing it (for writes that only append to the chain).</summary>
    private static async Task LockCaseAsync(DbConnection c, DbTransaction tx, Guid id, string reference, CancellationToken k)
    {
        var rows = await c.ExecuteAsync(new CommandDefinition("UPDATE cases SET audit_count = audit_count WHERE id = @id", new { id }, tx, cancellationToken: k));
        if (rows != 1)
        {
            await tx.RollbackAsync(k);
            throw new ConcurrencyConflictException($"Case {reference} no longer exists.");
        }
    }

    /// <summary>
    /// Chains <paramref name="events"/> after the head the case row holds now (the caller holds the row's lock), stores
    /// them and moves the head: records appended since the caller read the case never turn into a conflict.
    /// </summary>
    private static async Task<IReadOnlyList<CaseEventRecord>> AppendEventsAsync(DbConnection c, DbTransaction tx, Guid caseId, IReadOnlyList<CaseEventRecord> events, CancellationToken k)
    {
        if (events.Count == 0)
        {
            return events;
        }

        // Two scalars rather than a mapped row: Dapper's row reader cache is shared with other connections of the process.
        var count = await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT audit_count FROM cases WHERE id = @caseId", new { caseId }, tx, cancellationToken: k));
        var head = await c.ExecuteScalarAsync<string>(new CommandDefinition("SELECT audit_head_hash FROM cases WHERE id = @caseId", new { caseId }, tx, cancellationToken: k))
            ?? throw new ConcurrencyConflictException($"Case {caseId} no longer exists.");
        var chained = AuditChain.Rechain(events, head.Trim(), count);
        await InsertEventsAsync(c, tx, chained, k);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE cases SET audit_head_hash = @Hash, audit_count = @Seq WHERE id = @caseId", new { chained[^1].Hash, chained[^1].Seq, caseId }, tx, cancellationToken: k));
        return chained;
    }

    private static Task<int> InsertEventsAsync(DbConnection c, DbTransaction tx, IReadOnlyList<CaseEventRecord> events, CancellationToken k) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO case_events (case_id, seq, id, occurred_at, actor_user_id, kind, step_key, data, prev_hash, hash)
            VALUES (@CaseId, @Seq, @Id, @OccurredAt, @ActorUserId, @Kind, @StepKey, @Data, @PrevHash, @Hash)
            """, events.ToList(), tx, cancellationToken: k));
}
