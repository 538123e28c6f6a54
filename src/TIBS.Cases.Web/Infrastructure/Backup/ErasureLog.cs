using System.Text;
using System.Text.Json;
using TIBS.Cases.Core.PersonalData;

namespace TIBS.Cases.Web.Infrastructure.Backup;

/// <summary>
/// One erasure as the log outside the database keeps it: when, whose (the subject's kind and id, their company) and
/// why. Never the erased values: a restore finds them in the restored database and erases them again.
/// </summary>
internal sealed record ErasureLogEntry(DateTimeOffset At, string SubjectKind, Guid SubjectId, Guid? CompanyId, string Reason);

/// <summary>
/// The erasure log (<c>Backup:ErasureLog</c>, one JSON line per erasure, appended and flushed to disk, never rewritten).
/// It is kept outside the database and is not part of a backup, so a restore can re-apply the erasures made after the
/// backup was taken (decision 0055).
/// </summary>
internal sealed class ErasureLog(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock gate = new();

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public void Append(ErasureLogEntry entry)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json) + "\n");
        lock (gate)
        {
            using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Every entry, oldest first; a line that cannot be read is named in the exception.</summary>
    public IReadOnlyList<ErasureLogEntry> ReadAll()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        var entries = new List<ErasureLogEntry>();
        var n = 0;
        foreach (var line in File.ReadLines(Path))
        {
            n++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                entries.Add(JsonSerializer.Deserialize<ErasureLogEntry>(line, Json)!);
            }
            catch (JsonException)
            {
                throw new BackupArchiveException($"The erasure log {Path} cannot be read at line {n}.");
            }
        }

        return entries;
    }
}

/// <summary>The vault with every erasure also appended to the erasure log once the database committed it.</summary>
internal sealed class ErasureLoggingStore(IPersonalDataStore inner, ErasureLog log, ILogger<ErasureLoggingStore> logger) : IPersonalDataStore
{
    public Task<IReadOnlyDictionary<Guid, PersonalValue>> ResolveAsync(IReadOnlyCollection<Guid> refs, CancellationToken cancellationToken = default) => inner.ResolveAsync(refs, cancellationToken);

    public Task<IReadOnlyList<PersonalDataRecord>> OfSubjectAsync(string subjectKind, Guid subjectId, CancellationToken cancellationToken = default) => inner.OfSubjectAsync(subjectKind, subjectId, cancellationToken);

    public Task<IReadOnlyList<ContactOfCompany>> ContactsOfAsync(IReadOnlyCollection<Guid> companyIds, CancellationToken cancellationToken = default) => inner.ContactsOfAsync(companyIds, cancellationToken);

    public Task<IReadOnlyList<ContactOfCompany>> SearchContactsAsync(string text, CancellationToken cancellationToken = default) => inner.SearchContactsAsync(text, cancellationToken);

    public Task<IReadOnlyList<DateTimeOffset>> ErasedContactsAsync(Guid companyId, CancellationToken cancellationToken = default) => inner.ErasedContactsAsync(companyId, cancellationToken);

    public Task<IReadOnlyList<FoundRow>> FindRowsAsync(IReadOnlyCollection<string> values, CancellationToken cancellationToken = default) => inner.FindRowsAsync(values, cancellationToken);

    public Task<IReadOnlyList<FoundRow>> ActedEventsAsync(Guid userId, CancellationToken cancellationToken = default) => inner.ActedEventsAsync(userId, cancellationToken);

    public async Task<ErasureOutcome> EraseAsync(PersonalDataErasure erasure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(erasure);
        var outcome = await inner.EraseAsync(erasure, cancellationToken);
        try
        {
            log.Append(new ErasureLogEntry(erasure.At, erasure.SubjectKind, erasure.SubjectId, erasure.CompanyId, erasure.Reason));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "The erasure of {SubjectKind} {SubjectId} is done but could not be written to the erasure log {Path}: a restore from an older backup would not erase it again. Append it by hand.",
                erasure.SubjectKind, erasure.SubjectId, log.Path);
        }

        return outcome;
    }
}
