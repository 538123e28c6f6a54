using Microsoft.AspNetCore.StaticFiles;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>The <c>Attachments</c> section: what may be uploaded.</summary>
public sealed class AttachmentOptions
{
    public const string SectionName = "Attachments";

    public long MaxBytes { get; set; } = 20 * 1024 * 1024;

    public string[] AllowedExtensions { get; set; } = [".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".png", ".jpg", ".jpeg", ".txt", ".csv"];
}

/// <summary>Why an upload was refused, and the HTTP status that says so (400 empty, 413 too large, 415 wrong type).</summary>
public sealed record AttachmentProblem(string Message, int StatusCode);

/// <summary>Checks an upload's size, extension and content (the first bytes must fit the extension).</summary>
public static class AttachmentPolicy
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>The name the upload is kept under: its base name only (see <see cref="AttachmentNames"/>).</summary>
    public static string NameOf(IFormFile file) => AttachmentNames.BaseName(file.FileName);

    public static AttachmentProblem? Problem(IFormFile file, AttachmentOptions options)
    {
        var name = NameOf(file);
        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (file.Length == 0)
        {
            return new($"{name} is empty.", StatusCodes.Status400BadRequest);
        }

        if (file.Length > options.MaxBytes)
        {
            return new($"{name} is {file.Length / 1024.0 / 1024.0:0.#} MB; files may be at most {options.MaxBytes / 1024 / 1024} MB.", StatusCodes.Status413PayloadTooLarge);
        }

        if (!options.AllowedExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            return new(
                $"{name}: {(extension.Length == 0 ? "files without an extension" : extension + " files")} cannot be attached; allowed: {string.Join(", ", options.AllowedExtensions)}.",
                StatusCodes.Status415UnsupportedMediaType);
        }

        Span<byte> head = stackalloc byte[8];
        using var stream = file.OpenReadStream();
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head[..read];
        var fits = extension switch
        {
            ".pdf" => bytes.StartsWith("%PDF"u8),
            ".png" => bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]),
            ".jpg" or ".jpeg" => bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
            ".docx" or ".xlsx" or ".pptx" or ".odt" or ".ods" => bytes.StartsWith("PK"u8),
            _ => !bytes.Contains((byte)0),
        };
        return fits ? null : new($"{name} does not look like a {extension} file.", StatusCodes.Status415UnsupportedMediaType);
    }

    public static string ContentTypeOf(string fileName) =>
        ContentTypes.TryGetContentType(fileName, out var type) ? type : "application/octet-stream";
}
