using System.Globalization;
using System.Text.RegularExpressions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Workflows.Definitions;

/// <summary>
/// The key and version a definition must declare, and where that expectation comes from: a file
/// <c>workflows/&lt;key&gt;/v&lt;N&gt;.yaml</c> (the command line and the start-up import) or a draft of a known definition
/// (the editor and publishing). One rule for every door: the document says the same as its place.
/// </summary>
public sealed partial record DefinitionIdentity
{
    private DefinitionIdentity(string key, int version, string keyMismatch, string versionMismatch)
    {
        Key = key;
        Version = version;
        KeyMismatch = keyMismatch;
        VersionMismatch = versionMismatch;
    }

    public string Key { get; }

    public int Version { get; }

    /// <summary>Format of the message when the key differs: {0} the expected key, {1} the document's key.</summary>
    private string KeyMismatch { get; }

    /// <summary>Format of the message when the version differs: {0} the expected version, {1} the document's version.</summary>
    private string VersionMismatch { get; }

    [GeneratedRegex(@"^v(?<n>[1-9][0-9]{0,5})\.ya?ml\z", RegexOptions.CultureInvariant)]
    private static partial Regex VersionFileName();

    /// <summary>The version number in a file name <c>v&lt;N&gt;.yaml</c> (or <c>.yml</c>); null for any other name.</summary>
    public static int? VersionOfFileName(string fileName) =>
        VersionFileName().Match(fileName) is { Success: true } match ? int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// What a file at <paramref name="path"/> must declare: the key is its folder's name, the version the number in its
    /// name. Null, with <paramref name="problem"/> saying why, when the path does not have the form <c>&lt;key&gt;/v&lt;N&gt;.yaml</c>.
    /// </summary>
    public static DefinitionIdentity? OfFile(string path, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var fileName = Path.GetFileName(full);
        var folder = Path.GetFileName(Path.GetDirectoryName(full) ?? "");
        if (VersionOfFileName(fileName) is not { } number || string.IsNullOrEmpty(folder))
        {
            problem = Localized.Format("The file is named '{0}'; a definition is kept as workflows/<key>/v<N>.yaml (for example workflows/joint-smart-strategy/v3.yaml), and the start-up import reads no other name.", fileName);
            return null;
        }

        problem = null;
        return new DefinitionIdentity(folder, number,
            "The key is '{1}', but the file is in the folder '{0}'; they must be the same.",
            "The version is {1}, but the file name says {0}; they must be the same.");
    }

    /// <summary>What a draft of <paramref name="key"/> numbered <paramref name="version"/> must declare.</summary>
    public static DefinitionIdentity OfDraft(string key, int version) => new(key, version,
        "The key must stay '{0}' (it is '{1}').",
        "The version of this draft must be {0}, the next version number (it is {1}).");

    /// <summary>Every difference between the document's key and version and the expected ones; empty when they agree.</summary>
    public IReadOnlyList<ValidationError> Compare(WorkflowDefinitionDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = new List<ValidationError>();
        if (!string.Equals(document.Key, Key, StringComparison.Ordinal))
        {
            problems.Add(new ValidationError("key", Localized.Format(KeyMismatch, Key, document.Key)));
        }

        if (document.Version != Version)
        {
            problems.Add(new ValidationError("version", Localized.Format(VersionMismatch, Version, document.Version)));
        }

        return problems;
    }
}
