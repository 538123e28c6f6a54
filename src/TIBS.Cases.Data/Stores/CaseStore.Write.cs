using System.Data.Common;
using Dapper;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// The write of a command. A write guarded by the case's version is sent as one batch: the case row (its version and
/// its chain's count unchanged since the command read them), the step, participant, event, reminder, check-in, note,
/// attachment, message and draft rows, then COMMIT. When the batch finds the row changed (someone completed a step,
/// or appended a note to the chain) it rolls back and the write is made the careful way: lock the row, re-read the
/// chain's head, re-chain the events after it, or report the conflict.
/// </summary>
internal sealed partial class CaseStore
{
    private const string UpdateCaseSet =
        """
        UPDATE cases SET title = @Title, search_text = @SearchText, definition_version_id = @DefinitionVersionId, owner_user_id = @OwnerUserId, status = @Status,
            current_stage = @CurrentStage, current_step = @CurrentStep, step_started_at = @StepStartedAt, step_due_at = @StepDueAt,
            hold_started_at = @HoldStartedAt, data = @Data, version = @Version, updated_at = @UpdatedAt, closed_at = @ClosedAt
        """;

    private const string InsertEvent =
        """
        INSERT INTO case_events (case_id, seq, id, occurred_at, actor_user_id, kind, step_key, data, prev_hash, hash)
        VALUES (@CaseId, @Seq, @Id, @OccurredAt, @ActorUserId, @Kind, @StepKey, @Data, @PrevHash, @Hash)
        """;

    public async Task CommitAsync(CaseWrite write, CancellationToken cancellationToken = default)
    {
        if (write.ExpectedVersion is not null && !write.AppendOnly && write.UpdatedTracks.Count == 0 && await TryCommitInOneBatchAsync(write, cancellationToken))
        {
            return;
        }

        await CommitCarefullyAsync(write, cancellationToken);
    }

    /// <summary>The common case: nobody wrote to the case since the command read it. False (nothing written) otherwise.</summary>
    private async Task<bool> TryCommitInOneBatchAsync(CaseWrite write, CancellationToken k)
    {
        var events = write.Events;
        var batch = new StatementBatch();
        var set = CaseColumnsToSet(write);
        if (events.Count == 0)
        {
            batch.Add(set + " WHERE id = @Id AND version = @ExpectedVersion", CaseUpdate(write));
        }
        else
        {
            batch.Add(
                set + ", audit_head_hash = @HeadHash, audit_count = @HeadCount WHERE id = @Id AND version = @ExpectedVersion AND audit_count = @ReadCount",
                CaseUpdate(write) with { HeadHash = events[^1].Hash, HeadCount = events[^1].Seq, ReadCount = events[0].Seq - 1 });
        }

        SideRowsBeforeEvents(write, batch);
        batch.AddEach(InsertEvent, events);
        SideRowsAfterEvents(write, batch);

        await using var lease = await LeaseAsync(k);
        var c = lease.Connection;
        await using var tx = await c.BeginWriteAsync(k);
        try
        {
            var rows = await batch.ExecuteAsync(c, tx, stopUnlessFirstMatches: true, k);
            if (rows[0] != 1)
            {
                await tx.RollbackAsync(k);
                return false;
            }
        }
        catch (DbException)
        {
            // The row moved on under the batch (another event took the next sequence number): the careful way decides.
            await tx.RollbackAsync(k);
            return false;
        }

        await tx.CommitAsync(k);
        return true;
    }

    private async Task CommitCarefullyAsync(CaseWrite write, CancellationToken k)
    {
        await using var lease = await LeaseAsync(k);
        var c = lease.Connection;
        await using var tx = await c.BeginWriteAsync(k);
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
            var rows = await c.ExecuteAsync(new CommandDefinition(CaseColumnsToSet(write) + " WHERE id = @Id AND version = @ExpectedVersion", CaseUpdate(write), tx, cancellationToken: k));
            if (rows != 1)
            {
                await tx.RollbackAsync(k);
                throw new ConcurrencyConflictException($"Case {@case.Reference} was changed by someone else.");
            }
        }

        await UpdateTracksAsync(c, tx, write, k);
        var before = new StatementBatch();
        SideRowsBeforeEvents(write, before);
        await before.ExecuteAsync(c, tx, stopUnlessFirstMatches: false, k);
        if (write.ExpectedVersion is null && !write.AppendOnly)
        {
            await new StatementBatch().AddEach(InsertEvent, write.Events).ExecuteAsync(c, tx, stopUnlessFirstMatches: false, k);
        }
        else
        {
            await AppendEventsAsync(c, tx, @case.Id, write.Events, k);
        }

