using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Translations;

namespace TIBS.Cases.Core.Definitions;

/// <summary>The names of the administration log's actions on definition translations.</summary>
internal static class TranslationActions
{
    public const string Saved = "definition-translation-saved";
}

/// <summary>
/// The translations of a published version, one line per language: how complete each is (translated of total, the
/// texts still in English), when and by whom it was last saved, and its row version for the next upload.
/// </summary>
public sealed class GetDefinitionTranslations(IWorkflowStore store, IDefinitionTranslationStore translations)
{
    public sealed record Request(string Key, int Number);

    /// <summary>One language of the version; <see cref="Stored"/> is null when it has no translation yet.</summary>
    public sealed record Language(string Code, string Name, TranslationReport Report, DefinitionTranslationRecord? Stored, bool Unreadable);

    public sealed record Result(CaseCommandStatus Status)
    {
        public WorkflowVersionRecord? Version { get; init; }

        public IReadOnlyList<Language> Languages { get; init; } = [];
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: false, cancellationToken);
        if (definition is null)
        {
            return new Result(refused!.Status);
        }

        if (request.Number < 1 || await store.GetVersionAsync(definition.DefinitionKey, request.Number, cancellationToken) is not { IsPublished: true } version
            || WorkflowDefinitions.Check(version.Content) is not { IsValid: true, Document: { } document })
        {
            return new Result(CaseCommandStatus.NotFound);
        }

        var stored = (await translations.ListAsync(version.Id, cancellationToken)).ToDictionary(t => t.Language, StringComparer.Ordinal);
        var languages = DefinitionTranslations.Languages.Select(code =>
        {
            var row = stored.GetValueOrDefault(code);
            var load = row is null ? null : TranslationSidecar.Load(row.Content, code);
            var translation = load?.Translation ?? new DefinitionTranslation(code, new Dictionary<string, string>());
            return new Language(code, TranslationRules.NativeName(code), DefinitionTranslations.Report(document, translation), row, load is { Succeeded: false });
        });
        return new Result(CaseCommandStatus.Done) { Version = version, Languages = [.. languages] };
    }
}

/// <summary>
/// A language's sidecar of a published version as a file: the saved one as it was written, or, when there is none, one
/// to fill in (every text's key with the English as a comment).
/// </summary>
public sealed class DownloadDefinitionTranslation(IWorkflowStore store, IDefinitionTranslationStore translations)
{
    public sealed record Request(string Key, int Number, string Language);

    public sealed record Result(CaseCommandStatus Status, string FileName = "", string Content = "");

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: false, cancellationToken);
        if (definition is null)
        {
            return new Result(refused!.Status);
        }

        if (!DefinitionTranslations.Languages.Contains(request.Language, StringComparer.Ordinal) || request.Number < 1
            || await store.GetVersionAsync(definition.DefinitionKey, request.Number, cancellationToken) is not { IsPublished: true } version
            || WorkflowDefinitions.Check(version.Content) is not { IsValid: true, Document: { } document })
        {
            return new Result(CaseCommandStatus.NotFound);
        }

        var row = await translations.GetAsync(version.Id, request.Language, cancellationToken);
        var content = row?.Content ?? DefinitionTranslations.Write(document, request.Language);
        return new Result(CaseCommandStatus.Done, $"{definition.DefinitionKey}-v{version.Number}.{request.Language}.yaml", content);
    }
}
