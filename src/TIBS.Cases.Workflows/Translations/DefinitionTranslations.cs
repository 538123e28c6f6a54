using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Validation;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Workflows.Translations;

/// <summary>
/// How complete one language's translation of a version is: <see cref="Translated"/> of <see cref="Total"/> texts,
/// the <see cref="Missing"/> ones, and <see cref="Warnings"/> with path and line (a missing text where the version
/// writes it, a key the version does not have where the sidecar writes it).
/// </summary>
public sealed record TranslationReport(string Language, int Total, int Translated, IReadOnlyList<TranslatableText> Missing, IReadOnlyList<ValidationError> Warnings)
{
    /// <summary>Whole percent translated, rounded down (99 until the last text is there); 100 for a version without texts.</summary>
    public int Percent => Total == 0 ? 100 : Translated * 100 / Total;

    public bool IsComplete => Missing.Count == 0;

    /// <summary>The warnings about texts the sidecar has and the version does not (a step, field or choice of another id), each on its sidecar line.</summary>
    public IReadOnlyList<ValidationError> Unknown { get; init; } = [];
}

/// <summary>
/// Translations of a definition's texts: the languages besides English, which texts there are (<see cref="TextsOf"/>),
/// how complete a sidecar is (<see cref="Report"/>), the version in another language (<see cref="Apply"/>, English for
/// every text not translated) and a sidecar to fill in (<see cref="Write"/>). The version's content hash never sees a
/// translation: translations improve without a new version.
/// </summary>
public static class DefinitionTranslations
{
    /// <summary>The languages a definition is translated into (English is the version itself): pl lv et lt fi de da sv.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["pl", "lv", "et", "lt", "fi", "de", "da", "sv"];

    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The language of <paramref name="culture"/> when a definition can be translated into it; null for English and the rest.</summary>
    public static string? LanguageOf(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var language = culture.TwoLetterISOLanguageName;
        return Languages.Contains(language, StringComparer.Ordinal) ? language : null;
    }

    /// <summary>Every text of <paramref name="document"/> a translation covers, in the version's order.</summary>
    public static IReadOnlyList<TranslatableText> TextsOf(WorkflowDefinitionDocument document) => TranslatableTexts.Of(document);

    /// <summary>
    /// Compares a translation with its version. <paramref name="sourceMap"/> places a missing text on its line in the
    /// version (<paramref name="versionFile"/>); a key the version does not have is placed on its line in the sidecar
    /// (<paramref name="sidecarFile"/>). Both are warnings: publishing goes on, English stands in.
    /// </summary>
    public static TranslationReport Report(
        WorkflowDefinitionDocument document, DefinitionTranslation translation, SourceMap? sourceMap = null, string? versionFile = null, string? sidecarFile = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(translation);
        var texts = TextsOf(document);
        var missing = texts.Where(t => translation.Find(t.Key) is null).ToList();
        var known = texts.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        var warnings = new List<ValidationError>();
        foreach (var text in missing)
        {
            warnings.Add(new ValidationError(text.SourcePath, sidecarFile is null
                ? Localized.Format("No {0} translation of \"{1}\": add '{2}' to the translation.", Shown(translation.Language), Shorten(text.English), text.Key)
                : Localized.Format("No {0} translation of \"{1}\": add '{2}' to {3}.", Shown(translation.Language), Shorten(text.English), text.Key, sidecarFile))
            {
                Severity = ValidationSeverity.Warning,
                Position = sourceMap?.Locate(text.SourcePath),
                File = versionFile,
            });
        }

        foreach (var key in translation.Texts.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal))
        {
            warnings.Add(new ValidationError(key, Localized.Format("The version has no text '{0}' to translate (a step, field, outcome or choice of another id?); this {1} text is not used.", key, Shown(translation.Language)))
            {
                Severity = ValidationSeverity.Warning,
                Position = translation.Positions.TryGetValue(key, out var p) ? p : new SourcePosition(1, 1),
                File = sidecarFile,
            });
        }

