using System.Data.Common;
using System.Text.Json;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Partners.Tracks;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// The side rows of a command's read on PostgreSQL, carried by the case row's own statement as JSON arrays of
/// positional values (<c>json_build_array</c>, in the order of the columns named there), so that the read is three
/// statements like the raw baseline's and not six. Instants come as ISO 8601 with the session's offset and are kept
/// as UTC, as the row mapping keeps them.
/// </summary>
internal static class CommandSideRows
{
    public sealed record Rows(bool HasDrafts, List<CaseParticipantRecord> Participants, List<CaseCheckInRecord> CheckIns, List<CaseTrackRecord> Tracks);

    /// <summary>The side columns of the current row (named <c>has_drafts</c>, <c>participants_json</c>, <c>check_ins_json</c>, <c>tracks_json</c>).</summary>
    public static Rows Read(DbDataReader reader)
    {
        var caseId = reader.GetGuid(reader.GetOrdinal("id"));
        return new Rows(
            reader.GetBoolean(reader.GetOrdinal("has_drafts")),
            Parse(reader, "participants_json", r => new CaseParticipantRecord
            {
                Id = r[0].GetGuid(),
                CaseId = caseId,
                CompanyId = r[1].GetGuid(),
                RegionCode = r[2].GetString()!,
                Role = r[3].GetString()!,
                PipelineStatus = r[4].GetString()!,
                MatchScore = r[5].ValueKind == JsonValueKind.Null ? null : r[5].GetDecimal(),
                AddedBy = OptionalGuid(r[6]),
                AddedAt = Instant(r[7]),
                UpdatedAt = Instant(r[8]),
                CountryCode = r[9].GetString()!,
                CompanyName = r[10].GetString()!,
            }),
            Parse(reader, "check_ins_json", r => new CaseCheckInRecord
            {
                Id = r[0].GetGuid(),
                CaseId = caseId,
                CaseStepId = r[1].GetGuid(),
                CheckInKey = r[2].GetString()!,
                Occurrence = r[3].GetInt32(),
                DueAt = Instant(r[4]),
                RecordedAt = Instant(r[5]),
                RecordedBy = OptionalGuid(r[6]),
                FormData = r[7].GetString()!,
            }),
            Parse(reader, "tracks_json", r => new CaseTrackRecord
            {
                Id = r[0].GetGuid(),
                CaseId = caseId,
                CaseStepId = r[1].GetGuid(),
                ParticipantId = r[2].GetGuid(),
                StepKey = r[3].GetString()!,
                State = r[4].GetString()!,
                Status = r[5].GetString()!,
                Version = r[6].GetInt32(),
                PerformerRole = r[7].GetString()!,
                RegionCode = r[8].GetString()!,
                StartedAt = Instant(r[9]),
                DueAt = OptionalInstant(r[10]),
                EndedAt = OptionalInstant(r[11]),
                UpdatedAt = Instant(r[12]),
            }));
    }

    private static List<T> Parse<T>(DbDataReader reader, string column, Func<JsonElement, T> row)
    {
        var ordinal = reader.GetOrdinal(column);
        if (reader.IsDBNull(ordinal))
        {
            return [];
        }

        using var json = JsonDocument.Parse(reader.GetString(ordinal));
        var rows = new List<T>(json.RootElement.GetArrayLength());
        foreach (var element in json.RootElement.EnumerateArray())
        {
            rows.Add(row(element));
        }

        return rows;
    }

    private static DateTimeOffset Instant(JsonElement value) => value.GetDateTimeOffset().ToUniversalTime();

    private static DateTimeOffset? OptionalInstant(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : Instant(value);

    private static Guid? OptionalGuid(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetGuid();
}