        var after = new StatementBatch();
        SideRowsAfterEvents(write, after);
        await after.ExecuteAsync(c, tx, stopUnlessFirstMatches: false, k);
        await tx.CommitAsync(k);
    }

    /// <summary>
    /// The UPDATE … SET of the case row: every column, or, when the write knows the row as it was read
    /// (<see cref="CaseWrite.Before"/>), the columns that changed, the version and the time of the change. A step
    /// completion so leaves the title, its search text, the owner and the definition alone. Each shape's text is made once.
    /// </summary>
    private static string CaseColumnsToSet(CaseWrite write)
    {
        if (write.Before is not { } before || before.Version != write.ExpectedVersion)
        {
            return UpdateCaseSet;
        }

        var after = write.Case;
        var changed = 0;
        for (var i = 0; i < OptionalCaseColumns.Length; i++)
        {
            if (OptionalCaseColumns[i].Changed(before, after))
            {
                changed |= 1 << i;
            }
        }

        return UpdateShapes.GetOrAdd(changed, mask => "UPDATE cases SET " + string.Join(", ",
            OptionalCaseColumns.Where((_, i) => (mask & (1 << i)) != 0).SelectMany(c => c.Set).Append("version = @Version").Append("updated_at = @UpdatedAt")));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> UpdateShapes = new();

    /// <summary>The case row's columns a write may change besides its version and time, with what changing each sets.</summary>
    private static readonly (Func<CaseRecord, CaseRecord, bool> Changed, string[] Set)[] OptionalCaseColumns =
    [
        ((a, b) => a.Title != b.Title || a.Reference != b.Reference, ["title = @Title", "search_text = @SearchText"]),
        ((a, b) => a.DefinitionVersionId != b.DefinitionVersionId, ["definition_version_id = @DefinitionVersionId"]),
        ((a, b) => a.OwnerUserId != b.OwnerUserId, ["owner_user_id = @OwnerUserId"]),
        ((a, b) => a.Status != b.Status, ["status = @Status"]),
        ((a, b) => a.CurrentStage != b.CurrentStage, ["current_stage = @CurrentStage"]),
        ((a, b) => a.CurrentStep != b.CurrentStep, ["current_step = @CurrentStep"]),
        ((a, b) => a.StepStartedAt != b.StepStartedAt, ["step_started_at = @StepStartedAt"]),
        ((a, b) => a.StepDueAt != b.StepDueAt, ["step_due_at = @StepDueAt"]),
        ((a, b) => a.HoldStartedAt != b.HoldStartedAt, ["hold_started_at = @HoldStartedAt"]),
        ((a, b) => !string.Equals(a.Data, b.Data, StringComparison.Ordinal), ["data = @Data"]),
        ((a, b) => a.ClosedAt != b.ClosedAt, ["closed_at = @ClosedAt"]),
    ];

    private static CaseRowUpdate CaseUpdate(CaseWrite write)
    {
        var c = write.Case;
        return new CaseRowUpdate(
            c.Id, c.Title, write.Before is { } b && b.Version == write.ExpectedVersion && b.Title == c.Title && b.Reference == c.Reference ? "" : SearchText.Case(c.Reference, c.Title), c.DefinitionVersionId, c.OwnerUserId, c.Status, c.CurrentStage, c.CurrentStep, c.StepStartedAt,
            c.StepDueAt, c.HoldStartedAt, c.Data, c.Version, c.UpdatedAt, c.ClosedAt, write.ExpectedVersion ?? 0);
    }

    /// <summary>The parameters of the case row's update; the chain's new head and the count it was read at when the batch moves the head too.</summary>
    private sealed record CaseRowUpdate(
        Guid Id, string Title, string SearchText, Guid DefinitionVersionId, Guid OwnerUserId, string Status, string? CurrentStage, string CurrentStep,
        DateTimeOffset StepStartedAt, DateTimeOffset? StepDueAt, DateTimeOffset? HoldStartedAt, string Data, int Version, DateTimeOffset UpdatedAt,
        DateTimeOffset? ClosedAt, int ExpectedVersion)
    {
        public string? HeadHash { get; init; }

        public int HeadCount { get; init; }

        public int ReadCount { get; init; }
    }

    private static void SideRowsBeforeEvents(CaseWrite write, StatementBatch batch) => batch
        .AddEach("UPDATE case_steps SET completed_at = @CompletedAt, completed_by = @CompletedBy, outcome = @Outcome, form_data = @FormData WHERE id = @Id AND completed_at IS NULL",
            write.CompletedSteps)
        .AddEach(
            """
            INSERT INTO case_steps (id, case_id, step_key, stage_key, started_at, due_at, completed_at, completed_by, outcome, form_data)
            VALUES (@Id, @CaseId, @StepKey, @StageKey, @StartedAt, @DueAt, @CompletedAt, @CompletedBy, @Outcome, @FormData)
            """, write.StartedSteps)
        .AddEach(
            """
            INSERT INTO case_participants (id, case_id, company_id, region_code, role, pipeline_status, match_score, added_by, added_at, updated_at)
            VALUES (@Id, @CaseId, @CompanyId, @RegionCode, @Role, @PipelineStatus, @MatchScore, @AddedBy, @AddedAt, @UpdatedAt)
            """, write.NewParticipants)
        .AddEach("UPDATE case_participants SET pipeline_status = @PipelineStatus, match_score = @MatchScore, updated_at = @UpdatedAt WHERE id = @Id",
            write.UpdatedParticipants)
        .AddEach(InsertTrack, write.NewTracks);

    private static void SideRowsAfterEvents(CaseWrite write, StatementBatch batch) => batch
        .AddEach("UPDATE reminders SET status = 'cancelled' WHERE id = @id AND status IN ('pending', 'paused')",
            write.CancelReminders.Select(id => new { id }))
        .AddEach("UPDATE reminders SET status = @Status, due_at = @DueAt WHERE id = @Id AND status IN ('pending', 'paused')",
            write.UpdateReminders.Select(r => new { r.Id, r.Status, r.DueAt }))
        .AddEach("UPDATE reminders SET status = 'sent', sent_at = @SentAt, claimed_until = NULL WHERE id = @Id AND status IN ('pending', 'claimed', 'paused')",
            write.FiredTimers.Select(r => new { r.Id, r.SentAt }))
        .AddEach(
            $"""
            INSERT INTO reminders ({ReminderColumns})
            VALUES (@Id, @CaseId, @CaseStepId, @StepKey, @NoticeKey, @Kind, @RecipientRole, @DueAt, @Status, @Description, @Attempts, @SentAt, @CreatedAt, @CaseTrackId)
            """, write.NewReminders)
        .AddEach(
            """
            INSERT INTO case_check_ins (id, case_id, case_step_id, check_in_key, occurrence, due_at, recorded_at, recorded_by, form_data)
            VALUES (@Id, @CaseId, @CaseStepId, @CheckInKey, @Occurrence, @DueAt, @RecordedAt, @RecordedBy, @FormData)
            """, write.NewCheckIns)
        .AddEach("INSERT INTO case_notes (id, case_id, author_user_id, body, created_at) VALUES (@Id, @CaseId, @AuthorUserId, @Body, @CreatedAt)", write.NewNotes)
        .AddEach(PersonalDataStore.InsertSql, write.NewPersonalData)
        .AddEach(
            $"""
            INSERT INTO case_attachments ({AttachmentColumns})
            VALUES (@Id, @CaseId, @StepKey, @FieldKey, @FileName, @ContentType, @SizeBytes, @Sha256, @StorageKey, @UploadedBy, @UploadedAt)
            """, write.NewAttachments)
        .AddEach("INSERT INTO case_messages (id, case_id, participant_id, author_user_id, body, created_at) VALUES (@Id, @CaseId, @ParticipantId, @AuthorUserId, @Body, @CreatedAt)",
            write.NewMessages)
        .AddEach(AuditStore.InsertFinding, write.NewFindings)
        .AddEach(AuditStore.AnswerFinding, write.AnsweredFindings)
        .AddEach("DELETE FROM case_drafts WHERE case_id = @CaseId AND user_id = @UserId AND form_key = @FormKey", write.DiscardDrafts)
        .AddEach("DELETE FROM case_drafts WHERE case_id = @Id", write.DiscardAllDrafts ? [new { write.Case.Id }] : Array.Empty<object>())
        .AddEach(NotificationRows.InsertIfNew, write.Notifications.Select(NotificationRows.Parameters));
}
