using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Exports.Dossier;

namespace TIBS.Cases.Web.Exports;

/// <summary>
/// Lays a <see cref="CaseDossier"/> out as an A4 PDF with PDFsharp: a title, then each section with its headings,
/// labelled facts, paragraphs and tables (rows never split across pages; the header repeats on each page), and a footer
/// with the page number. Text is drawn with embedded Unicode fonts (<see cref="DossierFonts"/>), so it can be read back
/// and searched.
/// </summary>
internal sealed class DossierPdf
{
    public const string MediaType = "application/pdf";

    private const double Margin = 36;
    private const double LabelWidth = 150;
    private const double CellPadding = 3;

    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);

    // The interface's resources, read in the current UI culture when a text is drawn: the page and the API both render
    // the dossier in the reader's language without handing a localizer through.
    private static readonly IStringLocalizer Texts = new ResourceManagerStringLocalizerFactory(
        Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance).Create(typeof(Ui));

    private readonly PdfDocument document = new();
    private readonly XFont title = new(DossierFonts.Family, 18, XFontStyleEx.Bold, Unicode);
    private readonly XFont sectionFont = new(DossierFonts.Family, 13, XFontStyleEx.Bold, Unicode);
    private readonly XFont headingFont = new(DossierFonts.Family, 10.5, XFontStyleEx.Bold, Unicode);
    private readonly XFont body = new(DossierFonts.Family, 9, XFontStyleEx.Regular, Unicode);
    private readonly XFont bold = new(DossierFonts.Family, 9, XFontStyleEx.Bold, Unicode);
    private readonly XFont small = new(DossierFonts.Family, 7.5, XFontStyleEx.Regular, Unicode);
    private readonly XFont smallBold = new(DossierFonts.Family, 7.5, XFontStyleEx.Bold, Unicode);
    private readonly Dictionary<(XFont, string), double> widths = [];
    private XGraphics? graphics;
    private double y;

    static DossierPdf() => DossierFonts.Install();

    private DossierPdf()
    {
    }

    private XGraphics G => graphics!;

    private double Width => XUnit.FromMillimeter(210).Point - (2 * Margin);

    private double Bottom => XUnit.FromMillimeter(297).Point - Margin - 14;

    /// <summary>The dossier as PDF, written to <paramref name="destination"/>.</summary>
    public static async Task WriteAsync(CaseDossier dossier, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dossier);
        ArgumentNullException.ThrowIfNull(destination);
        using var buffer = new MemoryStream();
        Render(dossier).Save(buffer, closeStream: false);
        buffer.Position = 0;
        await buffer.CopyToAsync(destination, cancellationToken);
    }

    /// <summary>The dossier laid out as a PDF document.</summary>
    public static PdfDocument Render(CaseDossier dossier)
    {
        ArgumentNullException.ThrowIfNull(dossier);
        var pdf = new DossierPdf();
        pdf.document.Info.Title = $"{dossier.Title}: {dossier.Subtitle}";
        pdf.document.Info.Creator = "TIBS.Cases";
        pdf.NewPage();
        pdf.Paragraph(dossier.Title, pdf.title, 4);
        pdf.Paragraph(dossier.Subtitle, pdf.headingFont, 2);
        var t = Texts;
        pdf.Paragraph(t["Generated {0}", DossierText.When(dossier.GeneratedAt)], pdf.small, 10);
        foreach (var section in dossier.Sections)
        {
            pdf.Section(section);
        }

        pdf.graphics?.Dispose();
        pdf.Footers(dossier.Title);
        return pdf.document;
    }

    private void NewPage()
    {
        graphics?.Dispose();
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        graphics = XGraphics.FromPdfPage(page);
        y = Margin;
    }

    private void Ensure(double height)
    {
        if (y + height > Bottom)
        {
            NewPage();
        }
    }

    private void Section(DossierSection section)
    {
        Ensure(60);
        y += 8;
        Paragraph(section.Title, sectionFont, 2);
        G.DrawLine(XPens.Gray, Margin, y, Margin + Width, y);
        y += 6;
        foreach (var block in section.Blocks)
        {
            switch (block)
            {
                case DossierHeading h:
                    Ensure(40);
                    y += 4;
                    Paragraph(h.Text, headingFont, 2);
                    break;
                case DossierParagraph p:
                    Paragraph(p.Text, body, 4);
                    break;
                case DossierFacts f:
                    Facts(f.Lines);
                    break;
                case DossierTable t:
                    Table(t);
                    break;
            }
        }
    }

    private void Paragraph(string text, XFont font, double after)
    {
        foreach (var line in Wrap(text, font, Width))
        {
            Ensure(font.Height);
            G.DrawString(line, font, XBrushes.Black, new XPoint(Margin, y + font.Height * 0.8));
            y += font.Height;
        }

        y += after;
    }

    private void Facts(IReadOnlyList<DisplayLine> lines)
    {
        foreach (var line in lines)
        {
            var values = Wrap(line.Value.Length == 0 ? "—" : line.Value, body, Width - LabelWidth);
            var labels = Wrap(line.Label, bold, LabelWidth - 6);
            var height = Math.Max(values.Count, labels.Count) * body.Height;
            if (height > Bottom - Margin)
            {
                // Longer than a page: the label, then the value as paragraphs.
                Paragraph(line.Label, bold, 0);
                Paragraph(line.Value, body, 2);
                continue;
            }

            Ensure(height);
            DrawLines(labels, bold, Margin, y);
            DrawLines(values, body, Margin + LabelWidth, y);
            y += height + 1.5;
        }

        y += 3;
    }

    private void Table(DossierTable table)
    {
        var total = table.Widths.Sum();
        var columns = table.Widths.Select(w => w / total * Width).ToArray();
        var header = table.Headers.Select((h, i) => Wrap(h, smallBold, columns[i] - (2 * CellPadding))).ToList();
        var headerHeight = header.Max(h => h.Count) * smallBold.Height + (2 * CellPadding);
        Ensure(headerHeight + 20);
        Row(header, smallBold, columns, headerHeight, shade: true);
        foreach (var row in table.Rows)
        {
            var cells = row.Select((text, i) => Wrap(text, small, columns[i] - (2 * CellPadding))).ToList();
            var height = cells.Max(c => c.Count) * small.Height + (2 * CellPadding);
            if (y + height > Bottom)
            {
                NewPage();
                Row(header, smallBold, columns, headerHeight, shade: true);
            }

            Row(cells, small, columns, height, shade: false);
        }

        y += 6;
    }

    private void Row(IReadOnlyList<IReadOnlyList<string>> cells, XFont font, double[] columns, double height, bool shade)
    {
        var x = Margin;
        for (var i = 0; i < columns.Length; i++)
        {
            var rect = new XRect(x, y, columns[i], height);
            if (shade)
            {
                G.DrawRectangle(XBrushes.WhiteSmoke, rect);
            }

            G.DrawRectangle(XPens.LightGray, rect);
            DrawLines(i < cells.Count ? cells[i] : [], font, x + CellPadding, y + CellPadding);
            x += columns[i];
        }

        y += height;
    }

    private void DrawLines(IReadOnlyList<string> lines, XFont font, double x, double top)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            G.DrawString(lines[i], font, XBrushes.Black, new XPoint(x, top + (i * font.Height) + (font.Height * 0.8)));
        }
    }

    /// <summary>Text broken into lines that fit <paramref name="width"/>: at spaces, and inside a word only when it is longer than a line.</summary>
    private List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        var space = Measure(" ", font);
        foreach (var paragraph in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = "";
            var lineWidth = 0.0;
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var wordWidth = Measure(word, font);
                if (line.Length > 0 && lineWidth + space + wordWidth <= width)
                {
                    line = $"{line} {word}";
                    lineWidth += space + wordWidth;
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line);
                }

                (line, lineWidth) = (word, wordWidth);
                while (lineWidth > width && line.Length > 1)
                {
                    // A word longer than the line (a hash, an address): cut where it fits.
                    var fit = line.Length - 1;
                    while (fit > 1 && G.MeasureString(line[..fit], font).Width > width)
                    {
                        fit--;
                    }

                    lines.Add(line[..fit]);
                    line = line[fit..];
                    lineWidth = G.MeasureString(line, font).Width;
                }
            }

            lines.Add(line);
        }

        return lines;
    }

    private double Measure(string text, XFont font)
    {
        if (!widths.TryGetValue((font, text), out var width))
        {
            width = G.MeasureString(text, font).Width;
            if (widths.Count < 50_000)
            {
                widths[(font, text)] = width;
            }
        }

        return width;
    }

    private void Footers(string title)
    {
        var count = document.PageCount;
        for (var i = 0; i < count; i++)
        {
            using var g = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
            var t = Texts;
            var text = t["{0} — page {1} of {2}", title, (i + 1).ToString(CultureInfo.CurrentCulture), count.ToString(CultureInfo.CurrentCulture)].Value;
            g.DrawString(text, small, XBrushes.Gray, new XPoint(Margin, XUnit.FromMillimeter(297).Point - Margin + 4));
        }
    }
}
