using System.Data.Common;
using Dapper;
using TIBS.Cases.Core.Accounts;

namespace TIBS.Cases.Data.Stores;

internal sealed class UserStore(IDbConnectionFactory db) : IUserStore
{
    private const string Columns =
        "id, email, display_name, role, region_code, password_hash, security_stamp, is_active, email_digest, language, time_zone, created_at, updated_at, organisation_id";

    public async Task<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var user = await c.QuerySingleOrDefaultAsync<UserAccount>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE email = @email", new { email = UserAccount.NormalizeEmail(email) }, cancellationToken: cancellationToken));
        return user is null ? null : (await WithRegionsAsync(c, [user], cancellationToken))[0];
    }

    public async Task<UserAccount?> FindByIdAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var user = await c.QuerySingleOrDefaultAsync<UserAccount>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return user is null ? null : (await WithRegionsAsync(c, [user], cancellationToken))[0];
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM users", cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<UserAccount>> GetManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<UserAccount>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE {db.Dialect.InList("id", "@ids")}", new { ids = db.Dialect.IdList(ids) }, cancellationToken: cancellationToken));
        return await WithRegionsAsync(c, [.. rows], cancellationToken);
    }

    public async Task<IReadOnlyList<UserAccount>> ListInRoleAsync(string role, IReadOnlyCollection<string>? regionCodes = null, bool activeOnly = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        if (regionCodes is { Count: 0 })
        {
            return [];
        }

        var where = "role = @role"
            + (regionCodes is null ? "" : $" AND id IN (SELECT user_id FROM user_regions WHERE {db.Dialect.InList("region_code", "@regions")})")
            + (activeOnly ? " AND is_active = @yes" : "");
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<UserAccount>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE {where} ORDER BY region_code, email",
            new { role, regions = regionCodes?.Distinct(StringComparer.Ordinal).ToArray() ?? [], yes = true }, cancellationToken: cancellationToken));
        return await WithRegionsAsync(c, [.. rows], cancellationToken);
    }

    public async Task InsertAsync(UserAccount user, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO users ({Columns})
            VALUES (@Id, @Email, @DisplayName, @Role, @RegionCode, @PasswordHash, @SecurityStamp, @IsActive, @EmailDigest, @Language, @TimeZone, @CreatedAt, @UpdatedAt, @OrganisationId)
            """,
            user with { Email = UserAccount.NormalizeEmail(user.Email) }, cancellationToken: cancellationToken));
        if (user.RegionCode is not null)
        {
            await UserAdministrationStore.InsertRegionsAsync(c, null, user.Id, [user.RegionCode], cancellationToken);
        }
    }

    public async Task<bool> GetEmailDigestAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<bool?>(new CommandDefinition(
            "SELECT email_digest FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken)) ?? false;
    }

    public async Task SetEmailDigestAsync(Guid id, bool digest, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET email_digest = @digest, updated_at = @now WHERE id = @id",
            new { id, digest, now }, cancellationToken: cancellationToken));
    }

    public async Task SetLanguageAndTimeZoneAsync(Guid id, string? language, string? timeZone, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET language = @language, time_zone = @timeZone, updated_at = @now WHERE id = @id",
            new { id, language, timeZone, now }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<UserAccount>> ListDigestUsersAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<UserAccount>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE email_digest = @yes AND is_active = @yes ORDER BY email", new { yes = true }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>The users with every region each covers (user_regions), the home region (users.region_code) first; one query.</summary>
    private async Task<IReadOnlyList<UserAccount>> WithRegionsAsync(DbConnection c, List<UserAccount> users, CancellationToken cancellationToken)
    {
        if (users.Count == 0)
        {
            return users;
        }

        var regions = (await c.QueryAsync<RegionRow>(new CommandDefinition(
                $"SELECT user_id AS UserId, region_code AS RegionCode FROM user_regions WHERE {db.Dialect.InList("user_id", "@ids")} ORDER BY region_code",
                new { ids = db.Dialect.IdList(users.Select(u => u.Id)) }, cancellationToken: cancellationToken)))
            .ToLookup(r => r.UserId, r => r.RegionCode);
        return [.. users.Select(u => u with
        {
            Regions = [.. regions[u.Id].OrderBy(r => r == u.RegionCode ? 0 : 1).ThenBy(r => r, StringComparer.Ordinal)],
        })];
    }

    private sealed class RegionRow
    {
        public Guid UserId { get; init; }
        public string RegionCode { get; init; } = "";
    }
}
