using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Core.Workflows;

/// <summary>A definition file that conflicts with what is published; start-up stops with this message.</summary>
public sealed class DefinitionImportException(string message) : Exception(message);

/// <summary>Why a draft could not be published: every validation error, with its path.</summary>
public sealed class DefinitionInvalidException(IReadOnlyList<ValidationError> errors)
    : Exception("The definition has errors: " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")))
{
    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}

/// <summary>What the start-up import did.</summary>
public sealed record ImportReport(IReadOnlyList<string> Imported, IReadOnlyList<string> Unchanged);

/// <summary>
/// Definitions and their versions: start-up import of <c>workflows/&lt;key&gt;/v&lt;N&gt;.yaml</c>, drafts and
/// publishing, and the compiled plans (compiled once per version id; versions never change, so the cache never
/// needs invalidating).
/// </summary>
public sealed partial class WorkflowCatalog(IWorkflowStore store, TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<WorkflowPlan>>> plans = new();

    [GeneratedRegex(@"^v(?<n>[1-9][0-9]{0,5})\.ya?ml$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionFileName();

    /// <summary>
    /// Imports every <c>&lt;key&gt;/v&lt;N&gt;.yaml</c> under <paramref name="folder"/>: a version not yet in the database is
    /// inserted as published; one that is there with different content is an error, because published versions never
    /// change. Invalid files are errors too; every problem of every file is reported at once.
    /// </summary>
    public async Task<ImportReport> ImportFolderAsync(string folder, CancellationToken cancellationToken = default)
    {
        var imported = new List<string>();
        var unchanged = new List<string>();
        var problems = new List<string>();
        if (!Directory.Exists(folder))
        {
            return new ImportReport(imported, unchanged);
        }

        var files = Directory.EnumerateDirectories(folder)
            .SelectMany(d => Directory.EnumerateFiles(d).Select(f => (Key: Path.GetFileName(d), File: f, Match: VersionFileName().Match(Path.GetFileName(f)))))
            .Where(x => x.Match.Success)
            .OrderBy(x => x.Key, StringComparer.Ordinal)
            .ThenBy(x => int.Parse(x.Match.Groups["n"].Value, CultureInfo.InvariantCulture))
            .ToList();

        foreach (var (key, file, match) in files)
        {
            var display = $"{key}/{Path.GetFileName(file)}";
            var number = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            var yaml = await File.ReadAllTextAsync(file, cancellationToken);
            var check = WorkflowDefinitions.Check(yaml);
            if (!check.IsValid)
            {
                problems.AddRange(check.Errors.Select(e => $"{display}: {e.Path}: {e.Message}"));
                continue;
            }

            var document = check.Document!;
            if (document.Key != key)
            {
                problems.Add($"{display}: key is '{document.Key}' but the file is in the folder '{key}'; they must be the same.");
                continue;
            }

            if (document.Version != number)
            {
                problems.Add($"{display}: version is {document.Version} but the file name says {number}; they must be the same.");
                continue;
            }

            var hash = WorkflowDefinitions.ContentHash(document);
            var existing = await store.GetVersionAsync(key, number, cancellationToken);
            if (existing is null)
            {
                await store.InsertPublishedAsync(key, document.Name, number, yaml, hash, VersionSource.File, null, time.UtcNow(), cancellationToken);
                imported.Add(display);
            }
            else if (!existing.IsPublished)
            {
                problems.Add($"{display}: version {number} of '{key}' is a draft in the database; publish or discard it before adding this file, or name the file v{number + 1}.yaml.");
            }
            else if (existing.ContentHash != hash)
            {
                problems.Add($"{display}: differs from the published version {number} of '{key}' in the database. Published versions never change: put the change in a new file v{await NextNumberAsync(key, cancellationToken)}.yaml.");
            }
            else
            {
                unchanged.Add(display);
            }
        }

        if (problems.Count > 0)
        {
            throw new DefinitionImportException("Workflow definitions in " + folder + " cannot be imported:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)));
        }

        return new ImportReport(imported, unchanged);
    }

    /// <summary>The compiled plan of a version (compiled on first use, then cached by id).</summary>
    public Task<WorkflowPlan> GetPlanAsync(Guid versionId, CancellationToken cancellationToken = default)
    {
        var lazy = plans.GetOrAdd(versionId, id => new Lazy<Task<WorkflowPlan>>(() => CompileAsync(id)));
        var task = lazy.Value;
        if (task.IsFaulted)
        {
            plans.TryRemove(versionId, out _);
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <summary>The published version new cases of <paramref name="key"/> start on, and its plan.</summary>
    public async Task<(WorkflowVersionRecord Version, WorkflowPlan Plan)> GetPublishedAsync(string key, CancellationToken cancellationToken = default)
    {
        var version = await store.GetPublishedVersionAsync(key, cancellationToken)
            ?? throw new InvalidOperationException($"The workflow definition '{key}' has no published version.");
        return (version, await GetPlanAsync(version.Id, cancellationToken));
    }

    /// <summary>
    /// Saves the coordinator's draft of <paramref name="key"/> (creating it when there is none). A draft may be
    /// invalid; the problems are returned so the editor can show them. Its version number is the next one.
    /// </summary>
    public async Task<(WorkflowVersionRecord Draft, IReadOnlyList<ValidationError> Problems)> SaveDraftAsync(
        string key, string yaml, Guid? userId, int? expectedRowVersion, CancellationToken cancellationToken = default)
    {
        var check = WorkflowDefinitions.Check(yaml);
        var number = await NextNumberAsync(key, cancellationToken);
        var problems = check.Errors.ToList();
        if (check.Document is { } doc)
        {
            if (doc.Key != key)
            {
                problems.Add(new ValidationError("key", $"The key must stay '{key}' (it is '{doc.Key}')."));
            }

            if (doc.Version != number)
            {
                problems.Add(new ValidationError("version", $"The version of this draft must be {number}, the next version number (it is {doc.Version})."));
            }
        }

        var name = check.Document?.Name ?? (await store.GetDefinitionAsync(key, cancellationToken))?.Name ?? key;
        var hash = check.Document is { } d ? WorkflowDefinitions.ContentHash(d) : Sha256Hex(yaml);
        var draft = await store.SaveDraftAsync(key, name, number, yaml, hash, userId, expectedRowVersion, time.UtcNow(), cancellationToken);
        return (draft, problems);
    }

    /// <summary>Validates the draft and publishes it (one transaction): new cases start on it from now on.</summary>
    public async Task<WorkflowVersionRecord> PublishAsync(Guid draftId, int expectedRowVersion, Guid? userId, CancellationToken cancellationToken = default)
    {
        var draft = await store.GetVersionAsync(draftId, cancellationToken) ?? throw new KeyNotFoundException($"There is no draft {draftId}.");
        if (draft.Status != VersionStatus.Draft)
        {
            throw new ConcurrencyConflictException($"Version {draft.Number} of '{draft.DefinitionKey}' is already published.");
        }

        var check = WorkflowDefinitions.Check(draft.Content);
        var errors = check.Errors.ToList();
        if (check.Document is { } doc && doc.Version != draft.Number)
        {
            errors.Add(new ValidationError("version", $"The version must be {draft.Number} (it is {doc.Version})."));
        }

        if (check.Document is { } doc2 && doc2.Key != draft.DefinitionKey)
        {
            errors.Add(new ValidationError("key", $"The key must be '{draft.DefinitionKey}' (it is '{doc2.Key}')."));
        }

        if (errors.Count > 0)
        {
            throw new DefinitionInvalidException(errors);
        }

        return await store.PublishDraftAsync(draftId, expectedRowVersion, userId, time.UtcNow(), cancellationToken);
    }

    private async Task<int> NextNumberAsync(string key, CancellationToken cancellationToken)
    {
        var versions = await store.ListVersionsAsync(key, cancellationToken);
        var published = versions.Where(v => v.IsPublished).Select(v => v.Number).DefaultIfEmpty(0).Max();
        return published + 1;
    }

    private async Task<WorkflowPlan> CompileAsync(Guid versionId)
    {
        var version = await store.GetVersionAsync(versionId) ?? throw new KeyNotFoundException($"There is no workflow version {versionId}.");
        return WorkflowDefinitions.Compile(version.Content);
    }

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
