using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// What may be attached to a case (the <c>Attachments</c> section of the settings): the host binds it from its
/// configuration and registers it; without that, these defaults apply.
/// </summary>
public sealed class AttachmentOptions
{
    public const string SectionName = "Attachments";

    public long MaxBytes { get; set; } = 20 * 1024 * 1024;

    public string[] AllowedExtensions { get; set; } = [".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".png", ".jpg", ".jpeg", ".txt", ".csv"];
}

/// <summary>Why an upload is refused: a door says it in its own terms (HTTP: 400, 413, 415).</summary>
public enum AttachmentProblemKind
{
    Empty,
    TooLarge,
    WrongType,
}

/// <summary>An upload that cannot be attached: which file (by its kept name), why in words, and the kind of problem.</summary>
internal sealed record AttachmentProblem(string FileName, string Message, AttachmentProblemKind Kind);

/// <summary>
/// The rules of an uploaded file, decided by the commands that take files (<see cref="AddAttachment"/>,
/// <see cref="CompleteStep"/>): not empty, within the size limit, an allowed extension, and content whose first
/// bytes fit that extension. The name it is kept under is its base name (<see cref="AttachmentNames"/>).
/// </summary>
internal static class AttachmentPolicy
{
    public static AttachmentProblem? Problem(UploadedFile file, AttachmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        var name = AttachmentNames.BaseName(file.FileName);
        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (file.Length == 0)
        {
            return new(name, Localized.Format("{0} is empty.", name), AttachmentProblemKind.Empty);
        }

        if (file.Length > options.MaxBytes)
        {
            return new(name, Localized.Format("{0} is {1:0.#} MB; files may be at most {2} MB.", name, file.Length / 1024.0 / 1024.0, options.MaxBytes / 1024 / 1024), AttachmentProblemKind.TooLarge);
        }

        if (!options.AllowedExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            return new(
                name,
                extension.Length == 0
                    ? Localized.Format("{0}: files without an extension cannot be attached; allowed: {1}.", name, string.Join(", ", options.AllowedExtensions))
                    : Localized.Format("{0}: {1} files cannot be attached; allowed: {2}.", name, extension, string.Join(", ", options.AllowedExtensions)),
                AttachmentProblemKind.WrongType);
        }

        return FitsExtension(file, extension) ? null : new(name, Localized.Format("{0} does not look like a {1} file.", name, extension), AttachmentProblemKind.WrongType);
    }

    /// <summary>The first problem among <paramref name="files"/>, and every file's problem as an error of its field (the first per field).</summary>
    public static (AttachmentProblem? First, IReadOnlyList<FieldError> Errors) Check(IEnumerable<UploadedFile> files, AttachmentOptions options, string fallbackField)
    {
        ArgumentNullException.ThrowIfNull(files);
        AttachmentProblem? first = null;
        var errors = new List<FieldError>();
        foreach (var file in files)
        {
            if (Problem(file, options) is not { } problem)
            {
                continue;
            }

            first ??= problem;
            var field = file.FieldKey ?? fallbackField;
            if (!errors.Exists(e => e.Field == field))
            {
                errors.Add(new(field, problem.Message));
            }
        }

        return (first, errors);
    }

    private static bool FitsExtension(UploadedFile file, string extension)
    {
        Span<byte> head = stackalloc byte[8];
        using var stream = file.OpenRead();
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head[..read];
        return extension switch
        {
            ".pdf" => bytes.StartsWith("%PDF"u8),
            ".png" => bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]),
            ".jpg" or ".jpeg" => bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
            ".docx" or ".xlsx" or ".pptx" or ".odt" or ".ods" => bytes.StartsWith("PK"u8),
            _ => !bytes.Contains((byte)0),
        };
    }
}
