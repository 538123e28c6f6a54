namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Removes stored files that no attachment row owns: what a process left behind when it stopped between storing a
/// file and committing its row. Such a file is never served or counted (both go through rows); this only frees the
/// space. A file younger than <see cref="Request.MinimumAge"/> is left alone, since its command may still commit.
/// </summary>
/// <remarks>Training certificates live in the same storage under their broker's id; they are kept as their rows say.</remarks>
public sealed class SweepAttachmentFiles(IAttachmentStorage storage, ICaseStore cases, TimeProvider time, Training.ITrainingStore? training = null)
{
    public static readonly TimeSpan DefaultMinimumAge = TimeSpan.FromHours(1);

    public sealed record Request(TimeSpan? MinimumAge = null);

    /// <summary>How many files were removed.</summary>
    public async Task<int> HandleAsync(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var before = time.GetUtcNow() - (request.MinimumAge ?? DefaultMinimumAge);
        var files = await storage.ListWrittenBeforeAsync(before, cancellationToken);
        var removed = 0;
        foreach (var ofCase in files.GroupBy(f => f.CaseId))
        {
            var recorded = (await cases.GetAttachmentsAsync(ofCase.Key, cancellationToken)).Where(a => a.RemovedAt is null).Select(a => a.StorageKey).ToHashSet(StringComparer.Ordinal);
            // Certificate rows are read only for a folder with files no attachment row owns (a broker's folder, or leftovers).
            if (training is not null && ofCase.Any(f => !recorded.Contains(f.StorageKey)))
            {
                recorded.UnionWith(await training.CertificateKeysAsync(ofCase.Key, cancellationToken));
            }

            foreach (var file in ofCase.Where(f => !recorded.Contains(f.StorageKey)))
            {
                await storage.DeleteAsync(file.StorageKey, cancellationToken);
                removed++;
            }
        }

        return removed;
    }
}
