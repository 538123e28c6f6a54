using System.Text;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Translations;
using TIBS.Cases.Workflows.Validation;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Workflows;

/// <summary>The result of checking a YAML definition: every problem, with paths and line numbers.</summary>
public sealed record DefinitionCheck(WorkflowDefinitionDocument? Document, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Document is not null && Errors.Count == 0;

    /// <summary>Problems that do not stop publishing (a missing translation, a translated text the version does not have).</summary>
    public IReadOnlyList<ValidationError> Warnings { get; init; } = [];

    /// <summary>Where each path of the document was written.</summary>
    public SourceMap SourceMap { get; init; } = SourceMap.Empty;
}

/// <summary>One-stop entry points for tools (CLI, import at start-up, the definitions editor).</summary>
public static class WorkflowDefinitions
{
    /// <summary>Reads YAML; never throws on bad input.</summary>
    public static WorkflowLoadResult Load(string yaml) => WorkflowYamlLoader.Load(yaml);

    /// <summary>
    /// Reads YAML text and validates it: load errors, or else every validation error, each with its position. Never
    /// throws on bad input (only <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled).
    /// </summary>
    /// <param name="yaml">The definition.</param>
    /// <param name="expected">The key and version its place demands (a file's folder and name, a draft's number), if any.</param>
    /// <param name="cancellationToken">Stops reading; the caller's time budget.</param>
    public static DefinitionCheck Check(string yaml, DefinitionIdentity? expected = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return Validate(WorkflowYamlLoader.Load(yaml, cancellationToken), expected, cancellationToken);
    }

    /// <summary>Reads UTF-8 bytes (a file, an upload) strictly and validates them, like <see cref="Check(string, DefinitionIdentity?, CancellationToken)"/>.</summary>
    public static DefinitionCheck Check(ReadOnlySpan<byte> utf8, DefinitionIdentity? expected = null, CancellationToken cancellationToken = default) =>
        Validate(WorkflowYamlLoader.Load(utf8, cancellationToken), expected, cancellationToken);

    /// <summary>
    /// Reads a definition file: at most <see cref="WorkflowYamlLoader.MaxBytes"/> and one byte, enough to check it and
    /// to report a larger file as too large without ever holding a huge file in memory.
    /// </summary>
    public static byte[] ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[WorkflowYamlLoader.MaxBytes + 1];
        var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return buffer[..length];
    }

    /// <summary>
    /// Reads and checks a file kept as <c>workflows/&lt;key&gt;/v&lt;N&gt;.yaml</c>: besides every problem of its content,
    /// its key must be its folder's name and its version the number in its name (the rule of the start-up import).
    /// </summary>
    public static DefinitionCheck CheckFile(string path)
    {
        var identity = DefinitionIdentity.OfFile(path, out var misnamed);
        var check = Check(ReadFile(path), identity);
        check = misnamed is null ? check : check with { Errors = [.. check.Errors, new ValidationError("", misnamed) { Position = new SourcePosition(1, 1) }] };
        if (check.Document is null)
        {
            return check;
        }

        var errors = new List<ValidationError>(check.Errors);
        var warnings = new List<ValidationError>();
        foreach (var (language, file, load) in ReadTranslations(path))
        {
            if (load is null)
            {
                warnings.Add(new ValidationError("", Localized.Format("There is no {0} translation ({1}); every text is shown in English.", DefinitionTranslations.Shown(language), Path.GetFileName(file)))
                {
                    Severity = ValidationSeverity.Warning,
                    Position = new SourcePosition(1, 1),
                });
            }
            else if (!load.Succeeded)
            {
                errors.AddRange(load.Errors.Select(e => e with { File = file }));
            }
            else
            {
                warnings.AddRange(DefinitionTranslations.Report(check.Document, load.Translation!, check.SourceMap, null, file).Warnings);
            }
        }

        return check with { Errors = errors, Warnings = warnings };
    }

    /// <summary>
    /// The sidecars beside a version file (<c>v2.lv.yaml</c> … for <c>v2.yaml</c>), one per language of
    /// <see cref="DefinitionTranslations.Languages"/>: the file's path and what was read (null when there is none).
    /// </summary>
    public static IReadOnlyList<(string Language, string File, TranslationLoad? Load)> ReadTranslations(string versionFile)
    {
        ArgumentNullException.ThrowIfNull(versionFile);
        return [.. DefinitionTranslations.Languages.Select(language =>
        {
            var file = TranslationSidecar.FileFor(versionFile, language);
            return (language, file, File.Exists(file) ? TranslationSidecar.Load(Text(ReadFile(file)), language) : null);
        })];
    }

    /// <summary>The text of checked UTF-8 bytes, without a byte order mark.</summary>
    public static string Text(ReadOnlySpan<byte> utf8) =>
        Encoding.UTF8.GetString(utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8[3..] : utf8);

    private static DefinitionCheck Validate(WorkflowLoadResult loaded, DefinitionIdentity? expected, CancellationToken cancellationToken)
    {
        if (!loaded.Succeeded)
        {
            return new DefinitionCheck(null, [.. loaded.Errors.Select(e => new ValidationError(e.Path, e.Message) { Position = e.Position })]);
        }

        var problems = WorkflowValidator.Validate(loaded.Document!, cancellationToken).Concat(expected?.Compare(loaded.Document!) ?? []).ToList();
        return new DefinitionCheck(loaded.Document, WorkflowValidator.WithPositions(problems, loaded.SourceMap)) { SourceMap = loaded.SourceMap };
    }

    /// <summary>Reads, validates and compiles YAML; throws <see cref="WorkflowDefinitionException"/> listing every problem.</summary>
    public static WorkflowPlan Compile(string yaml)
    {
        var check = Check(yaml);
        return check.IsValid ? WorkflowPlan.Compile(check.Document!) : throw new WorkflowDefinitionException(check.Errors);
    }

    public static string ToYaml(WorkflowDefinitionDocument document) => WorkflowYamlWriter.ToYaml(document);

    public static string ContentHash(WorkflowDefinitionDocument document) => WorkflowYamlWriter.ContentHash(document);
}
