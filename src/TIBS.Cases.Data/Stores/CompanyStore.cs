using System.Data.Common;
using System.Text;
using Dapper;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Data.Stores;

internal sealed class CompanyStore(IDbConnectionFactory db) : ICompanyStore
{
    private const string Columns =
        "id, name, country_code, region_code, size_class, register_number, year_founded, website, offers, needs, keywords, languages, created_by, created_at, updated_at, version";

    private const string SummaryColumns = "id, name, country_code, region_code, size_class, register_number";

    public Task InsertAsync(Company company, CancellationToken cancellationToken = default) => InsertManyAsync([company], cancellationToken);

    public async Task InsertManyAsync(IReadOnlyList<Company> companies, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(companies);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        foreach (var company in companies)
        {
            await TranslateTakenNumberAsync(tx, company, () => c.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO companies ({Columns}, search_name, search_text, match_codes, match_terms_version)
                VALUES (@Id, @Name, @CountryCode, @RegionCode, @SizeClass, @RegisterNumber, @YearFounded, @Website, @Offers, @Needs, @Keywords, @Languages, @CreatedBy, @CreatedAt, @UpdatedAt, @Version, @SearchName, @SearchText, @MatchCodes, @MatchTermsVersion)
                """, WithSearchKeys(company), tx, cancellationToken: cancellationToken)), cancellationToken);
            await InsertChildrenAsync(c, tx, company, cancellationToken);
        }

        await MatchTerms.WriteAsync(c, tx, db.Dialect, companies, replace: false, withCodes: false, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CompanySummary>> ListInCountriesAsync(IReadOnlyCollection<string> countryCodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(countryCodes);
        if (countryCodes.Count == 0)
        {
            return [];
        }

        // One query per country keeps the parameters the same on every provider (no list expansion differences).
        var list = new List<CompanySummary>();
        await using var c = await db.OpenAsync(cancellationToken);
        foreach (var country in countryCodes.Distinct(StringComparer.Ordinal))
        {
            list.AddRange(await c.QueryAsync<CompanySummary>(new CommandDefinition(
                $"SELECT {SummaryColumns} FROM companies WHERE country_code = @country ORDER BY name, id",
                new { country }, cancellationToken: cancellationToken)));
        }

        return list;
    }

    public async Task<Company?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var company = await c.QuerySingleOrDefaultAsync<Company>(new CommandDefinition(
            $"SELECT {Columns} FROM companies WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        if (company is null)
        {
            return null;
        }

        var nace = await c.QueryAsync<string>(new CommandDefinition(
            "SELECT nace_code FROM company_nace_codes WHERE company_id = @id ORDER BY nace_code", new { id }, cancellationToken: cancellationToken));
        var s3 = await c.QueryAsync<string>(new CommandDefinition(
            "SELECT s3_code FROM company_s3_areas WHERE company_id = @id ORDER BY s3_code", new { id }, cancellationToken: cancellationToken));
        var contacts = await c.QueryAsync<CompanyContact>(new CommandDefinition(
            "SELECT id, name, role, email, phone, consent_date, consent_purpose, consent_legal_basis FROM company_contacts WHERE company_id = @id ORDER BY name",
            new { id }, cancellationToken: cancellationToken));
        return company with { NaceCodes = [.. nace], S3Areas = [.. s3], Contacts = [.. contacts] };
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM companies", cancellationToken: cancellationToken));
    }

    public async Task<CompanySummary?> FindByRegisterNumberAsync(string countryCode, string registerNumber, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await FindByNumberAsync(c, null, countryCode, registerNumber, cancellationToken);
    }

    private static Task<CompanySummary?> FindByNumberAsync(DbConnection c, DbTransaction? tx, string countryCode, string registerNumber, CancellationToken k) =>
        c.QuerySingleOrDefaultAsync<CompanySummary>(new CommandDefinition(
            $"SELECT {SummaryColumns} FROM companies WHERE country_code = @countryCode AND register_number = @registerNumber",
            new { countryCode, registerNumber }, tx, cancellationToken: k));

    /// <summary>
    /// Runs a write of <paramref name="company"/>; when the database refuses it and the company's register number is
    /// another company's (the unique index), rolls back and throws <see cref="RegisterNumberTakenException"/> naming it.
    /// </summary>
    private async Task<int> TranslateTakenNumberAsync(DbTransaction tx, Company company, Func<Task<int>> write, CancellationToken k)
    {
        try
        {
            return await write();
        }
        catch (DbException) when (company.RegisterNumber is not null)
        {
            await tx.RollbackAsync(k);
            await using var other = await db.OpenAsync(k);
            if (await FindByNumberAsync(other, null, company.CountryCode, company.RegisterNumber, k) is { } existing && existing.Id != company.Id)
            {
                throw new RegisterNumberTakenException(existing);
            }

            throw;
        }
    }

    public async Task<int> UpdateAsync(Company company, int expectedVersion, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var updated = await TranslateTakenNumberAsync(tx, company, () => c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE companies
            SET name = @Name, country_code = @CountryCode, region_code = @RegionCode, size_class = @SizeClass, register_number = @RegisterNumber, year_founded = @YearFounded,
                website = @Website, offers = @Offers, needs = @Needs, keywords = @Keywords, languages = @Languages,
                updated_at = @UpdatedAt, version = version + 1, search_name = @SearchName, search_text = @SearchText,
                match_codes = @MatchCodes, match_terms_version = @MatchTermsVersion
            WHERE id = @Id AND version = @ExpectedVersion
            """,
            Parameters(company, expectedVersion),
            tx, cancellationToken: cancellationToken)), cancellationToken);
        if (updated != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            throw new ConcurrencyConflictException($"Company {company.Id} is no longer at version {expectedVersion}.");
        }

