using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Companies.Import;

/// <summary>One data row of an import file: its row number in the file (the header is row 1) and its cells, in the order of the headers.</summary>
public sealed record ImportRow(int Number, IReadOnlyList<string?> Cells);

/// <summary>
/// Imports companies and their contact persons from the rows of a file (read by a file adapter). Every company is
/// checked by the rules of <see cref="CreateCompany"/>; a row naming a company already registered (or already given
/// by an earlier row with a profile) is left out; a later row of a company with only contact columns adds a contact
/// person. A dry run reports and writes nothing; an import writes every accepted company in one transaction.
/// </summary>
public sealed class ImportCompanies(ICompanyStore companies, IReferenceDataStore reference, TimeProvider time)
{
    /// <param name="ExpectedCount">When importing: the number of companies the user saw in the dry run; a different count now writes nothing.</param>
    public sealed record Request(IReadOnlyList<string> Headers, IReadOnlyList<ImportRow> Rows, bool DryRun, int? ExpectedCount = null);

    private sealed class Group(int firstRow, Dictionary<string, string?> profile)
    {
        public int FirstRow { get; } = firstRow;
        public Dictionary<string, string?> Profile { get; } = profile;
        public List<(int Row, ContactFields Contact)> Contacts { get; } = [];
    }

    public async Task<ImportReport> HandleAsync(Request request, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!CompanyAccess.CanCreate(actor))
        {
            return new ImportReport(CaseCommandStatus.Forbidden, Localized.Text("Only brokers and coordinators import companies."));
        }

        var headers = request.Headers.Select(Header).ToList();
        var fileProblems = FileProblems(headers, request.Rows.Count);
        var ignored = headers.Where(h => h.Length > 0 && ImportColumns.All.All(c => c.Header != h)).Distinct(StringComparer.Ordinal).ToList();
        if (fileProblems.Count > 0)
        {
            return new ImportReport(CaseCommandStatus.InvalidForm, Localized.Format("The file cannot be imported: {0}", string.Join(" ", fileProblems)))
            {
                FileProblems = fileProblems,
                IgnoredColumns = ignored,
            };
        }

