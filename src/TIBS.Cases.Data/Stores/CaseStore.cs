using System.Data.Common;
using Dapper;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Partners.Tracks;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Data.Stores;

internal sealed partial class CaseStore(IDbConnectionFactory db) : ICaseStore, ISystemRecordAppender
{
    private const string CaseColumns =
        "id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_stage, current_step, step_started_at, step_due_at, " +
        "hold_started_at, data, version, audit_head_hash, audit_count, opened_at, updated_at, closed_at, audited_case_id";

    private const string CaseValues =
        "@Id, @Reference, @Title, @DefinitionVersionId, @LeadCompanyId, @RegionCode, @OwnerUserId, @Status, @CurrentStage, @CurrentStep, @StepStartedAt, @StepDueAt, " +
        "@HoldStartedAt, @Data, @Version, @AuditHeadHash, @AuditCount, @OpenedAt, @UpdatedAt, @ClosedAt, @AuditedCaseId";

    private const string AttachmentColumns =
        "id, case_id, step_key, field_key, file_name, content_type, size_bytes, sha256, storage_key, uploaded_by, uploaded_at";

    private const string ReminderColumns =
        "id, case_id, case_step_id, step_key, notice_key, kind, recipient_role, due_at, status, description, attempts, sent_at, created_at, case_track_id";

    private const string StepColumns = "id, case_id, step_key, stage_key, started_at, due_at, completed_at, completed_by, outcome, form_data";

    private const string ParticipantSelect =
        """
        SELECT p.id, p.case_id, p.company_id, p.region_code, p.role, p.pipeline_status, p.match_score, p.added_by, p.added_at, p.updated_at,
               co.country_code, co.name AS company_name
        FROM case_participants p JOIN companies co ON co.id = p.company_id
        WHERE p.case_id = @caseId ORDER BY p.added_at, p.id
        """;

    private const string CheckInSelect =
        "SELECT id, case_id, case_step_id, check_in_key, occurrence, due_at, recorded_at, recorded_by, form_data FROM case_check_ins WHERE case_id = @caseId ORDER BY due_at, occurrence";

    private const string NoteSelect =
        """
        SELECT n.id, n.case_id, n.author_user_id, n.body, n.created_at, n.erased_at, u.display_name AS author_name
        FROM case_notes n JOIN users u ON u.id = n.author_user_id WHERE n.case_id = @caseId ORDER BY n.created_at, n.id
        """;

    private const string MessageSelect =
        """
        SELECT m.id, m.case_id, m.participant_id, m.author_user_id, m.body, m.created_at, u.display_name AS author_name, COALESCE(u.region_code, '') AS author_region
        FROM case_messages m JOIN users u ON u.id = m.author_user_id WHERE m.case_id = @caseId ORDER BY m.created_at, m.id
        """;

    /// <summary>
    /// What a command decides on but the tracks, as one command text. SQLite runs in process, where a second query
    /// costs no round trip: there the tracks are read only for a definition that runs them.
    /// </summary>
    private const string CommandStateWithoutTracksSql =
        $"""
        SELECT {CaseColumns} FROM cases WHERE id = @caseId;
        SELECT {StepColumns} FROM case_steps WHERE case_id = @caseId AND completed_at IS NULL ORDER BY started_at, id;
        SELECT {ReminderColumns} FROM reminders WHERE case_id = @caseId AND status IN ('pending', 'paused') ORDER BY due_at, id;
        {ParticipantSelect};
        {CheckInSelect};
        """;

    /// <summary>Everything a command decides on, as one command text (one round trip); never the timeline or the workspace.</summary>
    private const string CommandStateSql = CommandStateWithoutTracksSql + TrackSelect + ";";

