using System.Text;
using System.Text.RegularExpressions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Validation;
using TIBS.Cases.Workflows.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TIBS.Cases.Workflows.Translations;

/// <summary>
/// The texts of one language for one version, read from a sidecar (<c>v2.lv.yaml</c> beside <c>v2.yaml</c>): nested
/// <c>id: text</c> blocks keyed like the version (<c>steps: { intake: { name: Uzņemšana } }</c>), each text under its
/// dotted key (<c>steps.intake.name</c>) with the line it was written on. An empty text counts as not translated.
/// </summary>
public sealed record DefinitionTranslation(string Language, IReadOnlyDictionary<string, string> Texts)
{
    /// <summary>Where each key's text was written in the sidecar.</summary>
    internal IReadOnlyDictionary<string, SourcePosition> Positions { get; init; } = new Dictionary<string, SourcePosition>();

    /// <summary>The translation of <paramref name="key"/>, or null when the sidecar has none (or leaves it empty).</summary>
    public string? Find(string key) => Texts.TryGetValue(key, out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
}

/// <summary>A sidecar read: the translation, or every problem that stops it being read (with line and column).</summary>
public sealed record TranslationLoad(DefinitionTranslation? Translation, IReadOnlyList<ValidationError> Errors)
{
    public bool Succeeded => Translation is not null && Errors.Count == 0;
}

/// <summary>Reads translation sidecars and names their files.</summary>
public static partial class TranslationSidecar
{
    /// <summary>The largest sidecar accepted, in bytes (UTF-8): as large as a definition may be.</summary>
    public const int MaxBytes = WorkflowYamlLoader.MaxBytes;

    [GeneratedRegex(@"^(?<version>v[1-9][0-9]{0,5})\.(?<language>[a-z]{2})\.ya?ml\z", RegexOptions.CultureInvariant)]
    private static partial Regex SidecarFileName();

    /// <summary>The sidecar of <paramref name="versionFile"/> (<c>…/v2.yaml</c>) for <paramref name="language"/>: <c>…/v2.lv.yaml</c>.</summary>
    public static string FileFor(string versionFile, string language)
    {
        ArgumentNullException.ThrowIfNull(versionFile);
        var folder = Path.GetDirectoryName(versionFile) ?? "";
        return Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(versionFile)}.{language}{Path.GetExtension(versionFile)}");
    }

    /// <summary>The language of a sidecar's file name (<c>v2.lv.yaml</c> → <c>lv</c>) when it belongs to <paramref name="versionFile"/>; else null.</summary>
    public static string? LanguageOf(string sidecarFile, string versionFile)
    {
        var match = SidecarFileName().Match(Path.GetFileName(sidecarFile));
        return match.Success && string.Equals(match.Groups["version"].Value, Path.GetFileNameWithoutExtension(versionFile), StringComparison.Ordinal)
            ? match.Groups["language"].Value
            : null;
    }

    /// <summary>Reads a sidecar's text for <paramref name="language"/>. Never throws on bad input.</summary>
    public static TranslationLoad Load(string yaml, string language, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (Encoding.UTF8.GetByteCount(yaml) > MaxBytes)
        {
            return Failed("", new SourcePosition(1, 1), Localized.Format("The translation is larger than {0} KB, the most a translation may be.", MaxBytes / 1024));
        }

        var stream = new YamlStream();
        var parser = new LimitedParser(new Parser(new StringReader(yaml)), cancellationToken);
        try
        {
            stream.Load(parser);
        }
        catch (DefinitionLimitException ex)
        {
            return Failed("", At(ex.Start), ex.Message);
        }
        catch (YamlException ex)
        {
            return Failed("", At(ex.Start), Localized.Format("The YAML is malformed: {0}", YamlMessages.Describe(ex)));
        }

        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var positions = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
        var errors = new List<ValidationError>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new TranslationLoad(new DefinitionTranslation(language, texts), []);
        }

        Walk(stream.Documents[0].RootNode, "", texts, positions, errors);
        return errors.Count > 0
            ? new TranslationLoad(null, errors)
            : new TranslationLoad(new DefinitionTranslation(language, texts) { Positions = positions }, []);
    }

    private static void Walk(YamlNode node, string path, Dictionary<string, string> texts, Dictionary<string, SourcePosition> positions, List<ValidationError> errors)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    Walk(value, path.Length == 0 ? name : $"{path}.{name}", texts, positions, errors);
                }

                break;
            case YamlScalarNode scalar when path.Length > 0:
                texts[path] = (scalar.Value ?? "").Trim();
                positions[path] = At(scalar.Start);
                break;
            default:
                errors.Add(new ValidationError(path, Localized.Text("A translation is 'id: text' pairs, nested by ids (steps, fields, outcomes, choices …); a list is not allowed here."))
                {
                    Position = At(node.Start),
                });
                break;
        }
    }

    private static TranslationLoad Failed(string path, SourcePosition position, string message) =>
        new(null, [new ValidationError(path, message) { Position = position }]);

    private static SourcePosition At(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));
}