        var rejected = new List<RowProblem>();
        var groups = GroupRows(headers, request.Rows, rejected, out var rowCount);
        var choices = await CompanyChoices.LoadAsync(reference, ct);
        var existing = (await companies.ListInCountriesAsync([.. groups.Keys.Select(k => k.Country).Distinct(StringComparer.Ordinal)], ct))
            .GroupBy(c => c.CountryCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var byNumber = existing.Values.SelectMany(l => l).Where(c => c.RegisterNumber is not null)
            .ToDictionary(c => (c.CountryCode, c.RegisterNumber!));
        var numbersInFile = new Dictionary<(string, string), int>();
        var now = time.UtcNow();
        var accepted = new List<(Company Company, ImportedCompany Summary)>();
        var duplicates = new List<ProbableDuplicate>();
        foreach (var (key, group) in groups)
        {
            var rows = (IReadOnlyList<int>)[group.FirstRow, .. group.Contacts.Select(c => c.Row).Where(r => r != group.FirstRow)];
            var name = group.Profile[ImportColumns.Name] ?? "";
            var number = group.Profile.GetValueOrDefault(ImportColumns.RegisterNumber) is { } numberText && key.Country.Length == 2
                ? RegisterNumbers.Normalise(key.Country, numberText).Number
                : null;
            if (number is not null && byNumber.TryGetValue((key.Country, number), out var sameNumber))
            {
                duplicates.AddRange(rows.Select(r => new ProbableDuplicate(r, name, key.Country, sameNumber.Id, sameNumber.Name) { SameNumber = true }));
                continue;
            }

            if (number is not null && numbersInFile.TryGetValue((key.Country, number), out var earlier))
            {
                rejected.AddRange(rows.Select(r => new RowProblem(r, ImportColumns.RegisterNumber, Localized.Format("Row {0} already gives this register number: one company is imported once.", earlier))));
                continue;
            }

            var probable = CompanyDuplicates.ProbableDuplicates(name, group.Profile.GetValueOrDefault(ImportColumns.Region) ?? "", number, existing.GetValueOrDefault(key.Country) ?? [])
                .Concat((existing.GetValueOrDefault(key.Country) ?? []).Where(e => ImportColumns.NormalizedName(e.Name) == key.Name
                    && !(number is not null && e.RegisterNumber is not null && e.RegisterNumber != number)))
                .FirstOrDefault();
            if (probable is not null)
            {
                duplicates.AddRange(rows.Select(r => new ProbableDuplicate(r, name, key.Country, probable.Id, probable.Name)));
                continue;
            }

            if (number is not null)
            {
                numbersInFile[(key.Country, number)] = group.FirstRow;
            }

            var outcome = CreateCompany.Prepare(Fields(group), choices, actor, now, CompanyValidation.OneContactProblem);
            if (outcome.Company is { } company)
            {
                accepted.Add((company, new ImportedCompany(rows, company.Name, company.CountryCode, company.Contacts.Count, company.Id)));
                continue;
            }

            foreach (var error in outcome.Errors)
            {
                var row = error.Field.StartsWith("Contacts[", StringComparison.Ordinal) && int.TryParse(error.Field[9..error.Field.IndexOf(']', StringComparison.Ordinal)], out var n) && n < group.Contacts.Count
                    ? group.Contacts[n].Row
                    : group.FirstRow;
                rejected.Add(new RowProblem(row, ImportColumns.ForField(error.Field), error.Message));
            }

            rejected.AddRange(rows.Where(r => rejected.All(p => p.Row != r))
                .Select(r => new RowProblem(r, ImportColumns.Name, Localized.Format("Not imported: the company of row {0} has problems.", group.FirstRow))));
        }

        var report = new ImportReport(CaseCommandStatus.Done, "")
        {
            Accepted = [.. accepted.Select(a => a.Summary)],
            Rejected = [.. rejected.OrderBy(r => r.Row)],
            Duplicates = duplicates,
            IgnoredColumns = ignored,
            Rows = rowCount,
        };
        if (request.DryRun)
        {
            return report with { Message = Localized.Format("{0} can be imported; {1} would be left out. Nothing is written yet.", Companies(accepted.Count), Rows(report.RowsLeftOut)) };
        }

        if (request.ExpectedCount is { } expected && expected != accepted.Count)
        {
            return report with
            {
                Status = CaseCommandStatus.Refused,
                Message = Localized.Format("The check now gives {0} instead of {1} (the registry changed meanwhile). Nothing was written; review the report and import again.", Companies(accepted.Count), expected),
            };
        }

        if (accepted.Count == 0)
        {
            return report with { Status = CaseCommandStatus.Refused, Message = Localized.Text("No company in the file can be imported. Nothing was written.") };
        }

        await companies.InsertManyAsync([.. accepted.Select(a => a.Company)], ct);
        return report with { Written = true, Message = Localized.Format("{0} imported; {1} left out.", Companies(accepted.Count), Rows(report.RowsLeftOut)) };
    }

    private static string Companies(int n) => Plural.Count(n, "1 company", "{0} companies");

    private static string Rows(int n) => Plural.Count(n, "1 row", "{0} rows");

    /// <summary>A header as the import knows it: trimmed, lower case, spaces and hyphens as underscores.</summary>
    private static string Header(string? header) =>
        (header ?? "").Trim().TrimStart('\uFEFF').ToLowerInvariant().Replace(' ', '_').Replace('-', '_');

    private static List<string> FileProblems(List<string> headers, int rows)
    {
        var problems = new List<string>();
        var missing = ImportColumns.All.Where(c => c.Required && !headers.Contains(c.Header)).Select(c => c.Header).ToList();
        if (missing.Count > 0)
        {
            problems.Add(missing.Count == 1
                ? Localized.Format("The first row must name the columns; this required column is missing: {0}.", missing[0])
                : Localized.Format("The first row must name the columns; these required columns are missing: {0}.", string.Join(", ", missing)));
        }

        var repeated = headers.Where(h => h.Length > 0).GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            problems.Add(Localized.Format("Each column may appear once; repeated: {0}.", string.Join(", ", repeated)));
        }

