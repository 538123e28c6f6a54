using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.PersonalData;

/// <summary>The kinds of people personal data is about: a company's contact person, a user of TIBS.</summary>
public static class PersonalSubjectKinds
{
    public const string Contact = "contact";
    public const string User = "user";
}

/// <summary>What a vault row holds: a note's text, or the tombstone of an erased contact person (the company shows it as erased).</summary>
public static class PersonalDataFields
{
    public const string NoteText = "note-text";
    public const string ContactPerson = "contact-person";
}

/// <summary>
/// One piece of personal data in the vault (<c>personal_data</c>), about one person. <see cref="Ref"/> is what audit
/// events carry instead of the value; a value about two people has one ref and two rows. After erasure
/// <see cref="Value"/> and <see cref="Salt"/> are null and <see cref="ErasedAt"/>, <see cref="ErasureReason"/> say when and why.
/// </summary>
public sealed record PersonalDataRecord
{
    public required Guid Ref { get; init; }
    public required string SubjectKind { get; init; }
    public required Guid SubjectId { get; init; }

    /// <summary>What the value is: <c>note-text</c>, <c>contact-person</c> (the erased contact person's own row), …</summary>
    public required string Field { get; init; }

    public Guid? CaseId { get; init; }

    /// <summary>Where the value is used: <c>case_notes:&lt;note id&gt;</c>, <c>company:&lt;company id&gt;</c>.</summary>
    public required string Source { get; init; }

    public string? Value { get; init; }
    public string? Salt { get; init; }
    public required string Commitment { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ErasedAt { get; init; }
    public string? ErasureReason { get; init; }
}

/// <summary>A value read through its reference: the value, or when it was erased.</summary>
public sealed record PersonalValue(string? Value, DateTimeOffset? ErasedAt)
{
    /// <summary>What everyone sees: the value, or "Erased on 2026-12-03" (in the reader's language and date format).</summary>
    public string Shown => Value ?? Erased(ErasedAt);

    public static string Erased(DateTimeOffset? at) =>
        at is { } when ? Localized.Format("Erased on {0}", Day(when)) : Localized.Text("Erased");

    /// <summary>
    /// The day of an erasure as every page states it: its day in UTC, in the reader's date format. The texts an erasure
    /// overwrites carry that day ("Erased on 2026-12-04"), written once for every reader; a day in each reader's time
    /// zone would differ from them for part of the day.
    /// </summary>
    public static string Day(DateTimeOffset at) =>
        DateOnly.FromDateTime(at.UtcDateTime).ToString("d", Languages.FormatCulture(Languages.Current));
}

/// <summary>
/// How events carry personal data (decision 0043): <c>{"$pd": "&lt;ref&gt;", "c": "&lt;commitment&gt;"}</c> in place of
/// the value. The commitment is SHA-256 over the salt and the value, so the hash chain covers the reference and the
/// commitment only, and a value still in the vault can be checked against what the chain recorded.
/// </summary>
internal static class PersonalDataRefs
{
    public const string RefKey = "$pd";
    public const string CommitmentKey = "c";

    public static string Commitment(string salt, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + "\n" + value)));

    /// <summary>Puts <paramref name="value"/> in the vault under each subject; returns the JSON the event carries and the vault rows.</summary>
    public static (JsonObject Reference, IReadOnlyList<PersonalDataRecord> Rows) Store(
        string value, string field, Guid? caseId, string source, IEnumerable<(string Kind, Guid Id)> subjects, DateTimeOffset now)
    {
        var reference = Guid.CreateVersion7(now);
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var commitment = Commitment(salt, value);
        var rows = subjects.Distinct().Select(s => new PersonalDataRecord
        {
            Ref = reference,
            SubjectKind = s.Kind,
            SubjectId = s.Id,
            Field = field,
            CaseId = caseId,
            Source = source,
            Value = value,
            Salt = salt,
            Commitment = commitment,
            CreatedAt = now,
        }).ToList();
        return (new JsonObject { [RefKey] = reference.ToString(), [CommitmentKey] = commitment }, rows);
    }

    /// <summary>The vault reference a JSON value holds, or null when it holds the value itself.</summary>
    public static Guid? RefOf(JsonNode? node) =>
        node is JsonObject o && o[RefKey] is JsonValue v && Guid.TryParse(v.ToString(), out var id) ? id : null;

    /// <summary>Every vault reference in a stored event's data (anywhere in it).</summary>
    public static IEnumerable<Guid> RefsIn(string? json)
    {
        if (string.IsNullOrEmpty(json) || !json.Contains("\"" + RefKey + "\"", StringComparison.Ordinal))
        {
            return [];
        }

        try
        {
            var found = new List<Guid>();
            Collect(JsonNode.Parse(json), found);
            return found;
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    private static void Collect(JsonNode? node, List<Guid> found)
    {
        switch (node)
        {
            case JsonObject o when RefOf(o) is { } id:
                found.Add(id);
                break;
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    Collect(child, found);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Collect(child, found);
                }

                break;
        }
    }
}

