using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;

namespace TIBS.Cases.Testing;

/// <summary>Many due reminder rows on one case's open step, written directly, for dispatch load and crash runs.</summary>
public static class DueReminders
{
    /// <summary>
    /// Cancels the case's own reminder rows and inserts <paramref name="count"/> rows for <paramref name="role"/>, due
    /// one <paramref name="spacing"/> apart before <paramref name="now"/> (the oldest last).
    /// </summary>
    public static async Task SeedAsync(IDbConnectionFactory db, Guid caseId, Guid stepId, string stepKey, int count, DateTimeOffset now, TimeSpan spacing, string role = "coordinator")
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("UPDATE reminders SET status = 'cancelled' WHERE case_id = @caseId", new { caseId });
        await using var tx = await c.BeginTransactionAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO reminders (id, case_id, case_step_id, step_key, notice_key, kind, recipient_role, due_at, status, attempts, created_at)
            VALUES (@Id, @CaseId, @CaseStepId, @StepKey, @NoticeKey, @Kind, @RecipientRole, @DueAt, @Status, 0, @CreatedAt)
            """,
            Enumerable.Range(1, count).Select(i => new ReminderRecord
            {
                Id = Guid.CreateVersion7(),
                CaseId = caseId,
                CaseStepId = stepId,
                StepKey = stepKey,
                NoticeKey = $"due-{i}",
                Kind = "reminder",
                RecipientRole = role,
                DueAt = now - (spacing * i),
                Status = ReminderStatus.Pending,
                CreatedAt = now,
            }),
            tx);
        await tx.CommitAsync();
    }
}
