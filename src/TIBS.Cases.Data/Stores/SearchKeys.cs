using Dapper;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// The folded search keys of companies and cases (<see cref="SearchText"/>): the LIKE pattern of a searched term, and
/// the filling of rows that have no key yet (rows written before the keys existed).
/// </summary>
internal static class SearchKeys
{
    private const int BatchSize = 500;

    /// <summary>The pattern "contains the folded term" for <c>column LIKE @p ESCAPE '\'</c>; the term's wildcards match themselves.</summary>
    public static string ContainsPattern(string term) => "%" + CaseQueries.EscapeLike(SearchText.Fold(term.Trim())) + "%";

    /// <summary>
    /// The pattern a trigram index is asked for when a term holds a year (four digits from 1900 to 2099) beside other
    /// words: the other words in their order, the whole term being checked on the rows the index gives (PostgreSQL).
    /// Null for any other term. A GIN index reads the whole list of rows of every trigram it is given, and the
    /// trigrams of a reference's year ("202", "025") are in every case opened that year: "LT02-2025-13794" read a
    /// third of the index where "lt02 … 13794" reads a few thousand rows (docs/performance.md, decision 0067).
    /// </summary>
    public static string? IndexPattern(string term)
    {
        var words = SearchText.Words(SearchText.Fold(term.Trim())).ToList();
        var others = words.Where(w => !IsYear(w)).ToList();
        return others.Count == words.Count || others.Count == 0
            ? null
            : "%" + string.Join('%', others.Select(CaseQueries.EscapeLike)) + "%";

        static bool IsYear(string word) => word.Length == 4 && word.All(char.IsAsciiDigit) && word[..2] is "19" or "20";
    }

    /// <summary>Computes the search keys of every company and case that has none; returns how many rows were filled.</summary>
    public static async Task<int> FillMissingAsync(IDbConnectionFactory db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var filled = 0;
        await using var c = await db.OpenAsync(cancellationToken);
        while (true)
        {
            var companies = (await c.QueryAsync<CompanyRow>(new CommandDefinition(
                db.Dialect.Limit("SELECT id, name, keywords, offers, needs FROM companies WHERE search_name IS NULL OR search_text IS NULL ORDER BY id", "@take"),
                new { take = BatchSize }, cancellationToken: cancellationToken))).ToList();
            if (companies.Count == 0)
            {
                break;
            }

            await using var tx = await c.BeginWriteAsync(cancellationToken);
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE companies SET search_name = @SearchName, search_text = @SearchText WHERE id = @Id",
                companies.Select(r => new { r.Id, SearchName = SearchText.CompanyName(r.Name), SearchText = SearchText.CompanyText(r.Name, r.Keywords, r.Offers, r.Needs) }),
                tx, cancellationToken: cancellationToken));
            await tx.CommitAsync(cancellationToken);
            filled += companies.Count;
        }

        while (true)
        {
            var cases = (await c.QueryAsync<CaseRow>(new CommandDefinition(
                db.Dialect.Limit("SELECT id, reference, title FROM cases WHERE search_text IS NULL ORDER BY id", "@take"),
                new { take = BatchSize }, cancellationToken: cancellationToken))).ToList();
            if (cases.Count == 0)
            {
                break;
            }

            await using var tx = await c.BeginWriteAsync(cancellationToken);
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE cases SET search_text = @SearchText WHERE id = @Id",
                cases.Select(r => new { r.Id, SearchText = SearchText.Case(r.Reference, r.Title) }),
                tx, cancellationToken: cancellationToken));
            await tx.CommitAsync(cancellationToken);
            filled += cases.Count;
        }

        return filled;
    }

    private sealed class CompanyRow
    {
        public Guid Id { get; set; }

        public string Name { get; set; } = "";

        public string? Keywords { get; set; }

        public string? Offers { get; set; }

        public string? Needs { get; set; }
    }

    private sealed class CaseRow
    {
        public Guid Id { get; set; }

        public string Reference { get; set; } = "";

        public string Title { get; set; } = "";
    }
}
