using System.Text;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// The name an attachment is stored and offered under: the base name of what the browser sent, whatever its
/// folder separators (/ or \), without control characters, never "." or "..", at most 255 characters.
/// </summary>
internal static class AttachmentNames
{
    public const int MaxLength = 255;
    public const string Fallback = "attachment";

    public static string BaseName(string? submitted)
    {
        var raw = submitted ?? "";
        var cut = raw.LastIndexOfAny(['/', '\\']);
        var name = cut >= 0 ? raw[(cut + 1)..] : raw;
        var clean = new StringBuilder(name.Length);
        foreach (var c in name.Where(c => !char.IsControl(c) && c is not ('\u2028' or '\u2029' or '\u202E' or '\u202D' or '\u202A' or '\u202B' or '\u202C')))
        {
            clean.Append(c);
        }

        var result = clean.ToString().Trim().TrimStart('.').Trim();
        if (result.Length == 0)
        {
            return Fallback;
        }

        if (result.Length > MaxLength)
        {
            var extension = Path.GetExtension(result);
            result = extension.Length is > 0 and <= 16
                ? string.Concat(result.AsSpan(0, MaxLength - extension.Length), extension)
                : result[..MaxLength];
        }

        return result;
    }
}
