using System.Data.Common;
using Dapper;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Administration;

namespace TIBS.Cases.Data.Stores;

internal sealed class UserAdministrationStore(IDbConnectionFactory db) : IUserAdministrationStore
{
    private const string Columns =
        "id, email, display_name, role, region_code, password_hash, security_stamp, is_active, email_digest, language, time_zone, created_at, updated_at, organisation_id";

    private const string LogInsert =
        "INSERT INTO administration_log (id, occurred_at, actor_id, action, subject_user_id, details) VALUES (@Id, @OccurredAt, @ActorId, @Action, @SubjectUserId, @Details)";

    public async Task<IReadOnlyList<AdministeredUser>> ListAsync(UserFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = new List<string>();
        if (filter.Role is not null)
        {
            where.Add("role = @Role");
        }

        if (filter.RegionCode is not null)
        {
            where.Add("id IN (SELECT user_id FROM user_regions WHERE region_code = @RegionCode)");
        }

        if (filter.Active is not null)
        {
            where.Add("is_active = @Active");
        }

        if (filter.OrganisationId is not null)
        {
            where.Add("organisation_id = @OrganisationId");
        }

        if (filter.WithoutOrganisation)
        {
            where.Add("organisation_id IS NULL");
        }

        await using var c = await db.OpenAsync(cancellationToken);
        var users = (await c.QueryAsync<UserAccount>(new CommandDefinition(
            $"SELECT {Columns} FROM users{(where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where))} ORDER BY display_name, email",
            filter, cancellationToken: cancellationToken))).ToList();
        return await CompleteAsync(c, users, cancellationToken);
    }