        foreach (var table in (string[])["company_nace_codes", "company_s3_areas", "company_contacts"])
        {
            await c.ExecuteAsync(new CommandDefinition($"DELETE FROM {table} WHERE company_id = @Id", new { company.Id }, tx, cancellationToken: cancellationToken));
        }

        await InsertChildrenAsync(c, tx, company, cancellationToken);
        await MatchTerms.WriteAsync(c, tx, db.Dialect, [company], replace: true, withCodes: false, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return expectedVersion + 1;
    }

    public async Task<CompanySearchPage> SearchAsync(CompanySearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var (sql, p) = SearchQuery(search, db.Dialect);
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = (await c.QueryAsync<CompanySummary>(new CommandDefinition(sql, p, cancellationToken: cancellationToken))).ToList();
        var pageSize = Math.Clamp(search.PageSize, 1, 500);
        if (rows.Count <= pageSize)
        {
            return new CompanySearchPage(rows, null);
        }

        rows.RemoveAt(pageSize);
        return new CompanySearchPage(rows, CompanyCursor.After(rows[^1], search.Order));
    }

    /// <summary>The query of one page of the list (one row more than the page, to know whether another follows).</summary>
    internal static (string Sql, DynamicParameters Parameters) SearchQuery(CompanySearch search, ISqlDialect dialect)
    {
        var where = new List<string>();
        var p = new DynamicParameters();
        if (!string.IsNullOrWhiteSpace(search.Text))
        {
            // Every word must appear in the folded name, keywords, offers or needs (case and accents ignored). The user's
            // words are parameters, with LIKE's wildcards escaped; only fixed SQL is concatenated.
            var words = search.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(8).ToArray();
            for (var i = 0; i < words.Length; i++)
            {
                var name = $"@text{i}";
                p.Add(name, SearchKeys.ContainsPattern(words[i]));
                where.Add($"c.search_text LIKE {name} ESCAPE '\\'");
            }
        }

        if (!string.IsNullOrWhiteSpace(search.CountryCode))
        {
            where.Add("c.country_code = @country");
            p.Add("country", search.CountryCode.Trim());
        }

        if (!string.IsNullOrWhiteSpace(search.RegionCode))
        {
            where.Add("c.region_code = @region");
            p.Add("region", search.RegionCode.Trim());
        }

        if (!string.IsNullOrWhiteSpace(search.SizeClass))
        {
            where.Add("c.size_class = @size");
            p.Add("size", search.SizeClass.Trim());
        }

        if (!string.IsNullOrWhiteSpace(search.S3Area))
        {
            where.Add("EXISTS (SELECT 1 FROM company_s3_areas s WHERE s.company_id = c.id AND s.s3_code = @s3)");
            p.Add("s3", search.S3Area.Trim());
        }

        if (!string.IsNullOrWhiteSpace(search.NaceSection))
        {
            // A section matches its own code and every division, group and class below it (C, C10, C10.5 ...).
            where.Add("EXISTS (SELECT 1 FROM company_nace_codes n WHERE n.company_id = c.id AND (n.nace_code = @nace OR n.nace_code LIKE @naceBelow ESCAPE '!'))");
            var section = search.NaceSection.Trim().ToUpperInvariant();
            p.Add("nace", section);
            p.Add("naceBelow", $"{EscapeLike(section, dialect.Provider)}_%");
        }

        // Sorted in the alphabet of the user's language by the provider's collation; the keyset condition compares with the
        // same collation (decision 0047). Its first term alone lets PostgreSQL start the index of that collation at the cursor.
        var sortName = NameCollations.Collate("c.name", search.Order, dialect.Provider);
        if (search.After is { } after)
        {
            where.Add($"{sortName} >= @afterName AND ({sortName} > @afterName OR ({sortName} = @afterName AND c.id > @afterId))");
            p.Add("afterName", after.Name);
            p.Add("afterId", after.Id);
        }

        var pageSize = Math.Clamp(search.PageSize, 1, 500);
        p.Add("take", pageSize + 1);
        var sql = new StringBuilder("SELECT c.id, c.name, c.country_code, c.region_code, c.size_class, c.register_number, c.keywords, c.offers, c.needs FROM companies c");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append(" ORDER BY ").Append(sortName).Append(", c.id");
        return (dialect.Limit(sql.ToString(), "@take"), p);
    }

