using System.Data.Common;
using Dapper;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Partners.Tracks;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// Partner tracks: read with the case, inserted with the change that starts them, and changed only at the version the
/// command read (a stale version rolls the whole change back as a conflict).
/// </summary>
internal sealed partial class CaseStore
{
    private const string TrackColumns =
        "id, case_id, case_step_id, participant_id, step_key, state, status, version, performer_role, region_code, started_at, due_at, ended_at, updated_at";

    private const string InsertTrack =
        $"""
        INSERT INTO case_tracks ({TrackColumns})
        VALUES (@Id, @CaseId, @CaseStepId, @ParticipantId, @StepKey, @State, @Status, @Version, @PerformerRole, @RegionCode, @StartedAt, @DueAt, @EndedAt, @UpdatedAt)
        """;

    private const string TrackSelect = $"SELECT {TrackColumns} FROM case_tracks WHERE case_id = @caseId ORDER BY started_at, id";

    /// <summary>A completed step's form as the read below gives it: empty (the form is never decided on there).</summary>
    private const string NoForm = "'{}'";

    /// <summary>
    /// The read of the commands on a case's forms and partners, as one command text (one round trip): the command
    /// state (<see cref="CommandStateSql"/>: the case row, open step records, pending and paused reminders,
    /// participants, check-ins, tracks), then the completed step records without their forms. Nothing that grows with
    /// the timeline.
    /// </summary>
    private const string CommandStateWithTracksSql = CommandStateSql +
        $"""
        SELECT id, case_id, step_key, stage_key, started_at, due_at, completed_at, completed_by, outcome, {NoForm} AS form_data
        FROM case_steps WHERE case_id = @caseId AND completed_at IS NOT NULL ORDER BY started_at, id;
        """;

    public async Task<CaseCommandStateWithTracks?> GetCommandStateWithTracksAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var lease = await LeaseAsync(cancellationToken);
        var c = lease.Connection;
        await using var grid = await c.QueryMultipleAsync(new CommandDefinition(CommandStateWithTracksSql, new { caseId }, cancellationToken: cancellationToken));
        if (await grid.ReadSingleOrDefaultAsync<CaseRecord>() is not { } @case)
        {
            return null;
        }

        var state = new CaseCommandState(
            @case,
            (await grid.ReadAsync<CaseStepRecord>()).AsList(),
            (await grid.ReadAsync<ReminderRecord>()).AsList(),
            (await grid.ReadAsync<CaseParticipantRecord>()).AsList(),
            (await grid.ReadAsync<CaseCheckInRecord>()).AsList());
        var tracks = (await grid.ReadAsync<CaseTrackRecord>()).AsList();
        var completed = (await grid.ReadAsync<CaseStepRecord>()).AsList();
        return new CaseCommandStateWithTracks(state with { Tracks = tracks }, completed, tracks);
    }

    public async Task<IReadOnlyList<CaseTrackRecord>> GetTracksAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseTrackRecord>(new CommandDefinition(TrackSelect, new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<CaseTrackRecord>> GetOpenTracksOfRegionAsync(string regionCode, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CaseTrackRecord>(new CommandDefinition(
            $"SELECT {TrackColumns} FROM case_tracks WHERE region_code = @regionCode AND status = 'open' ORDER BY due_at, started_at, id",
            new { regionCode }, cancellationToken: cancellationToken))];
    }

    /// <summary>Each changed track, only from the version before its new one; a track someone else moved makes the change a conflict.</summary>
    private static async Task UpdateTracksAsync(DbConnection c, DbTransaction tx, Core.Cases.CaseWrite write, CancellationToken k)
    {
        foreach (var track in write.UpdatedTracks)
        {
            var rows = await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE case_tracks SET state = @State, status = @Status, version = @Version, ended_at = @EndedAt, updated_at = @UpdatedAt
                WHERE id = @Id AND version = @Expected
                """, new { track.Id, track.State, track.Status, track.Version, track.EndedAt, track.UpdatedAt, Expected = track.Version - 1 }, tx, cancellationToken: k));
            if (rows != 1)
            {
                await tx.RollbackAsync(k);
                throw new ConcurrencyConflictException($"The partner track {track.Id} was changed by someone else.");
            }
        }
    }
}
