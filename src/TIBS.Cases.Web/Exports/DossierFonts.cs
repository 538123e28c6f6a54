using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace TIBS.Cases.Web.Exports;

/// <summary>
/// The dossier's fonts: DejaVu Sans and DejaVu Sans Bold, built into the program (vendored from npm by
/// scripts/vendor-web-libs.sh), covering the Latin letters of every partner country (ą ł ż, ā ķ š, ė ų, õ ä, ß, å ø æ).
/// Every family PDFsharp asks for resolves to them: the machine's fonts are never used, so a fresh server (CI) renders
/// the same dossier.
/// </summary>
internal sealed class DossierFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    private static readonly Lock Gate = new();
    private static readonly ConcurrentDictionary<string, byte[]> Faces = new(StringComparer.Ordinal);

    /// <summary>Makes these fonts PDFsharp's (a process-wide setting), once.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not DossierFonts)
            {
                GlobalFontSettings.FontResolver = new DossierFonts();
            }
        }
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[] GetFont(string faceName) => Faces.GetOrAdd(faceName, Load);

    private static byte[] Load(string faceName)
    {
        var name = $"TIBS.Cases.Web.Exports.Fonts.{faceName}.ttf";
        using var stream = typeof(DossierFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font {faceName} is not built into the program ({name}).");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