        return new TranslationReport(translation.Language, texts.Count, texts.Count - missing.Count, missing, warnings)
        {
            Unknown = [.. warnings.Skip(missing.Count)],
        };
    }

    /// <summary>
    /// What is wrong with the translated texts themselves (a name broken across lines, a text far too long): the
    /// version's rules for its texts applied to the translation, each problem placed on its line in the sidecar. The
    /// version's own problems are not repeated. Empty when the translation can be shown.
    /// </summary>
    public static IReadOnlyList<ValidationError> Problems(WorkflowDefinitionDocument document, DefinitionTranslation translation, string? sidecarFile = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(translation);
        var bySource = TextsOf(document).Where(t => translation.Find(t.Key) is not null).ToDictionary(t => t.SourcePath, StringComparer.Ordinal);
        var before = WorkflowValidator.Validate(document).Select(e => e.ToString()).ToHashSet(StringComparer.Ordinal);
        return [.. WorkflowValidator.Validate(Apply(document, translation))
            .Where(e => !before.Contains(e.ToString()))
            .Select(e => bySource.TryGetValue(e.Path, out var text)
                ? new ValidationError(text.Key, e.Message) { Position = translation.Positions.GetValueOrDefault(text.Key, new SourcePosition(1, 1)), File = sidecarFile }
                : new ValidationError("", e.Message) { Position = new SourcePosition(1, 1), File = sidecarFile })];
    }

    /// <summary>The language's name in English, for messages: "Latvian".</summary>
    public static string Name(string language) =>
        CultureInfo.GetCultureInfo(language) is { EnglishName: var name } && !name.StartsWith("Unknown", StringComparison.Ordinal) ? name : language;

    /// <summary>
    /// A language as messages name it: its English name in English ("Latvian"), otherwise its name in itself
    /// ("latviešu"), which reads as the name of the language in every other language's sentence.
    /// </summary>
    internal static string Shown(string language) =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" || CultureInfo.CurrentUICulture.Equals(CultureInfo.InvariantCulture)
            ? Name(language)
            : CultureInfo.GetCultureInfo(language).NativeName;

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "…";

    /// <summary>The document with every translated text in <paramref name="translation"/>'s language; English where there is none. Keys, rules and timings stay.</summary>
    public static WorkflowDefinitionDocument Apply(WorkflowDefinitionDocument document, DefinitionTranslation? translation)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (translation is null || translation.Texts.Count == 0)
        {
            return document;
        }

        string T(string english, params string[] segments) => translation.Find(string.Join('.', segments)) ?? english;
        string? TN(string? english, params string[] segments) => english is null ? null : T(english, segments);

        return document with
        {
            Name = T(document.Name, "name"),
            Description = TN(document.Description, "description"),
            Stages = [.. document.Stages.Select(stage => stage with
            {
                Name = T(stage.Name, "stages", stage.Key, "name"),
                Description = TN(stage.Description, "stages", stage.Key, "description"),
                Steps = [.. stage.Steps.Select(step => ApplyStep(step, translation))],
            })],
            EndStates = [.. document.EndStates.Select(end => end with
            {
                Name = T(end.Name, "end-states", end.Key, "name"),
                Description = TN(end.Description, "end-states", end.Key, "description"),
            })],
            CaseActions = [.. document.CaseActions.Select(action => action with { Label = T(action.Label, "case-actions", action.Key) })],
            CheckIns = [.. document.CheckIns.Select(checkIn => checkIn with
            {
                Name = T(checkIn.Name, "check-ins", checkIn.Key, "name"),
                Form = ApplyFields(checkIn.Form, translation, "check-ins", checkIn.Key, "fields"),
            })],
        };
    }

    private static StepDefinition ApplyStep(StepDefinition step, DefinitionTranslation translation)
    {
        string Key(params string[] rest) => string.Join('.', ["steps", step.Key, .. rest]);
        return step with
        {
            Name = translation.Find(Key("name")) ?? step.Name,
            Description = step.Description is null ? null : translation.Find(Key("description")) ?? step.Description,
            Contributors = [.. step.Contributors.Select(c => c with { Task = translation.Find(Key("contributors", c.Role)) ?? c.Task })],
            Form = ApplyFields(step.Form, translation, "steps", step.Key, "fields"),
            Outcomes = [.. step.Outcomes.Select(o => o with { Label = translation.Find(Key("outcomes", o.Key)) ?? o.Label })],
            Tracks = step.Tracks is not { } tracks ? null : tracks with
            {
                States = [.. tracks.States.Select(s => s with
                {
                    Name = translation.Find(Key("tracks", "states", s.Key, "name")) ?? s.Name,
                    Description = s.Description is null ? null : translation.Find(Key("tracks", "states", s.Key, "description")) ?? s.Description,
                    Outcomes = [.. s.Outcomes.Select(o => o with { Label = translation.Find(Key("tracks", "states", s.Key, "outcomes", o.Key)) ?? o.Label })],
                })],
                Ends = [.. tracks.Ends.Select(e => e with
                {
                    Name = translation.Find(Key("tracks", "ends", e.Key, "name")) ?? e.Name,
                    Description = e.Description is null ? null : translation.Find(Key("tracks", "ends", e.Key, "description")) ?? e.Description,
                })],
            },
        };
    }

    private static IReadOnlyList<FieldDefinition> ApplyFields(IReadOnlyList<FieldDefinition> fields, DefinitionTranslation translation, params string[] at) =>
        [.. fields.Select(field =>
        {
            string Key(params string[] rest) => string.Join('.', [.. at, field.Key, .. rest]);
            return field with
            {
                Label = translation.Find(Key("label")) ?? field.Label,
                Help = field.Help is null ? null : translation.Find(Key("help")) ?? field.Help,
                Options = [.. field.Options.Select(o => translation.Find(Key("options", o.Value)) is { } label ? o with { Label = label } : o)],
                Columns = ApplyFields(field.Columns, translation, [.. at, field.Key, "columns"]),
            };
        })];

    /// <summary>
    /// A sidecar of <paramref name="document"/> for <paramref name="language"/> to fill in or correct: every text's key
    /// nested by ids, the English as a comment above it, the translation (or an empty text) as its value.
    /// </summary>
    public static string Write(WorkflowDefinitionDocument document, string language, DefinitionTranslation? translation = null, IEnumerable<string>? header = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = new StringBuilder();
        foreach (var line in header ?? DefaultHeader(document, language))
        {
            text.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
        }

        var open = new List<string>();
        foreach (var entry in TextsOf(document))
        {
            var parents = entry.Segments.Count - 1;
            var same = 0;
            while (same < open.Count && same < parents && open[same] == entry.Segments[same])
            {
                same++;
            }

            open.RemoveRange(same, open.Count - same);
            for (var i = same; i < parents; i++)
            {
                if (i == 0)
                {
                    text.Append('\n');
                }

                text.Append(' ', i * 2).Append(YamlKey(entry.Segments[i])).Append(":\n");
                open.Add(entry.Segments[i]);
            }

            var indent = new string(' ', parents * 2);
            foreach (var line in entry.English.Split('\n'))
            {
                text.Append(indent).Append("# ").Append(line.TrimEnd()).Append('\n');
            }

            text.Append(indent).Append(YamlKey(entry.Segments[^1])).Append(": ")
                .Append(JsonSerializer.Serialize(translation?.Find(entry.Key) ?? "", Quoting)).Append('\n');
        }

        return text.ToString();
    }

    private static IEnumerable<string> DefaultHeader(WorkflowDefinitionDocument document, string language) =>
    [
        string.Create(CultureInfo.InvariantCulture, $"{Name(language)} ({language}) texts of \"{document.Name}\", version {document.Version} ({document.Key}/v{document.Version}.yaml)."),
        "Each text is under the ids of the version (steps, fields, outcomes by key; choices by value); the English is in the comment above it.",
        "A text left empty is shown in English. This file is not part of the version: correcting it needs no new version.",
    ];

    private static string YamlKey(string key) =>
        WorkflowValidator.IsValidKey(key) ? key : JsonSerializer.Serialize(key, Quoting);
}
