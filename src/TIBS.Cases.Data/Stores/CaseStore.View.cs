using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Partners.Tracks;

namespace TIBS.Cases.Data.Stores;

/// <summary>The case page's read: one command text, one round trip, one page of the timeline.</summary>
internal sealed partial class CaseStore
{
    private const string EventColumns = "case_id, seq, id, occurred_at, actor_user_id, kind, step_key, data, prev_hash, hash";

    private string? viewSql;

    public async Task<CasePageData?> GetViewAsync(Guid caseId, EventPage page, CancellationToken cancellationToken = default)
    {
        var take = Math.Clamp(page.Take, 1, EventPage.MaxTake);
        var before = page.Before ?? int.MaxValue;
        var sql = viewSql ??= ViewSql();
        await using var c = await db.OpenAsync(cancellationToken);
        await using var grid = await c.QueryMultipleAsync(new CommandDefinition(sql, new { caseId, before, take }, cancellationToken: cancellationToken));
        var @case = await grid.ReadSingleOrDefaultAsync<CaseRecord>();
        if (@case is null)
        {
            return null;
        }

        var steps = (await grid.ReadAsync<CaseStepRecord>()).AsList();
        var shown = (await grid.ReadAsync<CaseEventRecord>()).Reverse().ToList();
        return new CasePageData(
            @case,
            steps,
            shown,
            (await grid.ReadAsync<CaseParticipantRecord>()).AsList(),
            (await grid.ReadAsync<ReminderRecord>()).AsList(),
            (await grid.ReadAsync<CaseCheckInRecord>()).AsList(),
            (await grid.ReadAsync<CaseNoteRecord>()).AsList(),
            (await grid.ReadAsync<CaseAttachmentRecord>()).AsList(),
            (await grid.ReadAsync<CaseMessageRecord>()).AsList(),
            (await grid.ReadAsync<CasePerson>()).AsList())
        {
            Tracks = (await grid.ReadAsync<CaseTrackRecord>()).AsList(),
        };
    }

    /// <summary>The page's command text: the same for every case and page of this store's database, so written once.</summary>
    private string ViewSql()
    {
        var events = db.Dialect.Limit($"SELECT {EventColumns} FROM case_events WHERE case_id = @caseId AND seq < @before ORDER BY seq DESC", "@take");
        return
            $"""
            SELECT {CaseColumns} FROM cases WHERE id = @caseId;
            SELECT {StepColumns} FROM case_steps WHERE case_id = @caseId ORDER BY started_at, id;
            {events};
            {ParticipantSelect};
            SELECT {ReminderColumns} FROM reminders WHERE case_id = @caseId ORDER BY due_at, id;
            {CheckInSelect};
            {NoteSelect};
            SELECT {AttachmentColumns}, removed_at FROM case_attachments WHERE case_id = @caseId ORDER BY uploaded_at, id;
            {MessageSelect};
            SELECT u.id, u.display_name, u.role, u.region_code, u.is_active,
                   CASE WHEN EXISTS (SELECT 1 FROM user_regions ur WHERE ur.user_id = u.id AND ur.region_code = (SELECT region_code FROM cases WHERE id = @caseId)) THEN 1 ELSE 0 END AS covers_case_region
            FROM users u
            WHERE u.id IN (
                SELECT owner_user_id FROM cases WHERE id = @caseId
                UNION SELECT completed_by FROM case_steps WHERE case_id = @caseId
                UNION SELECT actor_user_id FROM case_events WHERE case_id = @caseId AND seq < @before
                    AND seq >= (SELECT CASE WHEN audit_count + 1 < @before THEN audit_count + 1 ELSE @before END FROM cases WHERE id = @caseId) - @take
                UNION SELECT added_by FROM case_participants WHERE case_id = @caseId
                UNION SELECT recorded_by FROM case_check_ins WHERE case_id = @caseId
                UNION SELECT uploaded_by FROM case_attachments WHERE case_id = @caseId)
            OR (u.role = 'broker' AND u.id IN (SELECT user_id FROM user_regions WHERE region_code = (SELECT region_code FROM cases WHERE id = @caseId)))
            ORDER BY u.display_name, u.id;
            {TrackSelect};
            """;
    }
}
