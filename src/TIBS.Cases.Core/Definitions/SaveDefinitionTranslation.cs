using System.Globalization;
using System.Text;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Translations;
using TIBS.Cases.Workflows.Validation;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// A coordinator uploads (or replaces) one language's sidecar of a published version. The file is read and checked
/// first — malformed YAML, a list where texts belong, a translated name broken across lines — and refused with every
/// problem on its line; nothing is saved then. A text the version does not have, or a text still missing, is a
/// warning: the translation is saved and English stands in. The write and its administration log line are one
/// transaction; someone else's save in between is a conflict. No new version: the content hash never sees translations.
/// </summary>
public sealed class SaveDefinitionTranslation(IWorkflowStore store, IDefinitionTranslationStore translations, WorkflowCatalog catalog, TimeProvider time)
{
    /// <param name="ExpectedRowVersion">The row version of the translation the coordinator saw; null when there was none.</param>
    public sealed record Request(string Key, int Number, string? Language, byte[]? Content, int? ExpectedRowVersion);

    public sealed record Result(CaseCommandStatus Status, string Message)
    {
        /// <summary>Why the file was refused, each with its line in the file.</summary>
        public IReadOnlyList<ValidationError> Problems { get; init; } = [];

        /// <summary>What was saved but is worth knowing: texts the version does not have (with their line), how many are missing.</summary>
        public IReadOnlyList<ValidationError> Warnings { get; init; } = [];

        public TranslationReport? Report { get; init; }
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: true, cancellationToken);
        if (definition is null)
        {
            return new Result(refused!.Status, refused.Message);
        }

        if (request.Number < 1 || await store.GetVersionAsync(definition.DefinitionKey, request.Number, cancellationToken) is not { IsPublished: true } version
            || WorkflowDefinitions.Check(version.Content) is not { IsValid: true, Document: { } document })
        {
            return new Result(CaseCommandStatus.NotFound, Localized.Text("The published version was not found."));
        }

        if (request.Language is not { } language || !DefinitionTranslations.Languages.Contains(language, StringComparer.Ordinal))
        {
            return Invalid(Localized.Text("Language: choose one of the languages listed."));
        }

        var name = TranslationRules.EnglishName(language);
        if (request.Content is not { Length: > 0 } bytes)
        {
            return Invalid(Localized.Format("File: choose the {0} translation file (YAML) to upload.", name));
        }

        if (bytes.Length > TranslationSidecar.MaxBytes)
        {
            return Invalid(Localized.Format("File: the file is larger than {0} KB, the most a translation may be.", TranslationSidecar.MaxBytes / 1024));
        }

        if (!TranslationRules.TryDecode(bytes, out var text, out var badLine))
        {
            return Invalid(Localized.Format("File: line {0} is not UTF-8 text. Save the file with the UTF-8 encoding and upload it again.", badLine));
        }

        var load = TranslationSidecar.Load(text, language, cancellationToken);
        var problems = load.Succeeded ? DefinitionTranslations.Problems(document, load.Translation!) : load.Errors;
        if (problems.Count > 0)
        {
            return new Result(CaseCommandStatus.InvalidForm, problems.Count == 1 ? Localized.Format("The {0} translation was not saved: the file has 1 problem.", name) : Localized.Format("The {0} translation was not saved: the file has {1} problems.", name, problems.Count)) { Problems = problems };
        }

        var report = DefinitionTranslations.Report(document, load.Translation!);
        var now = time.UtcNow();
        var entry = AdministrationRules.Entry(actor, TranslationActions.Saved, null, string.Create(CultureInfo.InvariantCulture,
            $"Saved the {name} translation of {definition.Name} version {version.Number}: {report.Translated} of {report.Total} texts translated."), now);
        try
        {
            await translations.SaveAsync(version.Id, language, text, actor.IsSystem ? null : actor.UserId, request.ExpectedRowVersion, now, entry, cancellationToken);
        }
        catch (ConcurrencyConflictException ex)
        {
            return new Result(CaseCommandStatus.Conflict, ex.Message);
        }

        catalog.ForgetTranslations(version.Id);
        return new Result(CaseCommandStatus.Done, Localized.Format("The {0} translation of version {1} is saved: {2} of {3} texts translated ({4}%).", name, version.Number, report.Translated, report.Total, report.Percent))
        {
            Warnings = report.Unknown,
            Report = report,
        };
    }

    private static Result Invalid(string message) => new(CaseCommandStatus.InvalidForm, message);
}

/// <summary>Small rules shared by the translation handlers.</summary>
internal static class TranslationRules
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The language's name in English ("Latvian"), for messages.</summary>
    public static string EnglishName(string code) => DefinitionTranslations.Name(code);

    /// <summary>The language's name in itself ("latviešu"), capitalised, for lists.</summary>
    public static string NativeName(string code)
    {
        var native = CultureInfo.GetCultureInfo(code).NativeName;
        return native.Length == 0 ? code : char.ToUpper(native[0], CultureInfo.GetCultureInfo(code)) + native[1..];
    }

    /// <summary>Strict UTF-8 (a byte order mark is dropped); on failure the 1-based line of the first bad byte.</summary>
    public static bool TryDecode(byte[] bytes, out string text, out int badLine)
    {
        var span = bytes.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }

        try
        {
            text = Strict.GetString(span);
            badLine = 0;
            return true;
        }
        catch (DecoderFallbackException ex)
        {
            var at = Math.Max(0, ex.Index);
            badLine = 1 + span[..Math.Min(at, span.Length)].Count((byte)'\n');
            text = "";
            return false;
        }
    }
}
