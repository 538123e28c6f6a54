using System.Collections.Concurrent;
using System.Globalization;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Validation;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Core.Workflows;

/// <summary>A definition file that conflicts with what is published; start-up stops with this message.</summary>
public sealed class DefinitionImportException(string message) : Exception(message);

/// <summary>Why a draft could not be published: every validation error, with its path.</summary>
internal sealed class DefinitionInvalidException(IReadOnlyList<ValidationError> errors)
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
public sealed partial class WorkflowCatalog(IWorkflowStore store, TimeProvider time, IDefinitionTranslationStore? translations = null)
{
    /// <summary>What the editor shows when a check does not finish within <see cref="CheckBudget"/>.</summary>
    public static string CheckTookTooLong => Localized.Text("The check took too long and was stopped; the definition is probably far larger or deeper than a workflow needs. Simplify it and save again.");

    private readonly ConcurrentDictionary<Guid, Lazy<Task<WorkflowPlan>>> plans = new();

    /// <summary>
    /// How long a check of a draft may take on a web request before it is stopped and reported as a problem
    /// (<see cref="CheckTookTooLong"/>); the request is answered at once, the check stops at its next step.
    /// </summary>
    public TimeSpan CheckBudget { get; init; } = TimeSpan.FromSeconds(2);

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
            .SelectMany(d => Directory.EnumerateFiles(d).Select(f => (Key: Path.GetFileName(d), File: f, Number: DefinitionIdentity.VersionOfFileName(Path.GetFileName(f)))))
            .Where(x => x.Number is not null)
            .OrderBy(x => x.Key, StringComparer.Ordinal)
            .ThenBy(x => x.Number)
            .ToList();

        foreach (var (key, file, fileNumber) in files)
        {
            var display = $"{key}/{Path.GetFileName(file)}";
            var number = fileNumber!.Value;
            var bytes = WorkflowDefinitions.ReadFile(file);
            var check = WorkflowDefinitions.Check(bytes, DefinitionIdentity.OfFile(file, out _), cancellationToken);
            if (!check.IsValid)
            {
                problems.AddRange(check.Errors.Select(e => $"{display}: {e}{Where(e)}"));
                continue;
            }

            var document = check.Document!;
            var yaml = WorkflowDefinitions.Text(bytes);
            var hash = WorkflowDefinitions.ContentHash(document);
            var existing = await store.GetVersionAsync(key, number, cancellationToken);
            if (existing is null)
            {
                existing = await store.InsertPublishedAsync(key, document.Name, number, yaml, hash, VersionSource.File, null, time.UtcNow(), cancellationToken);
                imported.Add(display);
                await ImportTranslationsAsync(file, display, existing, document, problems, cancellationToken);
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
                await ImportTranslationsAsync(file, display, existing, document, problems, cancellationToken);
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
        ArgumentNullException.ThrowIfNull(yaml);
        var number = await NextNumberAsync(key, cancellationToken);
        var check = await CheckDraftAsync(key, number, yaml, cancellationToken);
        if (System.Text.Encoding.UTF8.GetByteCount(yaml) > WorkflowYamlLoader.MaxBytes)
        {
            throw new DefinitionInvalidException(check.Errors);
        }

        var problems = check.Errors;
        var name = check.Document?.Name ?? (await store.GetDefinitionAsync(key, cancellationToken))?.Name ?? key;
        var hash = check.Document is { } d ? WorkflowDefinitions.ContentHash(d) : Sha256Hex(yaml);
        var draft = await store.SaveDraftAsync(key, name, number, yaml, hash, userId, expectedRowVersion, time.UtcNow(), cancellationToken);
        return (draft, problems);
    }

    /// <summary>Validates the draft and publishes it (one transaction): new cases start on it from now on.</summary>
    public async Task<WorkflowVersionRecord> PublishAsync(Guid draftId, int expectedRowVersion, Guid? userId, string? changeNote = null, CancellationToken cancellationToken = default)
    {
        var draft = await store.GetVersionAsync(draftId, cancellationToken) ?? throw new KeyNotFoundException($"There is no draft {draftId}.");
        if (draft.Status != VersionStatus.Draft)
        {
            throw new ConcurrencyConflictException(Localized.Format("Version {0} of '{1}' is already published.", draft.Number, draft.DefinitionKey));
        }

        var check = await CheckDraftAsync(draft.DefinitionKey, draft.Number, draft.Content, cancellationToken);
        var errors = check.Errors;
        if (errors.Count > 0)
        {
            throw new DefinitionInvalidException(errors);
        }

        return await store.PublishDraftAsync(draftId, expectedRowVersion, userId, time.UtcNow(), changeNote, cancellationToken);
    }

    /// <summary>
    /// Checks a draft's text as version <paramref name="number"/> of <paramref name="key"/>, on a worker thread within
    /// <see cref="CheckBudget"/>: a check that runs longer is stopped and reported as one problem, so that no text can
    /// hold a web request.
    /// </summary>
    public async Task<DefinitionCheck> CheckDraftAsync(string key, int number, string yaml, CancellationToken cancellationToken = default)
    {
        using var budget = CheckBudget > TimeSpan.Zero ? new CancellationTokenSource(CheckBudget, time) : new CancellationTokenSource();
        if (CheckBudget <= TimeSpan.Zero)
        {
            await budget.CancelAsync();
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return await Task.Run(() => WorkflowDefinitions.Check(yaml, DefinitionIdentity.OfDraft(key, number), linked.Token), linked.Token)
                .WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new DefinitionCheck(null, [new ValidationError("", CheckTookTooLong) { Position = new(1, 1) }]);
        }
    }

    /// <summary>The number the next version of <paramref name="key"/> gets: one more than the highest published.</summary>
    public Task<int> NextVersionNumberAsync(string key, CancellationToken cancellationToken = default) => NextNumberAsync(key, cancellationToken);

    private static string Where(ValidationError error) =>
        error.Position is { } p ? $" ({p})" : "";

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