    /// <summary>Makes % and _ (and [ on SQL Server) match themselves in a LIKE pattern with ESCAPE '!'.</summary>
    private static string EscapeLike(string value, DatabaseProvider provider)
    {
        var escaped = value.Replace("!", "!!", StringComparison.Ordinal).Replace("%", "!%", StringComparison.Ordinal).Replace("_", "!_", StringComparison.Ordinal);
        return provider == DatabaseProvider.SqlServer ? escaped.Replace("[", "![", StringComparison.Ordinal) : escaped;
    }

    /// <summary>The row's values with its search keys and match codes, and the version the update expects.</summary>
    private static DynamicParameters Parameters(Company company, int expectedVersion)
    {
        var parameters = new DynamicParameters(WithSearchKeys(company));
        parameters.Add("ExpectedVersion", expectedVersion);
        return parameters;
    }

    private static object WithSearchKeys(Company company) => new
    {
        company.Id,
        company.Name,
        company.CountryCode,
        company.RegionCode,
        company.SizeClass,
        company.RegisterNumber,
        company.YearFounded,
        company.Website,
        company.Offers,
        company.Needs,
        company.Keywords,
        company.Languages,
        company.CreatedBy,
        company.CreatedAt,
        company.UpdatedAt,
        company.Version,
        SearchName = SearchText.CompanyName(company.Name),
        SearchText = SearchText.CompanyText(company.Name, company.Keywords, company.Offers, company.Needs),
        MatchCodes = CompanyTerms.Codes(company),
        MatchTermsVersion = CompanyTerms.Version,
    };

    private static async Task InsertChildrenAsync(DbConnection c, DbTransaction tx, Company company, CancellationToken cancellationToken)
    {
        foreach (var code in company.NaceCodes.Distinct(StringComparer.Ordinal))
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO company_nace_codes (company_id, nace_code) VALUES (@id, @code)", new { id = company.Id, code }, tx, cancellationToken: cancellationToken));
        }

        foreach (var code in company.S3Areas.Distinct(StringComparer.Ordinal))
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO company_s3_areas (company_id, s3_code) VALUES (@id, @code)", new { id = company.Id, code }, tx, cancellationToken: cancellationToken));
        }

        foreach (var contact in company.Contacts)
        {
            await c.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO company_contacts (id, company_id, name, role, email, phone, consent_date, consent_purpose, consent_legal_basis)
                VALUES (@Id, @CompanyId, @Name, @Role, @Email, @Phone, @ConsentDate, @ConsentPurpose, @ConsentLegalBasis)
                """,
                new { contact.Id, CompanyId = company.Id, contact.Name, contact.Role, contact.Email, contact.Phone, contact.ConsentDate, contact.ConsentPurpose, contact.ConsentLegalBasis },
                tx, cancellationToken: cancellationToken));
        }
    }
}