        if (rows > ImportColumns.MaxRows)
        {
            problems.Add(Localized.Format("The file has {0} rows; an import takes at most {1}. Split it into several files.", rows, ImportColumns.MaxRows));
        }
        else if (rows == 0)
        {
            problems.Add(Localized.Text("The file has no rows below the header."));
        }

        return problems;
    }

    /// <summary>Groups rows by company (normalized name and country); later rows of a company may only add a contact person.</summary>
    private static Dictionary<(string Name, string Country), Group> GroupRows(List<string> headers, IReadOnlyList<ImportRow> rows, List<RowProblem> rejected, out int rowCount)
    {
        var groups = new Dictionary<(string, string), Group>();
        rowCount = 0;
        foreach (var row in rows)
        {
            var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < headers.Count && i < row.Cells.Count; i++)
            {
                if (headers[i].Length > 0 && !cells.ContainsKey(headers[i]))
                {
                    cells[headers[i]] = string.IsNullOrWhiteSpace(row.Cells[i]) ? null : row.Cells[i]!.Trim();
                }
            }

            if (cells.Values.All(v => v is null))
            {
                continue;
            }

            rowCount++;
            var contact = Contact(cells);
            var key = (ImportColumns.NormalizedName(cells.GetValueOrDefault(ImportColumns.Name)), (cells.GetValueOrDefault(ImportColumns.Country) ?? "").ToUpperInvariant());
            if (key.Item1.Length == 0 || !groups.TryGetValue(key, out var group))
            {
                group = new Group(row.Number, cells);
                if (key.Item1.Length > 0)
                {
                    groups[key] = group;
                }
                else
                {
                    groups[($"\u0001{row.Number}", key.Item2)] = group;
                }
            }
            else if (ImportColumns.Profile.FirstOrDefault(c => cells.GetValueOrDefault(c) is not null) is { } column)
            {
                rejected.Add(new RowProblem(row.Number, column,
                    Localized.Format("Row {0} already gives the company '{1}' ({2}): a later row of the same company only adds a contact person, so leave its other columns empty.", group.FirstRow, group.Profile[ImportColumns.Name], key.Item2)));
                continue;
            }
            else if (contact.IsBlank)
            {
                rejected.Add(new RowProblem(row.Number, ImportColumns.Name, Localized.Format("Repeats the company of row {0} without a contact person.", group.FirstRow)));
                continue;
            }

            if (!contact.IsBlank)
            {
                group.Contacts.Add((row.Number, contact));
            }
        }

        return groups;
    }

    private static ContactFields Contact(Dictionary<string, string?> cells) => new()
    {
        Name = cells.GetValueOrDefault(ImportColumns.ContactName),
        Role = cells.GetValueOrDefault(ImportColumns.ContactRole),
        Email = cells.GetValueOrDefault(ImportColumns.ContactEmail),
        Phone = cells.GetValueOrDefault(ImportColumns.ContactPhone),
        ConsentDate = cells.GetValueOrDefault(ImportColumns.ContactConsentDate),
        ConsentPurpose = cells.GetValueOrDefault(ImportColumns.ContactConsentPurpose),
    };

    private static CompanyFields Fields(Group group)
    {
        string? Cell(string column) => group.Profile.GetValueOrDefault(column);
        return new CompanyFields
        {
            Name = Cell(ImportColumns.Name),
            CountryCode = Cell(ImportColumns.Country),
            RegionCode = Cell(ImportColumns.Region),
            SizeClass = Cell(ImportColumns.SizeClass)?.ToLowerInvariant(),
            RegisterNumber = Cell(ImportColumns.RegisterNumber),
            YearFounded = Cell(ImportColumns.YearFounded),
            NaceDetail = Cell(ImportColumns.NaceCodes),
            S3Areas = CompanyRules.SplitList(Cell(ImportColumns.S3Areas)),
            Offers = Cell(ImportColumns.Offers),
            Needs = Cell(ImportColumns.Needs),
            Keywords = Cell(ImportColumns.Keywords),
            Languages = Cell(ImportColumns.Languages),
            Website = Cell(ImportColumns.Website),
            Contacts = [.. group.Contacts.Select(c => c.Contact)],
        };
    }
}
