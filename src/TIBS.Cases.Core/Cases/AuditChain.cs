using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Core.Cases;

/// <summary>The result of verifying a case's audit chain.</summary>
public sealed record AuditVerification(bool IsIntact, int EventCount, int? FirstBrokenSeq, string Message);

/// <summary>
/// The tamper-evident audit trail of a case. Each event's hash is SHA-256 over the previous hash and the
/// canonical JSON of the event (fixed member order, UTC instants in ISO-8601 with microseconds, the event's data
/// as its stored JSON). The case row keeps the head hash and the count, so removing the last events is found too.
/// </summary>
public static class AuditChain
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Canonical(Guid caseId, int seq, Guid id, DateTimeOffset occurredAt, Guid? actor, string kind, string? stepKey, string data)
    {
        using var lease = JsonScratch.Rent();
        WriteCanonical(lease.Writer, caseId, seq, id, occurredAt, actor, kind, stepKey, data);
        return lease.Text();
    }

    private static void WriteCanonical(Utf8JsonWriter w, Guid caseId, int seq, Guid id, DateTimeOffset occurredAt, Guid? actor, string kind, string? stepKey, string data)
    {
        Span<char> text = stackalloc char[36];
        w.WriteStartObject();
        w.WriteString("caseId", Format(caseId, text));
        w.WriteNumber("seq", seq);
        w.WriteString("id", Format(id, text));
        Timestamps.Normalize(occurredAt).TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        w.WriteString("occurredAt", text[..written]);
        if (actor is { } a)
        {
            w.WriteString("actor", Format(a, text));
        }
        else
        {
            w.WriteNull("actor");
        }

        w.WriteString("kind", kind);
        w.WriteString("stepKey", stepKey);
        w.WritePropertyName("data");
        w.WriteRawValue(data, skipInputValidation: false);
        w.WriteEndObject();
    }

    private static ReadOnlySpan<char> Format(Guid value, Span<char> text)
    {
        value.TryFormat(text, out var written, "D");
        return text[..written];
    }

    /// <summary>
    /// <see cref="Hash(string, string)"/> of the event's <see cref="Canonical(Guid, int, Guid, DateTimeOffset, Guid?, string, string?, string)"/>
    /// form, hashed from the bytes as they are written rather than through strings: the same hash, less garbage.
    /// Internal for the bulk seed of test programmes, which chains events with given ids.
    /// </summary>
    internal static string HashOf(string prevHash, Guid caseId, int seq, Guid id, DateTimeOffset occurredAt, Guid? actor, string kind, string? stepKey, string data)
    {
        using var lease = JsonScratch.Rent();
        Span<byte> prefix = stackalloc byte[Encoding.UTF8.GetMaxByteCount(prevHash.Length) + 1];
        var length = Encoding.UTF8.GetBytes(prevHash, prefix);
        prefix[length] = (byte)'\n';
        lease.WritePrefix(prefix[..(length + 1)]);
        WriteCanonical(lease.Writer, caseId, seq, id, occurredAt, actor, kind, stepKey, data);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(lease.Written, hash);
        return Convert.ToHexStringLower(hash);
    }

    public static string Canonical(CaseEventRecord e) => Canonical(e.CaseId, e.Seq, e.Id, e.OccurredAt, e.ActorUserId, e.Kind, e.StepKey, e.Data);

    public static string Hash(string prevHash, string canonical) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prevHash + "\n" + canonical)));

    /// <summary>Makes the next event of a case, chained to <paramref name="prevHash"/>.</summary>
    public static CaseEventRecord Append(Guid caseId, int seq, string prevHash, DateTimeOffset occurredAt, Guid? actor, string kind, string? stepKey, string data)
    {
        var id = Guid.CreateVersion7(occurredAt);
        occurredAt = Timestamps.Normalize(occurredAt);
        var hash = HashOf(prevHash, caseId, seq, id, occurredAt, actor, kind, stepKey, data);
        return new CaseEventRecord
        {
            CaseId = caseId,
            Seq = seq,
            Id = id,
            OccurredAt = occurredAt,
            ActorUserId = actor,
            Kind = kind,
            StepKey = stepKey,
            Data = data,
            PrevHash = prevHash,
            Hash = hash,
        };
    }

    /// <summary>
    /// Chains <paramref name="events"/> (made after a head read earlier) after the head the case has now: each keeps its
    /// id, time, actor and content and gets the next position and hashes. The store calls this under the case row's
    /// lock, so records appended meanwhile by the system or by other tracks never make a user's change fail.
    /// </summary>
    public static IReadOnlyList<CaseEventRecord> Rechain(IReadOnlyList<CaseEventRecord> events, string headHash, int count)
    {
        var result = new List<CaseEventRecord>(events.Count);
        foreach (var e in events)
        {
            var seq = count + result.Count + 1;
            var prev = result.Count == 0 ? headHash : result[^1].Hash;
            result.Add(e.Seq == seq && e.PrevHash == prev
                ? e
                : e with { Seq = seq, PrevHash = prev, Hash = HashOf(prev, e.CaseId, seq, e.Id, e.OccurredAt, e.ActorUserId, e.Kind, e.StepKey, e.Data) });
        }

        return result;
    }

    /// <summary>
    /// Appends the next event of <paramref name="case"/> and returns the case as it stands after it: the next
    /// concurrency version, the new head hash and count. Every change of a case goes through here; a closed case
    /// takes only system records (<see cref="CaseClosure"/>), so the event that closes a case is recorded on the case
    /// as it stood before.
    /// </summary>
    public static (CaseRecord Case, CaseEventRecord Event) Record(this CaseRecord @case, DateTimeOffset now, Actor actor, string kind, string? stepKey, string data)
    {
        if (!CaseClosure.Accepts(@case, actor))
        {
            throw new ClosedCaseException(@case);
        }

        var evt = Append(@case.Id, @case.AuditCount + 1, @case.AuditHeadHash, now, actor.AuditId, kind, stepKey, data);
        return (@case with { Version = @case.Version + 1, UpdatedAt = Timestamps.Normalize(now), AuditHeadHash = evt.Hash, AuditCount = evt.Seq }, evt);
    }

    /// <summary>
    /// Like <see cref="Record"/> for a write that only appends (see <see cref="CaseWrite.AppendOnly"/>): the case's
    /// concurrency version stays as it is.
    /// </summary>
    public static (CaseRecord Case, CaseEventRecord Event) RecordAppendOnly(this CaseRecord @case, DateTimeOffset now, Actor actor, string kind, string? stepKey, string data)
    {
        var (advanced, evt) = @case.Record(now, actor, kind, stepKey, data);
        return (advanced with { Version = @case.Version, UpdatedAt = @case.UpdatedAt }, evt);
    }

    /// <summary>Checks every event (edited, removed, reordered or inserted ones are found) and the case's head and count.</summary>
    public static AuditVerification Verify(CaseRecord @case, IReadOnlyList<CaseEventRecord> events)
    {
        var prev = GenesisHash;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var expectedSeq = i + 1;
            if (e.Seq != expectedSeq)
            {
                return Broken(events.Count, e.Seq, Localized.Format("Event {0} is missing or out of order (found event {1} in its place).", expectedSeq, e.Seq));
            }

            if (e.PrevHash != prev)
            {
                return Broken(events.Count, e.Seq, Localized.Format("Event {0} does not follow event {1}: its previous hash does not match.", e.Seq, e.Seq - 1));
            }

            var hash = HashOf(prev, e.CaseId, e.Seq, e.Id, e.OccurredAt, e.ActorUserId, e.Kind, e.StepKey, e.Data);
            if (hash != e.Hash)
            {
                return Broken(events.Count, e.Seq, Localized.Format("Event {0} ({1}) has been altered: its content does not match its hash.", e.Seq, TIBS.Cases.Core.Display.CaseEventDisplay.Title(e.Kind)));
            }

            prev = hash;
        }

        if (events.Count != @case.AuditCount)
        {
            return Broken(events.Count, events.Count + 1, Localized.Format("The case records {0} events but {1} are present.", @case.AuditCount, events.Count));
        }

        if (prev != @case.AuditHeadHash)
        {
            return Broken(events.Count, events.Count, Localized.Text("The last event is not the one the case records as its head."));
        }

        return new AuditVerification(true, events.Count, null, Localized.Format("All {0} events are intact.", events.Count));
    }

    private static AuditVerification Broken(int count, int seq, string message) => new(false, count, seq, message);
}
