using System.Globalization;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Exports.Dossier;

/// <summary>
/// A strategy's dossier as a list of sections in reading order; a writer (PDF) lays them out and knows nothing of
/// cases. A section is text only: headings, labelled facts, paragraphs and tables.
/// </summary>
public sealed record CaseDossier(string FileName, string Title, string Subtitle, DateTimeOffset GeneratedAt, IReadOnlyList<DossierSection> Sections);

/// <summary>One section: its title and its blocks.</summary>
public sealed record DossierSection(string Title, IReadOnlyList<DossierBlock> Blocks);

/// <summary>A piece of a section.</summary>
public abstract record DossierBlock;

/// <summary>A sub-heading inside a section (a step, a check-in).</summary>
public sealed record DossierHeading(string Text) : DossierBlock;

/// <summary>Labelled values, one per line ("Opened: 2 March 2026 10:15 UTC").</summary>
public sealed record DossierFacts(IReadOnlyList<DisplayLine> Lines) : DossierBlock;

public sealed record DossierParagraph(string Text) : DossierBlock;

/// <summary>A table; <see cref="Widths"/> are relative column widths (one per header).</summary>
public sealed record DossierTable(IReadOnlyList<string> Headers, IReadOnlyList<double> Widths, IReadOnlyList<IReadOnlyList<string>> Rows) : DossierBlock;

/// <summary>
/// Everything the sections of one dossier read: the whole case (all its events), its lead company, its timeline in
/// words, the verdict on its whole audit trail, and the names of the people it mentions.
/// </summary>
public sealed record DossierContext(
    CaseDetails Case,
    Company? LeadCompany,
    CaseEventDisplay Display,
    IReadOnlyList<CaseEventView> Timeline,
    CaseAuditResult Audit,
    AuditCheckpoint? LatestCheckpoint,
    string OwnerName,
    Actor Reader,
    DateTimeOffset Now);

/// <summary>
/// One section of the dossier. Sections are registered as services and ordered by <see cref="Order"/>, so a new
/// product area adds its section (audits, de minimis aid) with one registration, without touching the others.
/// </summary>
public interface IDossierSection
{
    /// <summary>Where the section stands: cover 100, de minimis aid 150, steps 200, check-ins 300, agreement 400, attachments 500, timeline 600, audit trail 700, audits 800.</summary>
    int Order { get; }

    /// <summary>The section, or null when it has nothing to say for this case (and is left out).</summary>
    Task<DossierSection?> BuildAsync(DossierContext context, CancellationToken cancellationToken = default);
}

/// <summary>How the dossier writes moments, dates and sizes.</summary>
public static class DossierText
{
    /// <summary>A moment in UTC, its day in the reader's long form: "2 March 2026 10:15 UTC", "2026. gada 2. marts 10:15 UTC".</summary>
    public static string When(DateTimeOffset moment) =>
        MessageDates.Long(DateOnly.FromDateTime(moment.UtcDateTime)) + moment.UtcDateTime.ToString(" HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string When(DateTimeOffset? moment, string none = "—") => moment is { } m ? When(m) : none;

    /// <summary>A file's size in the reader's numbers: "1.5 KB (1,536 bytes)", "1,5 KB (1 536 baiti)".</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => Localized.Format("{0} bytes", MessageDates.Number(bytes)),
        < 1024 * 1024 => Localized.Format("{0} KB ({1} bytes)", (bytes / 1024.0).ToString("0.#", MessageDates.Culture), MessageDates.Number(bytes)),
        _ => Localized.Format("{0} MB ({1} bytes)", (bytes / 1024.0 / 1024.0).ToString("0.#", MessageDates.Culture), MessageDates.Number(bytes)),
    };
}
