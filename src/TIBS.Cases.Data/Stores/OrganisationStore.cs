using System.Data.Common;
using Dapper;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Organisations;

namespace TIBS.Cases.Data.Stores;

/// <summary>Partner organisations; each write appends its administration log line in the same transaction.</summary>
internal sealed class OrganisationStore(IDbConnectionFactory db) : IOrganisationStore
{
    private const string Columns = "id, name, kind, country_code, web_address, is_archived, version, created_at, updated_at";

    private const string LogInsert =
        "INSERT INTO administration_log (id, occurred_at, actor_id, action, subject_user_id, details) VALUES (@Id, @OccurredAt, @ActorId, @Action, @SubjectUserId, @Details)";

    public async Task<IReadOnlyList<OrganisationSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var organisations = await c.QueryAsync<Organisation>(new CommandDefinition(
            $"SELECT {Columns} FROM organisations ORDER BY country_code, name_key", cancellationToken: cancellationToken));
        var counts = (await c.QueryAsync<MemberCount>(new CommandDefinition(
                "SELECT organisation_id AS Id, COUNT(*) AS Users FROM users WHERE organisation_id IS NOT NULL GROUP BY organisation_id", cancellationToken: cancellationToken)))
            .ToDictionary(r => r.Id, r => (int)r.Users);
        return [.. organisations.Select(o => new OrganisationSummary(o, counts.GetValueOrDefault(o.Id)))];
    }

    public async Task<Organisation?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<Organisation>(new CommandDefinition(
            $"SELECT {Columns} FROM organisations WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM organisations", cancellationToken: cancellationToken)) > 0;
    }

    public async Task<OrganisationWrite> AddAsync(Organisation organisation, AdministrationLogEntry? entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        await using var c = await db.OpenAsync(cancellationToken);
        if (await NameTakenAsync(c, null, organisation, cancellationToken))
        {
            return OrganisationWrite.NameTaken;
        }

        await using var tx = await c.BeginWriteAsync(cancellationToken);
        try
        {
            await c.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO organisations ({Columns}, name_key)
                VALUES (@Id, @Name, @Kind, @CountryCode, @WebAddress, @IsArchived, @Version, @CreatedAt, @UpdatedAt, @NameKey)
                """,
                Row(organisation), tx, cancellationToken: cancellationToken));
        }
        catch (DbException)
        {
            return await NameRaceAsync(tx, organisation, cancellationToken);
        }

        if (entry is not null)
        {
            await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
        return OrganisationWrite.Saved;
    }

    public async Task<OrganisationWrite> UpdateAsync(Organisation organisation, int expectedVersion, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        await using var c = await db.OpenAsync(cancellationToken);
        if (await NameTakenAsync(c, null, organisation, cancellationToken))
        {
            return OrganisationWrite.NameTaken;
        }

        await using var tx = await c.BeginWriteAsync(cancellationToken);
        int updated;
        try
        {
            updated = await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE organisations
                SET name = @Name, name_key = @NameKey, kind = @Kind, country_code = @CountryCode, web_address = @WebAddress,
                    is_archived = @IsArchived, version = @Version, updated_at = @UpdatedAt
                WHERE id = @Id AND version = @ExpectedVersion
                """,
                Row(organisation, expectedVersion), tx, cancellationToken: cancellationToken));
        }
        catch (DbException)
        {
            return await NameRaceAsync(tx, organisation, cancellationToken);
        }

        if (updated != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return OrganisationWrite.Conflict;
        }

        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return OrganisationWrite.Saved;
    }

    public async Task<OrganisationWrite> DeleteAsync(Guid id, int expectedVersion, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        if (await c.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COUNT(*) FROM users WHERE organisation_id = @id", new { id }, tx, cancellationToken: cancellationToken)) > 0)
        {
            await tx.RollbackAsync(cancellationToken);
            return OrganisationWrite.InUse;
        }

        int deleted;
        try
        {
            deleted = await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM organisations WHERE id = @id AND version = @expectedVersion", new { id, expectedVersion }, tx, cancellationToken: cancellationToken));
        }
        catch (DbException)
        {
            // A user was given the organisation in the same instant: the reference keeps it.
            await tx.RollbackAsync(cancellationToken);
            return OrganisationWrite.InUse;
        }

        if (deleted != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return OrganisationWrite.Conflict;
        }

        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return OrganisationWrite.Saved;
    }

    /// <summary>Whether another organisation of the same country has the name (compared folded).</summary>
    private static async Task<bool> NameTakenAsync(DbConnection c, DbTransaction? tx, Organisation organisation, CancellationToken cancellationToken) =>
        await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM organisations WHERE country_code = @CountryCode AND name_key = @NameKey AND id <> @Id",
            new { organisation.CountryCode, NameKey = Organisation.NameKey(organisation.Name), organisation.Id }, tx, cancellationToken: cancellationToken)) > 0;

    /// <summary>A write refused by the database: the name taken in the same instant (the unique constraint) or something else.</summary>
    private async Task<OrganisationWrite> NameRaceAsync(DbTransaction tx, Organisation organisation, CancellationToken cancellationToken)
    {
        await tx.RollbackAsync(cancellationToken);
        await using var other = await db.OpenAsync(cancellationToken);
        if (await NameTakenAsync(other, null, organisation, cancellationToken))
        {
            return OrganisationWrite.NameTaken;
        }

        throw new InvalidOperationException($"The organisation {organisation.Name} could not be written.");
    }

    private static object Row(Organisation o, int expectedVersion = 0) => new
    {
        o.Id,
        o.Name,
        NameKey = Organisation.NameKey(o.Name),
        o.Kind,
        o.CountryCode,
        o.WebAddress,
        o.IsArchived,
        o.Version,
        o.CreatedAt,
        o.UpdatedAt,
        ExpectedVersion = expectedVersion,
    };

    private sealed class MemberCount
    {
        public Guid Id { get; init; }
        public long Users { get; init; }
    }
}
