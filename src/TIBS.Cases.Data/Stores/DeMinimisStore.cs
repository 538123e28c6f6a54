using System.Runtime.CompilerServices;
using Dapper;
using TIBS.Cases.Core.Companies.DeMinimis;

namespace TIBS.Cases.Data.Stores;

internal sealed class DeMinimisStore(IDbConnectionFactory db) : IDeMinimisStore
{
    private const string Columns = "id, company_id, granted_on, granting_body, amount_cents, description, recorded_by, recorded_at";

    public async Task InsertAsync(DeMinimisAid aid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aid);
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO company_de_minimis ({Columns}) VALUES (@Id, @CompanyId, @GrantedOn, @GrantingBody, @AmountCents, @Description, @RecordedBy, @RecordedAt)",
            aid, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<DeMinimisAid>> ListAsync(Guid companyId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<DeMinimisAid>(new CommandDefinition(
            $"SELECT {Columns} FROM company_de_minimis WHERE company_id = @companyId ORDER BY granted_on DESC, recorded_at DESC, id",
            new { companyId }, cancellationToken: cancellationToken))];
    }

    public async IAsyncEnumerable<DeMinimisExportRow> StreamAsync(IReadOnlyCollection<Guid>? companyIds, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const string Select =
            """
            SELECT a.id, a.company_id, a.granted_on, a.granting_body, a.amount_cents, a.description, a.recorded_by, a.recorded_at,
                   co.name AS company_name, co.country_code, co.register_number, co.size_class
            FROM company_de_minimis a JOIN companies co ON co.id = a.company_id
            """;
        await using var c = await db.OpenAsync(cancellationToken);
        if (companyIds is null)
        {
            await foreach (var row in Read(c.QueryUnbufferedAsync<Row>($"{Select} ORDER BY co.name, co.id, a.granted_on, a.id")).WithCancellation(cancellationToken))
            {
                yield return row;
            }

            yield break;
        }

        // One company at a time keeps the parameters the same on every provider (no list expansion differences).
        foreach (var id in companyIds.Distinct())
        {
            await foreach (var row in Read(c.QueryUnbufferedAsync<Row>($"{Select} WHERE a.company_id = @id ORDER BY a.granted_on, a.id", new { id })).WithCancellation(cancellationToken))
            {
                yield return row;
            }
        }
    }

    private static async IAsyncEnumerable<DeMinimisExportRow> Read(IAsyncEnumerable<Row> rows)
    {
        await foreach (var r in rows)
        {
            yield return new DeMinimisExportRow(
                new DeMinimisAid
                {
                    Id = r.Id,
                    CompanyId = r.CompanyId,
                    GrantedOn = r.GrantedOn,
                    GrantingBody = r.GrantingBody,
                    AmountCents = r.AmountCents,
                    Description = r.Description,
                    RecordedBy = r.RecordedBy,
                    RecordedAt = r.RecordedAt,
                },
                r.CompanyName, r.CountryCode, r.RegisterNumber, r.SizeClass);
        }
    }

    private sealed record Row
    {
        public Guid Id { get; init; }
        public Guid CompanyId { get; init; }
        public DateOnly GrantedOn { get; init; }
        public string GrantingBody { get; init; } = "";
        public long AmountCents { get; init; }
        public string? Description { get; init; }
        public Guid? RecordedBy { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
        public string CompanyName { get; init; } = "";
        public string CountryCode { get; init; } = "";
        public string? RegisterNumber { get; init; }
        public string SizeClass { get; init; } = "";
    }
}
