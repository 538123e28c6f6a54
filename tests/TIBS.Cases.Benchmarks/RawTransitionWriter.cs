using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TIBS.Cases.Data;

namespace TIBS.Cases.Benchmarks;

/// <summary>What the baseline keeps in memory about one of its cases (read once when the run is prepared).</summary>
internal sealed class RawCase
{
    public required Guid Id { get; init; }
    public required int Version { get; set; }
    public required Guid StepRecordId { get; set; }
    public required List<Guid> PendingReminders { get; set; }
    public required string AuditHeadHash { get; set; }
    public required int AuditCount { get; set; }
}

/// <summary>The baseline's optimistic-concurrency check failed: someone else changed the case.</summary>
internal sealed class RawConflictException(string message) : Exception(message);

/// <summary>
/// The baseline: per transition the same rows the engine writes, with plain ADO.NET (DbConnection, DbCommand,
/// DbParameter; no Dapper, no engine, no reads). One transaction: the case row guarded by its version, the completed
/// step, the next step, the audit event, the cancelled reminders of the completed step and the reminders of the next
/// one. Payloads (form JSON, event data, case data) are the engine's, prepared before the run.
/// </summary>
internal sealed class RawTransitionWriter(ConnectionFactory factory, Guid actorId)
{
    private readonly bool sqlite = factory.Provider == DatabaseProvider.Sqlite;

    public async Task CompleteAsync(RawCase c, RouteStep s)
    {
        var ticks = DateTimeOffset.UtcNow.UtcTicks;
        var now = new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
        var nextStepId = Guid.CreateVersion7(now);
        var eventId = Guid.CreateVersion7(now);
        var seq = c.AuditCount + 1;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{c.AuditHeadHash}|{c.Id:D}|{seq}|{eventId:D}|{now:O}|{actorId:D}|step-completed|{s.Step.Key}|{s.EventData}"))));
        var newReminders = s.Notices.Select(n => (Id: Guid.CreateVersion7(now), Notice: n)).ToList();

        await using var connection = await factory.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var rows = await ExecuteAsync(connection, tx,
            """
            UPDATE cases SET current_stage = @stage, current_step = @step, step_started_at = @now, step_due_at = @due, data = @data,
                version = @newVersion, audit_head_hash = @hash, audit_count = @count, updated_at = @now
            WHERE id = @id AND version = @version
            """,
            ("@stage", s.Next.StageKey), ("@step", s.Next.Key), ("@now", now), ("@due", now + s.NextDue), ("@data", s.CaseDataAfter),
            ("@newVersion", c.Version + 1), ("@hash", hash), ("@count", seq), ("@id", c.Id), ("@version", c.Version));
        if (rows != 1)
        {
            await tx.RollbackAsync();
            throw new RawConflictException($"Case {c.Id} was changed by someone else.");
        }

        await ExecuteAsync(connection, tx,
            "UPDATE case_steps SET completed_at = @now, completed_by = @actor, outcome = @outcome, form_data = @form WHERE id = @id AND completed_at IS NULL",
            ("@now", now), ("@actor", actorId), ("@outcome", s.Outcome.Key), ("@form", s.FormJson), ("@id", c.StepRecordId));
        await ExecuteAsync(connection, tx,
            """
            INSERT INTO case_steps (id, case_id, step_key, stage_key, started_at, due_at, completed_at, completed_by, outcome, form_data)
            VALUES (@id, @caseId, @step, @stage, @now, @due, NULL, NULL, NULL, NULL)
            """,
            ("@id", nextStepId), ("@caseId", c.Id), ("@step", s.Next.Key), ("@stage", s.Next.StageKey), ("@now", now), ("@due", now + s.NextDue));
        await ExecuteAsync(connection, tx,
            """
            INSERT INTO case_events (case_id, seq, id, occurred_at, actor_user_id, kind, step_key, data, prev_hash, hash)
            VALUES (@caseId, @seq, @id, @now, @actor, 'step-completed', @step, @data, @prev, @hash)
            """,
            ("@caseId", c.Id), ("@seq", seq), ("@id", eventId), ("@now", now), ("@actor", actorId), ("@step", s.Step.Key), ("@data", s.EventData),
            ("@prev", c.AuditHeadHash), ("@hash", hash));
        foreach (var id in c.PendingReminders)
        {
            await ExecuteAsync(connection, tx, "UPDATE reminders SET status = 'cancelled' WHERE id = @id AND status IN ('pending', 'paused')", ("@id", id));
        }

        foreach (var (id, n) in newReminders)
        {
            await ExecuteAsync(connection, tx,
                """
                INSERT INTO reminders (id, case_id, case_step_id, step_key, notice_key, kind, recipient_role, due_at, status, description, attempts, sent_at, created_at)
                VALUES (@id, @caseId, @stepId, @step, @notice, @kind, @role, @due, 'pending', @description, 0, NULL, @now)
                """,
                ("@id", id), ("@caseId", c.Id), ("@stepId", nextStepId), ("@step", s.Next.Key), ("@notice", n.Key), ("@kind", n.Kind), ("@role", n.RecipientRole),
                ("@due", now + n.Offset), ("@description", n.Description), ("@now", now));
        }

        await tx.CommitAsync();
        c.Version++;
        c.StepRecordId = nextStepId;
        c.PendingReminders = [.. newReminders.Select(r => r.Id)];
        c.AuditHeadHash = hash;
        c.AuditCount = seq;
    }

    private async Task<int> ExecuteAsync(DbConnection connection, DbTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = ToDbValue(value);
            command.Parameters.Add(p);
        }

        return await command.ExecuteNonQueryAsync();
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
