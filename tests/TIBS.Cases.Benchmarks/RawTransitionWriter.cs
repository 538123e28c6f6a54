using System.Data.Common;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;

namespace TIBS.Cases.Benchmarks;

/// <summary>The baseline's optimistic-concurrency check failed: someone else changed the case.</summary>
internal sealed class RawConflictException(string message) : Exception(message);

/// <summary>
/// The baseline: per transition the same rows the engine writes, with plain ADO.NET (DbConnection, DbCommand, DbBatch,
/// DbParameter; no Dapper, no engine). Like the engine it reads what its write depends on from the database in one
/// round trip (the case's version and chain head, the open step record, the open reminders), chains the event with the
/// engine's own hashing (<see cref="AuditChain.Append"/>), and writes in one transaction, as one batch where the
/// driver batches (PostgreSQL), one command after the other where it does not (SQLite): the case row guarded by its
/// version, the completed step, the next step, the audit event, the cancelled reminders and the new ones. It checks no
/// access, no form and no condition. Payloads (form JSON, event data, case data) are the engine's, prepared before the run.
/// </summary>
internal sealed class RawTransitionWriter(ConnectionFactory factory, Guid actorId)
{
    private const string ReadSql =
        """
        SELECT version, audit_head_hash, audit_count FROM cases WHERE id = @id;
        SELECT id FROM case_steps WHERE case_id = @id AND completed_at IS NULL;
        SELECT id FROM reminders WHERE case_id = @id AND status IN ('pending', 'paused');
        """;

    private readonly bool sqlite = factory.Provider == DatabaseProvider.Sqlite;

    public async Task CompleteAsync(Guid caseId, RouteStep s)
    {
        await using var connection = await factory.OpenAsync();
        var (version, head, count, stepRecordId, openReminders) = await ReadAsync(connection, caseId);

        var ticks = DateTimeOffset.UtcNow.UtcTicks;
        var now = new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
        var nextStepId = Guid.CreateVersion7(now);
        var evt = AuditChain.Append(caseId, count + 1, head, now, actorId, "step-completed", s.Step.Key, s.EventData);
        var statements = new List<(string Sql, (string Name, object? Value)[] Parameters)>
        {
            ("""
             UPDATE cases SET current_stage = @stage, current_step = @step, step_started_at = @now, step_due_at = @due, data = @data,
                 version = @newVersion, audit_head_hash = @hash, audit_count = @count, updated_at = @now
             WHERE id = @id AND version = @version
             """,
             [("@stage", s.Next.StageKey), ("@step", s.Next.Key), ("@now", now), ("@due", now + s.NextDue), ("@data", s.CaseDataAfter),
              ("@newVersion", version + 1), ("@hash", evt.Hash), ("@count", evt.Seq), ("@id", caseId), ("@version", version)]),
            ("UPDATE case_steps SET completed_at = @now, completed_by = @actor, outcome = @outcome, form_data = @form WHERE id = @id AND completed_at IS NULL",
             [("@now", now), ("@actor", actorId), ("@outcome", s.Outcome.Key), ("@form", s.FormJson), ("@id", stepRecordId)]),
            ("""
             INSERT INTO case_steps (id, case_id, step_key, stage_key, started_at, due_at, completed_at, completed_by, outcome, form_data)
             VALUES (@id, @caseId, @step, @stage, @now, @due, NULL, NULL, NULL, NULL)
             """,
             [("@id", nextStepId), ("@caseId", caseId), ("@step", s.Next.Key), ("@stage", s.Next.StageKey), ("@now", now), ("@due", now + s.NextDue)]),
            ("""
             INSERT INTO case_events (case_id, seq, id, occurred_at, actor_user_id, kind, step_key, data, prev_hash, hash)
             VALUES (@caseId, @seq, @id, @now, @actor, @kind, @step, @data, @prev, @hash)
             """,
             [("@caseId", caseId), ("@seq", evt.Seq), ("@id", evt.Id), ("@now", evt.OccurredAt), ("@actor", actorId), ("@kind", evt.Kind), ("@step", evt.StepKey),
              ("@data", evt.Data), ("@prev", evt.PrevHash), ("@hash", evt.Hash)]),
        };
        statements.AddRange(openReminders.Select(id =>
            ("UPDATE reminders SET status = 'cancelled' WHERE id = @id AND status IN ('pending', 'paused')", new (string, object?)[] { ("@id", id) })));
        statements.AddRange(s.Notices.Select(n =>
            ("""
             INSERT INTO reminders (id, case_id, case_step_id, step_key, notice_key, kind, recipient_role, due_at, status, description, attempts, sent_at, created_at)
             VALUES (@id, @caseId, @stepId, @step, @notice, @kind, @role, @due, 'pending', @description, 0, NULL, @now)
             """,
             new (string, object?)[]
             {
                 ("@id", Guid.CreateVersion7(now)), ("@caseId", caseId), ("@stepId", nextStepId), ("@step", s.Next.Key), ("@notice", n.Key), ("@kind", n.Kind),
                 ("@role", n.RecipientRole), ("@due", now + n.Offset), ("@description", n.Description), ("@now", now),
             })));

        await using var tx = sqlite
            ? await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable)
            : await connection.BeginTransactionAsync();
        if (await WriteAsync(connection, tx, statements) != 1)
        {
            await tx.RollbackAsync();
            throw new RawConflictException($"Case {caseId} was changed by someone else.");
        }

