using Dapper;
using TIBS.Cases.Core.Companies;

namespace TIBS.Cases.Data.Stores;

public sealed class CompanyStore(IDbConnectionFactory db) : ICompanyStore
{
    private const string Columns =
        "id, name, country_code, region_code, size_class, year_founded, website, offers, needs, keywords, languages, created_by, created_at, updated_at, version";

    public async Task InsertAsync(Company company, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO companies ({Columns})
            VALUES (@Id, @Name, @CountryCode, @RegionCode, @SizeClass, @YearFounded, @Website, @Offers, @Needs, @Keywords, @Languages, @CreatedBy, @CreatedAt, @UpdatedAt, @Version)
            """, company, tx, cancellationToken: cancellationToken));
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
                INSERT INTO company_contacts (id, company_id, name, role, email, phone, consent_date, consent_purpose)
                VALUES (@Id, @CompanyId, @Name, @Role, @Email, @Phone, @ConsentDate, @ConsentPurpose)
                """,
                new { contact.Id, CompanyId = company.Id, contact.Name, contact.Role, contact.Email, contact.Phone, contact.ConsentDate, contact.ConsentPurpose },
                tx, cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
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
            "SELECT id, name, role, email, phone, consent_date, consent_purpose FROM company_contacts WHERE company_id = @id ORDER BY name",
            new { id }, cancellationToken: cancellationToken));
        return company with { NaceCodes = [.. nace], S3Areas = [.. s3], Contacts = [.. contacts] };
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM companies", cancellationToken: cancellationToken));
    }
}