    /// <summary>
    /// The command's read on PostgreSQL: three positional statements, as the raw baseline reads. The case row carries
    /// its participants (with their companies), check-ins and partner tracks as JSON arrays of its own statement,
    /// and whether the case has any drafts (a write then deletes the actor's draft only if one can exist).
    /// </summary>
    private static readonly string[] CommandStatePositional =
    [
        StatementBatch.PositionalText(
            $"""
            SELECT {CaseColumns},
                EXISTS (SELECT 1 FROM case_drafts d WHERE d.case_id = @caseId) AS has_drafts,
                (SELECT json_agg(json_build_array(p.id, p.company_id, p.region_code, p.role, p.pipeline_status, p.match_score, p.added_by,
                        p.added_at, p.updated_at, co.country_code, co.name) ORDER BY p.added_at, p.id)::text
                    FROM case_participants p JOIN companies co ON co.id = p.company_id WHERE p.case_id = @caseId) AS participants_json,
                (SELECT json_agg(json_build_array(k.id, k.case_step_id, k.check_in_key, k.occurrence, k.due_at, k.recorded_at, k.recorded_by,
                        k.form_data) ORDER BY k.due_at, k.occurrence)::text
                    FROM case_check_ins k WHERE k.case_id = @caseId) AS check_ins_json,
                (SELECT json_agg(json_build_array(t.id, t.case_step_id, t.participant_id, t.step_key, t.state, t.status, t.version,
                        t.performer_role, t.region_code, t.started_at, t.due_at, t.ended_at, t.updated_at) ORDER BY t.started_at, t.id)::text
                    FROM case_tracks t WHERE t.case_id = @caseId) AS tracks_json
            FROM cases WHERE id = @caseId
            """),
        StatementBatch.PositionalText($"SELECT {StepColumns} FROM case_steps WHERE case_id = @caseId AND completed_at IS NULL ORDER BY started_at, id"),
        StatementBatch.PositionalText($"SELECT {ReminderColumns} FROM reminders WHERE case_id = @caseId AND status IN ('pending', 'paused') ORDER BY due_at, id"),
    ];

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

    public async Task<CaseCommandState?> GetCommandStateAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var lease = await LeaseAsync(cancellationToken);
        var c = lease.Connection;
        if (db.Provider == DatabaseProvider.Postgres && c.CanCreateBatch)
        {
            return await GetCommandStateAsync(c, caseId, cancellationToken);
        }

        var withTracks = db.Provider != DatabaseProvider.Sqlite;
        await using var grid = await c.QueryMultipleAsync(new CommandDefinition(
            withTracks ? CommandStateSql : CommandStateWithoutTracksSql, new { caseId }, cancellationToken: cancellationToken));
        var @case = await grid.ReadSingleOrDefaultAsync<CaseRecord>();
        if (@case is null)
        {
            return null;
        }