/// <summary>The vault and the places personal data is kept, for reading by reference, exporting and erasing.</summary>
public interface IPersonalDataStore
{
    /// <summary>The values (or erasure dates) of <paramref name="refs"/>, in one round trip.</summary>
    Task<IReadOnlyDictionary<Guid, PersonalValue>> ResolveAsync(IReadOnlyCollection<Guid> refs, CancellationToken cancellationToken = default);

    /// <summary>Every vault row about the person.</summary>
    Task<IReadOnlyList<PersonalDataRecord>> OfSubjectAsync(string subjectKind, Guid subjectId, CancellationToken cancellationToken = default);

    /// <summary>The contact persons of the companies, by company (the case's companies, for the note marker).</summary>
    Task<IReadOnlyList<ContactOfCompany>> ContactsOfAsync(IReadOnlyCollection<Guid> companyIds, CancellationToken cancellationToken = default);

    /// <summary>Contact persons whose name or e-mail contains <paramref name="text"/> (case ignored), at most 50, by name.</summary>
    Task<IReadOnlyList<ContactOfCompany>> SearchContactsAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>When the contact persons of a company were erased (the company page shows them as erased).</summary>
    Task<IReadOnlyList<DateTimeOffset>> ErasedContactsAsync(Guid companyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every row of every table (found in the database catalogue) with a text column containing one of
    /// <paramref name="values"/>, the audit trail included, each row as column → text.
    /// </summary>
    Task<IReadOnlyList<FoundRow>> FindRowsAsync(IReadOnlyCollection<string> values, CancellationToken cancellationToken = default);

    /// <summary>The audit events a user wrote (their actor id), each as a found row of <c>case_events</c> with its case reference.</summary>
    Task<IReadOnlyList<FoundRow>> ActedEventsAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Erases in one transaction: see <see cref="PersonalDataErasure"/>.</summary>
    Task<ErasureOutcome> EraseAsync(PersonalDataErasure erasure, CancellationToken cancellationToken = default);
}

/// <summary>A contact person of a company, named for choosing (the note marker, the erasure page).</summary>
public sealed record ContactOfCompany(Guid Id, Guid CompanyId, string CompanyName, string Name);

/// <summary>A row found by <see cref="IPersonalDataStore.FindRowsAsync"/>: its table and its text columns.</summary>
public sealed record FoundRow(string Table, IReadOnlyDictionary<string, string?> Columns);

/// <summary>
/// What one erasure writes, all in one transaction: the vault rows of the subject (and every row sharing their refs)
/// lose value and salt; the notes whose text they held are blanked; the contact person's row is deleted and a
/// tombstone kept in the vault; every text column outside the audit trail that still contains one of
/// <see cref="Values"/> has it replaced; each affected case gets the system record; the administration log its line.
/// </summary>
public sealed record PersonalDataErasure(
    string SubjectKind,
    Guid SubjectId,
    Guid? CompanyId,
    IReadOnlyList<string> Values,
    string Reason,
    DateTimeOffset At,
    Func<Guid, int, Audit.SystemRecord> CaseRecord,
    Accounts.Administration.AdministrationLogEntry LogEntry);

/// <summary>What an erasure did: places overwritten, cases recorded, and the audit events it could not change.</summary>
public sealed record ErasureOutcome(int VaultValues, int Notes, int OtherPlaces, IReadOnlyList<string> CaseReferences, IReadOnlyList<PlaintextPlace> Remaining);

/// <summary>Audit events of a case written before the vault (or typed without the marker) that hold an erased value as text.</summary>
public sealed record PlaintextPlace(string CaseReference, int Events);