        await tx.CommitAsync();
    }

    private async Task<(int Version, string Head, int Count, Guid StepRecordId, List<Guid> OpenReminders)> ReadAsync(DbConnection connection, Guid caseId)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = ReadSql;
        Add(command.Parameters, command.CreateParameter(), "@id", caseId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new RawConflictException($"Case {caseId} is missing.");
        }

        var (version, head, count) = (reader.GetInt32(0), reader.GetString(1).Trim(), reader.GetInt32(2));
        await reader.NextResultAsync();
        var step = await reader.ReadAsync() ? IdOf(reader) : throw new RawConflictException($"Case {caseId} has no open step.");
        await reader.NextResultAsync();
        var reminders = new List<Guid>();
        while (await reader.ReadAsync())
        {
            reminders.Add(IdOf(reader));
        }

        return (version, head, count, step, reminders);
    }

    /// <summary>Runs the statements (one batch where the driver has batches); returns the rows the first one changed.</summary>
    private async Task<int> WriteAsync(DbConnection connection, DbTransaction tx, List<(string Sql, (string Name, object? Value)[] Parameters)> statements)
    {
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = tx;
            await using var parameters = connection.CreateCommand();
            foreach (var (sql, values) in statements)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = sql;
                foreach (var (name, value) in values)
                {
                    Add(command.Parameters, parameters.CreateParameter(), name, value);
                }

                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync();
            return batch.BatchCommands[0].RecordsAffected;
        }

        var first = -1;
        foreach (var (sql, values) in statements)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            foreach (var (name, value) in values)
            {
                Add(command.Parameters, command.CreateParameter(), name, value);
            }

            var rows = await command.ExecuteNonQueryAsync();
            if (first < 0)
            {
                first = rows;
                if (rows != 1)
                {
                    return rows;
                }
            }
        }

        return first;
    }

    private static Guid IdOf(DbDataReader reader) => reader.GetValue(0) switch
    {
        Guid g => g,
        var v => Guid.Parse((string)v),
    };

    private void Add(DbParameterCollection parameters, DbParameter p, string name, object? value)
    {
        p.ParameterName = name;
        p.Value = ToDbValue(value);
        parameters.Add(p);
    }

    /// <summary>SQLite keeps Guids and instants as text (the same fixed-width UTC form as the stores); the servers take them as they are.</summary>
    private object ToDbValue(object? value) => value switch
    {
        null => DBNull.Value,
        Guid g when sqlite => g.ToString("D"),
        DateTimeOffset d when sqlite => DapperTypeHandlers.ToSqliteText(d),
        _ => value,
    };
}