    public async Task<AdministeredUser?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var user = await c.QuerySingleOrDefaultAsync<UserAccount>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return user is null ? null : (await CompleteAsync(c, [user], cancellationToken))[0];
    }

    /// <summary>Adds each user's regions, last sign-in and organisation, in three queries for the whole list.</summary>
    private async Task<IReadOnlyList<AdministeredUser>> CompleteAsync(DbConnection c, List<UserAccount> users, CancellationToken cancellationToken)
    {
        if (users.Count == 0)
        {
            return [];
        }

        var ids = db.Dialect.IdList(users.Select(u => u.Id));
        var regions = (await c.QueryAsync<RegionRow>(new CommandDefinition(
                $"SELECT user_id AS UserId, region_code AS RegionCode FROM user_regions WHERE {db.Dialect.InList("user_id", "@ids")} ORDER BY region_code",
                new { ids }, cancellationToken: cancellationToken)))
            .ToLookup(r => r.UserId, r => r.RegionCode);
        var signIns = (await c.QueryAsync<LastSignIn>(new CommandDefinition(
                $"SELECT user_id AS UserId, MAX(created_at) AS At FROM user_sessions WHERE {db.Dialect.InList("user_id", "@ids")} GROUP BY user_id",
                new { ids }, cancellationToken: cancellationToken)))
            .ToDictionary(s => s.UserId, s => (DateTimeOffset?)s.At);
        var organisationIds = users.Where(u => u.OrganisationId is not null).Select(u => u.OrganisationId!.Value).Distinct().ToList();
        var organisations = organisationIds.Count == 0
            ? []
            : (await c.QueryAsync<OrganisationName>(new CommandDefinition(
                    $"SELECT id AS Id, name AS Name FROM organisations WHERE {db.Dialect.InList("id", "@organisationIds")}",
                    new { organisationIds = db.Dialect.IdList(organisationIds) }, cancellationToken: cancellationToken)))
                .ToDictionary(o => o.Id, o => o.Name);
        return [.. users.Select(u => new AdministeredUser(u, Ordered(u, regions[u.Id]), signIns.GetValueOrDefault(u.Id))
        {
            OrganisationName = u.OrganisationId is { } o ? organisations.GetValueOrDefault(o) : null,
        })];
    }

    /// <summary>The first region is the one users.region_code names; the others follow in code order.</summary>
    private static IReadOnlyList<string> Ordered(UserAccount user, IEnumerable<string> regions) =>
        [.. regions.OrderBy(r => r == user.RegionCode ? 0 : 1).ThenBy(r => r, StringComparer.Ordinal)];

    public async Task<int> CountActiveAdministratorsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM users WHERE role = @role AND is_active = @yes AND password_hash <> ''",
            new { role = Roles.Administrator, yes = true }, cancellationToken: cancellationToken));
    }

    public async Task CreateInvitedAsync(UserAccount user, IReadOnlyList<string> regions, UserLink link, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO users ({Columns})
            VALUES (@Id, @Email, @DisplayName, @Role, @RegionCode, @PasswordHash, @SecurityStamp, @IsActive, @EmailDigest, @Language, @TimeZone, @CreatedAt, @UpdatedAt, @OrganisationId)
            """,
            user with { Email = UserAccount.NormalizeEmail(user.Email) }, tx, cancellationToken: cancellationToken));
        await InsertRegionsAsync(c, tx, user.Id, regions, cancellationToken);
        await InsertLinkAsync(c, tx, link, cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<bool> SetAccessAsync(Guid userId, string role, IReadOnlyList<string> regions, string securityStamp, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        if (role != Roles.Administrator && !await AnotherAdministratorRemainsAsync(c, tx, userId, cancellationToken))
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET role = @role, region_code = @region, security_stamp = @securityStamp, updated_at = @now WHERE id = @userId",
            new { userId, role, region = regions.Count > 0 ? regions[0] : null, securityStamp, now = entry.OccurredAt }, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM user_regions WHERE user_id = @userId", new { userId }, tx, cancellationToken: cancellationToken));
        await InsertRegionsAsync(c, tx, userId, regions, cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public async Task SetOrganisationAsync(Guid userId, Guid organisationId, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET organisation_id = @organisationId, updated_at = @now WHERE id = @userId",
            new { userId, organisationId, now = entry.OccurredAt }, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<bool> SetActiveAsync(Guid userId, bool active, string securityStamp, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        if (!active && !await AnotherAdministratorRemainsAsync(c, tx, userId, cancellationToken))
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET is_active = @active, security_stamp = @securityStamp, updated_at = @now WHERE id = @userId",
            new { userId, active, securityStamp, now = entry.OccurredAt }, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Whether taking <paramref name="userId"/> out of the active administrators leaves at least one, read under a lock
    /// that every other such change waits for until this transaction ends: the administrators' rows locked in id order
    /// on PostgreSQL (FOR UPDATE) and SQL Server (UPDLOCK, HOLDLOCK); on SQLite the write transaction already holds the
    /// database's single write lock (BEGIN IMMEDIATE). So two administrators taking each other out at the same instant
    /// are serialised: the second reads the first one's change and is refused. True when the user is no active
    /// administrator at all (nothing to keep).
    /// </summary>
    private async Task<bool> AnotherAdministratorRemainsAsync(DbConnection c, DbTransaction tx, Guid userId, CancellationToken cancellationToken)
    {
        var lockSql = db.Provider switch
        {
            DatabaseProvider.Postgres => "SELECT id FROM users WHERE role = @role ORDER BY id FOR UPDATE",
            DatabaseProvider.SqlServer => "SELECT id FROM users WITH (UPDLOCK, HOLDLOCK) WHERE role = @role ORDER BY id",
            _ => null,
        };
        if (lockSql is not null)
        {
            await c.ExecuteAsync(new CommandDefinition(lockSql, new { role = Roles.Administrator }, tx, cancellationToken: cancellationToken));
        }

        var counts = await c.QuerySingleAsync<AdministratorCounts>(new CommandDefinition(
            """
            SELECT COUNT(CASE WHEN id = @userId THEN 1 END) AS Self, COUNT(CASE WHEN id <> @userId THEN 1 END) AS Others
            FROM users WHERE role = @role AND is_active = @yes AND password_hash <> ''
            """,
            new { userId, role = Roles.Administrator, yes = true }, tx, cancellationToken: cancellationToken));
        return counts.Self == 0 || counts.Others > 0;
    }

    public async Task AddLinkAsync(UserLink link, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        await InsertLinkAsync(c, tx, link, cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<UserLink?> FindLinkAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<UserLink>(new CommandDefinition(
            "SELECT id, user_id, purpose, token_hash, created_at, expires_at, used_at, created_by FROM user_links WHERE token_hash = @tokenHash",
            new { tokenHash }, cancellationToken: cancellationToken));
    }

    public async Task<bool> RedeemLinkAsync(Guid linkId, DateTimeOffset now, string passwordHash, string securityStamp, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var used = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE user_links SET used_at = @now WHERE id = @linkId AND used_at IS NULL", new { linkId, now }, tx, cancellationToken: cancellationToken));
        if (used != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @passwordHash, security_stamp = @securityStamp, updated_at = @now WHERE id = @userId",
            new { passwordHash, securityStamp, now, userId = entry.SubjectUserId }, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public async Task UpdateOwnProfileAsync(Guid userId, string displayName, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET display_name = @displayName, updated_at = @now WHERE id = @userId",
            new { userId, displayName, now = entry.OccurredAt }, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<int> ChangeOwnPasswordAsync(Guid userId, string passwordHash, string securityStamp, Guid keepSessionId, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @passwordHash, security_stamp = @securityStamp, updated_at = @now WHERE id = @userId",
            new { userId, passwordHash, securityStamp, now = entry.OccurredAt }, tx, cancellationToken: cancellationToken));
        var ended = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE user_sessions SET revoked_at = @now WHERE user_id = @userId AND id <> @keepSessionId AND revoked_at IS NULL",
            new { userId, keepSessionId, now = entry.OccurredAt }, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return ended;
    }

    public async Task<IReadOnlyList<AdministrationLogLine>> ListLogAsync(int limit, Guid? subjectUserId = null, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var sql = db.Dialect.Limit(
            $"""
            SELECT l.id AS Id, l.occurred_at AS OccurredAt, l.actor_id AS ActorId, l.action AS Action, l.subject_user_id AS SubjectUserId,
                   l.details AS Details, a.display_name AS ActorName, s.display_name AS SubjectName
            FROM administration_log l
            LEFT JOIN users a ON a.id = l.actor_id
            LEFT JOIN users s ON s.id = l.subject_user_id
            {(subjectUserId is null ? "" : "WHERE l.subject_user_id = @subjectUserId")}
            ORDER BY l.occurred_at DESC, l.id DESC
            """, "@limit");
        var rows = await c.QueryAsync<LogRow>(new CommandDefinition(sql, new { limit, subjectUserId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new AdministrationLogLine(
            new AdministrationLogEntry { Id = r.Id, OccurredAt = r.OccurredAt, ActorId = r.ActorId, Action = r.Action, SubjectUserId = r.SubjectUserId, Details = r.Details },
            r.ActorName, r.SubjectName))];
    }

    internal static async Task InsertRegionsAsync(DbConnection c, DbTransaction? tx, Guid userId, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        foreach (var region in regions)
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO user_regions (user_id, region_code) VALUES (@userId, @region)", new { userId, region }, tx, cancellationToken: cancellationToken));
        }
    }

    private static Task InsertLinkAsync(DbConnection c, DbTransaction tx, UserLink link, CancellationToken cancellationToken) =>
        c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO user_links (id, user_id, purpose, token_hash, created_at, expires_at, used_at, created_by)
            VALUES (@Id, @UserId, @Purpose, @TokenHash, @CreatedAt, @ExpiresAt, @UsedAt, @CreatedBy)
            """, link, tx, cancellationToken: cancellationToken));

    private sealed class AdministratorCounts
    {
        public long Self { get; init; }
        public long Others { get; init; }
    }

    private sealed class LastSignIn
    {
        public Guid UserId { get; init; }
        public DateTimeOffset At { get; init; }
    }

    private sealed class OrganisationName
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
    }

    private sealed class RegionRow
    {
        public Guid UserId { get; init; }
        public string RegionCode { get; init; } = "";
    }

    private sealed class LogRow
    {
        public Guid Id { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public Guid? ActorId { get; init; }
        public string Action { get; init; } = "";
        public Guid? SubjectUserId { get; init; }
        public string Details { get; init; } = "";
        public string? ActorName { get; init; }
        public string? SubjectName { get; init; }
    }
}