        var steps = (await grid.ReadAsync<CaseStepRecord>()).AsList();
        var reminders = (await grid.ReadAsync<ReminderRecord>()).AsList();
        var participants = (await grid.ReadAsync<CaseParticipantRecord>()).AsList();
        var checkIns = (await grid.ReadAsync<CaseCheckInRecord>()).AsList();
        var tracks = withTracks ? (await grid.ReadAsync<CaseTrackRecord>()).AsList() : null;
        return new CaseCommandState(@case, steps, reminders, participants, checkIns) { Tracks = tracks };
    }

    /// <summary>
    /// The same read on PostgreSQL as one batch of three positional statements (no SQL parsing per execution): the
    /// case row with its side rows as JSON (<see cref="CommandSideRows"/>), the open steps and the open reminders,
    /// each result set mapped by Dapper's row parser.
    /// </summary>
    private static async Task<CaseCommandState?> GetCommandStateAsync(DbConnection c, Guid caseId, CancellationToken k)
    {
        await using var batch = c.CreateBatch();
        foreach (var sql in CommandStatePositional)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            var id = command.CreateParameter();
            id.Value = caseId;
            command.Parameters.Add(id);
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(k);
        if (!await reader.ReadAsync(k))
        {
            return null;
        }

        var @case = reader.GetRowParser<CaseRecord>()(reader);
        var sides = CommandSideRows.Read(reader);
        var steps = await NextRowsAsync<CaseStepRecord>(reader, k);
        var reminders = await NextRowsAsync<ReminderRecord>(reader, k);
        return new CaseCommandState(@case, steps, reminders, sides.Participants, sides.CheckIns) { Tracks = sides.Tracks, HasDrafts = sides.HasDrafts };
    }

    private static async Task<List<T>> NextRowsAsync<T>(DbDataReader reader, CancellationToken k) =>
        await reader.NextResultAsync(k) ? await RowsAsync<T>(reader, k) : [];

    private static async Task<List<T>> RowsAsync<T>(DbDataReader reader, CancellationToken k)
    {
        var rows = new List<T>();
        if (!await reader.ReadAsync(k))
        {
            return rows;
        }

        var parse = reader.GetRowParser<T>();
        do
        {
            rows.Add(parse(reader));
        }
        while (await reader.ReadAsync(k));
        return rows;
    }

    public async Task<IReadOnlyList<CaseStepRecord>> GetStepsAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseStepRecord>(new CommandDefinition(
            $"SELECT {StepColumns} FROM case_steps WHERE case_id = @caseId ORDER BY started_at, id",
            new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyDictionary<Guid, (CaseRecord Case, IReadOnlyList<CaseStepRecord> Steps)>> GetWithStepsAsync(IReadOnlyCollection<Guid> caseIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caseIds);
        if (caseIds.Count == 0)
        {
            return new Dictionary<Guid, (CaseRecord, IReadOnlyList<CaseStepRecord>)>();
        }

        var ids = db.Dialect.IdList(caseIds);
        await using var c = await db.OpenAsync(cancellationToken);
        var found = (await c.QueryAsync<CaseRecord>(new CommandDefinition(
            $"SELECT {CaseColumns} FROM cases WHERE {db.Dialect.InList("id", "@ids")}", new { ids }, cancellationToken: cancellationToken))).ToList();
        var steps = (await c.QueryAsync<CaseStepRecord>(new CommandDefinition(
            $"SELECT {StepColumns} FROM case_steps WHERE {db.Dialect.InList("case_id", "@ids")} ORDER BY case_id, started_at, id",
            new { ids }, cancellationToken: cancellationToken))).ToLookup(s => s.CaseId);
        return found.ToDictionary(r => r.Id, r => (r, (IReadOnlyList<CaseStepRecord>)[.. steps[r.Id]]));
    }

    public async Task<IReadOnlyList<CaseEventRecord>> GetEventsAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseEventRecord>(new CommandDefinition(
            $"SELECT {EventColumns} FROM case_events WHERE case_id = @caseId ORDER BY seq",
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
        return [.. await c.QueryAsync<CaseParticipantRecord>(new CommandDefinition(ParticipantSelect, new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<CaseCheckInRecord>> GetCheckInsAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseCheckInRecord>(new CommandDefinition(CheckInSelect, new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<CaseNoteRecord>> GetNotesAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseNoteRecord>(new CommandDefinition(
NoteSelect, new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<CaseAttachmentRecord>> GetAttachmentsAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseAttachmentRecord>(new CommandDefinition(
            $"SELECT {AttachmentColumns}, removed_at FROM case_attachments WHERE case_id = @caseId ORDER BY uploaded_at, id", new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<CaseAttachmentRecord?> GetAttachmentAsync(Guid attachmentId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<CaseAttachmentRecord>(new CommandDefinition(
            $"SELECT {AttachmentColumns}, removed_at FROM case_attachments WHERE id = @attachmentId", new { attachmentId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<CaseMessageRecord>> GetMessagesAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseMessageRecord>(new CommandDefinition(
MessageSelect, new { caseId }, cancellationToken: cancellationToken))];
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
    internal static async Task<IReadOnlyList<CaseEventRecord>> AppendEventsAsync(DbConnection c, DbTransaction tx, Guid caseId, IReadOnlyList<CaseEventRecord> events, CancellationToken k)
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
        c.ExecuteAsync(new CommandDefinition(InsertEvent, events.ToList(), tx, cancellationToken: k));
}
