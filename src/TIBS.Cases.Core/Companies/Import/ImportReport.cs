using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Companies.Import;

/// <summary>A company the import takes (or took): the rows it comes from, its name and country, its contact persons; its id once written.</summary>
public sealed record ImportedCompany(IReadOnlyList<int> Rows, string Name, string CountryCode, int Contacts, Guid Id);

/// <summary>Why a row is not imported: the row number in the file (the header is row 1), the column, the reason in words.</summary>
public sealed record RowProblem(int Row, string Column, string Message);

/// <summary>
/// A row that names a company already registered: by the same register number in the same country
/// (<see cref="SameNumber"/>), or probably, by a close name (ignoring case, accents, punctuation and legal form) in the
/// same region or the same name in the same country. Neither is imported.
/// </summary>
public sealed record ProbableDuplicate(int Row, string Name, string CountryCode, Guid ExistingId, string ExistingName)
{
    /// <summary>The same register or VAT number: certainly the same company.</summary>
    public bool SameNumber { get; init; }

    /// <summary>Why the row is taken for a registered company, in words.</summary>
    public string Reason => SameNumber ? Localized.Text("Same register number") : Localized.Text("Similar name in the same region");
}

/// <summary>
/// What an import does or would do. A dry run writes nothing; an import writes every accepted company in one
/// transaction (<see cref="Written"/>), or nothing.
/// </summary>
public sealed record ImportReport(CaseCommandStatus Status, string Message)
{
    /// <summary>Problems of the file as a whole (a required column missing, too many rows): no row is looked at then.</summary>
    public IReadOnlyList<string> FileProblems { get; init; } = [];

    public IReadOnlyList<ImportedCompany> Accepted { get; init; } = [];

    public IReadOnlyList<RowProblem> Rejected { get; init; } = [];

    public IReadOnlyList<ProbableDuplicate> Duplicates { get; init; } = [];

    /// <summary>Columns the file has that an import does not know: their values are ignored.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];

    /// <summary>Data rows in the file (blank rows not counted).</summary>
    public int Rows { get; init; }

    public bool Written { get; init; }

    /// <summary>Rows not imported (rejected or probable duplicates), each once.</summary>
    public int RowsLeftOut => Rejected.Select(r => r.Row).Concat(Duplicates.Select(d => d.Row)).Distinct().Count();
}
