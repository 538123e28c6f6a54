using System.Collections.Concurrent;
using System.Globalization;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Translations;

namespace TIBS.Cases.Core.Workflows;

/// <summary>The definitions' texts in the reader's language: plans with translated names, labels, help texts and choices.</summary>
public sealed partial class WorkflowCatalog
{
    /// <summary>How long a translated plan is kept before its translation is read again (another server may have saved a new one).</summary>
    private static readonly TimeSpan TranslationRefresh = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(Guid Version, string Language), (DateTimeOffset Read, Task<WorkflowPlan> Plan)> translatedPlans = new();

    /// <summary>
    /// The plan of a version for showing it to people: every text in the language of <paramref name="culture"/> (the
    /// current UI culture by default) where the version's translation has it, in English where it does not. Keys, rules
    /// and timings are the version's own; commands use <see cref="GetPlanAsync"/>.
    /// </summary>
    public async Task<WorkflowPlan> GetDisplayPlanAsync(Guid versionId, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        var plan = await GetPlanAsync(versionId, cancellationToken);
        if (translations is null || DefinitionTranslations.LanguageOf(culture ?? CultureInfo.CurrentUICulture) is not { } language)
        {
            return plan;
        }

        var now = time.GetUtcNow();
        var key = (versionId, language);
        if (!translatedPlans.TryGetValue(key, out var cached) || now - cached.Read > TranslationRefresh || cached.Plan.IsFaulted)
        {
            cached = (now, TranslateAsync(plan, versionId, language, cancellationToken));
            translatedPlans[key] = cached;
        }

        return await cached.Plan.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets the translated plans of a version (its translation was just saved).</summary>
    internal void ForgetTranslations(Guid versionId)
    {
        foreach (var key in translatedPlans.Keys.Where(k => k.Version == versionId))
        {
            translatedPlans.TryRemove(key, out _);
        }
    }

    private async Task<WorkflowPlan> TranslateAsync(WorkflowPlan plan, Guid versionId, string language, CancellationToken cancellationToken)
    {
        var row = await translations!.GetAsync(versionId, language, CancellationToken.None).WaitAsync(cancellationToken);
        if (row is null || TranslationSidecar.Load(row.Content, language) is not { Succeeded: true, Translation: { } translation })
        {
            return plan;
        }

        var version = await store.GetVersionAsync(versionId, CancellationToken.None);
        var check = version is null ? null : WorkflowDefinitions.Check(version.Content);
        return check is { IsValid: true } && WorkflowPlan.TryCompile(DefinitionTranslations.Apply(check.Document!, translation), out var translated, out _)
            ? translated!
            : plan;
    }

    /// <summary>
    /// Imports the sidecars beside a version file (<c>v2.lv.yaml</c> …): a language without a row is inserted; a row the
    /// import wrote before is replaced when the file changed; a row a coordinator wrote is kept. A sidecar that cannot
    /// be read is a problem of the import.
    /// </summary>
    private async Task ImportTranslationsAsync(
        string file, string display, WorkflowVersionRecord version, WorkflowDefinitionDocument document, List<string> problems, CancellationToken cancellationToken)
    {
        if (translations is null)
        {
            return;
        }

        foreach (var (language, sidecar, load) in WorkflowDefinitions.ReadTranslations(file))
        {
            if (load is null)
            {
                continue;
            }

            var content = WorkflowDefinitions.Text(WorkflowDefinitions.ReadFile(sidecar));
            var existing = await translations.GetAsync(version.Id, language, cancellationToken);
            if (existing is not null && (existing.UpdatedBy is not null || existing.Content == content))
            {
                continue; // as imported before, or a coordinator's upload: kept
            }

            var errors = load.Succeeded ? DefinitionTranslations.Problems(document, load.Translation!) : load.Errors;
            if (errors.Count > 0)
            {
                problems.AddRange(errors.Select(e => $"{display} ({Path.GetFileName(sidecar)}): {e}{Where(e)}"));
            }
            else
            {
                await translations.SaveAsync(version.Id, language, content, null, existing?.RowVersion, time.UtcNow(), null, cancellationToken);
                ForgetTranslations(version.Id);
            }
        }
    }
}
