namespace TIBS.Cases.Core.Companies;

/// <summary>An SME (or research organisation) in the registry.</summary>
public sealed record Company
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required string CountryCode { get; init; }
    public required string RegionCode { get; init; }
    public required string SizeClass { get; init; }
    public int? YearFounded { get; init; }
    public string? Website { get; init; }
    public string? Offers { get; init; }
    public string? Needs { get; init; }
    public string? Keywords { get; init; }
    public string? Languages { get; init; }
    public IReadOnlyList<string> NaceCodes { get; init; } = [];
    public IReadOnlyList<string> S3Areas { get; init; } = [];
    public IReadOnlyList<CompanyContact> Contacts { get; init; } = [];
    public Guid? CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; } = 1;
}

public sealed record CompanyContact
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public string? Role { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public DateOnly? ConsentDate { get; init; }
    public string? ConsentPurpose { get; init; }
}

/// <summary>EU SME size classes (Recommendation 2003/361/EC) plus research organisations.</summary>
public static class SizeClasses
{
    public const string Micro = "micro";
    public const string Small = "small";
    public const string Medium = "medium";
    public const string Large = "large";
    public const string Research = "research";

    public static IReadOnlyList<string> All { get; } = [Micro, Small, Medium, Large, Research];
}

public interface ICompanyStore
{
    Task InsertAsync(Company company, CancellationToken cancellationToken = default);

    Task<Company?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Inserts every company with its codes, areas and contact persons in one transaction: all or none.</summary>
    Task InsertManyAsync(IReadOnlyList<Company> companies, CancellationToken cancellationToken = default);

    /// <summary>Every company of the given countries, in name order (to find probable duplicates of an import).</summary>
    Task<IReadOnlyList<CompanySummary>> ListInCountriesAsync(IReadOnlyCollection<string> countryCodes, CancellationToken cancellationToken = default);

    Task<int> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the profile, its NACE codes, S3 areas and contact persons in one transaction when the stored version is
    /// still <paramref name="expectedVersion"/>; returns the new version. Throws <see cref="ConcurrencyConflictException"/>
    /// (nothing written) when someone else changed or removed the company meanwhile.
    /// </summary>
    Task<int> UpdateAsync(Company company, int expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>One page of companies matching the search, ordered by name then id (keyset paging).</summary>
    Task<CompanySearchPage> SearchAsync(CompanySearch search, CancellationToken cancellationToken = default);
}
