namespace TIBS.Cases.Core.Accounts;

/// <summary>A person who signs in. Brokers cover one or more regions; the other roles may not.</summary>
public sealed record UserAccount
{
    public required Guid Id { get; init; }
    public required string Email { get; init; }
    public required string DisplayName { get; init; }
    public required string Role { get; init; }
    /// <summary>The home region: the first of <see cref="Regions"/>, kept equal to it on every write.</summary>
    public string? RegionCode { get; init; }

    /// <summary>Every region the user covers (user_regions), the home region first; filled by the store's reads.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary><see cref="Regions"/>, or the home region alone for an account made without them.</summary>
    public IReadOnlyList<string> CoveredRegions => Regions.Count > 0 ? Regions : RegionCode is null ? [] : [RegionCode];
    public required string PasswordHash { get; init; }
    public required string SecurityStamp { get; init; }
    public bool IsActive { get; init; } = true;

    /// <summary>The interface language the user chose (<see cref="Localization.Languages"/>, <c>lv</c>); null: their browser's language.</summary>
    public string? Language { get; init; }

    /// <summary>The time zone the user chose (IANA id); null: their home region's (<see cref="Localization.TimeZones.ForRegion"/>).</summary>
    public string? TimeZone { get; init; }

    /// <summary>The partner organisation the user belongs to; null until one is set (users from before organisations).</summary>
    public Guid? OrganisationId { get; init; }

    /// <summary>One daily digest e-mail instead of a mail per notification.</summary>
    public bool EmailDigest { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>The user acting, with their stored role in the one vocabulary (<see cref="Roles.Parse"/>).</summary>
    public Cases.Actor AsActor() => Cases.Actor.Covering(Id, Roles.Parse(Role), CoveredRegions);
}

/// <summary>Persistence of user accounts.</summary>
public interface IUserStore
{
    Task<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken = default);

    Task<UserAccount?> FindByIdAsync(Guid id, CancellationToken cancellationToken = default);

    Task<int> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>The users with these ids (unknown ids are left out), in one query. There is no read of every user: a use case reads the people it names.</summary>
    Task<IReadOnlyList<UserAccount>> GetManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// The users of <paramref name="role"/>, only those covering one of <paramref name="regionCodes"/> (user_regions) when given, only active ones
    /// when <paramref name="activeOnly"/>; in one query.
    /// </summary>
    Task<IReadOnlyList<UserAccount>> ListInRoleAsync(string role, IReadOnlyCollection<string>? regionCodes = null, bool activeOnly = true, CancellationToken cancellationToken = default);

    Task InsertAsync(UserAccount user, CancellationToken cancellationToken = default);

    /// <summary>Whether the user takes a daily digest instead of single e-mails (false for an unknown user).</summary>
    Task<bool> GetEmailDigestAsync(Guid id, CancellationToken cancellationToken = default);

    Task SetEmailDigestAsync(Guid id, bool digest, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Sets the user's interface language and time zone (null: the browser's language, the region's zone).</summary>
    Task SetLanguageAndTimeZoneAsync(Guid id, string? language, string? timeZone, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Active users who chose the daily digest.</summary>
    Task<IReadOnlyList<UserAccount>> ListDigestUsersAsync(CancellationToken cancellationToken = default);
}
