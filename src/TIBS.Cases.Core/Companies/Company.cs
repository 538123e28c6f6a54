namespace TIBS.Cases.Core.Companies;

/// <summary>An organisation in the registry: an SME, a large enterprise, a research organisation, a public body, …</summary>
public sealed record Company
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required string CountryCode { get; init; }
    public required string RegionCode { get; init; }
    /// <summary>The organisation type (one of <see cref="SizeClasses"/>); the column keeps its historical name size_class.</summary>
    public required string SizeClass { get; init; }

    /// <summary>The business-register or VAT number, normalised by <see cref="RegisterNumbers"/>; unique per country. Null when not known.</summary>
    public string? RegisterNumber { get; init; }
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

    /// <summary>The legal basis the person's data is kept on (one of <see cref="PersonalData.LegalBases"/>), recorded with the purpose.</summary>
    public string? ConsentLegalBasis { get; init; }
}

/// <summary>
/// The organisation type, as the programme's indicators count organisations: SMEs by the EU size classes
/// (Recommendation 2003/361/EC: micro, small, medium), large enterprises, research and higher-education organisations,
/// public authorities, business support organisations and interest groups or NGOs. The values are stored in the
/// companies.size_class column (its name predates the other types); the first five keep their original meaning.
/// </summary>
public static class SizeClasses
{
    public const string Micro = "micro";
    public const string Small = "small";
    public const string Medium = "medium";
    public const string Large = "large";
    public const string Research = "research";
    public const string PublicBody = "public-body";
    public const string BusinessSupport = "business-support";
    public const string Ngo = "ngo";

    public static IReadOnlyList<string> All { get; } = [Micro, Small, Medium, Large, Research, PublicBody, BusinessSupport, Ngo];

    /// <summary>The SME types (micro, small, medium): the organisations de minimis aid and the SME indicators concern.</summary>
    public static IReadOnlyList<string> Sme { get; } = [Micro, Small, Medium];

    /// <summary>Whether the type is an enterprise (an SME or a large enterprise), as opposed to another organisation.</summary>
    public static bool IsEnterprise(string type) => Sme.Contains(type) || type == Large;
}

public interface ICompanyStore
{
    Task InsertAsync(Company company, CancellationToken cancellationToken = default);

    Task<Company?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts every company with its codes, areas and contact persons in one transaction: all or none. Throws
    /// <see cref="RegisterNumberTakenException"/> when a register number is already another company's in its country.
    /// </summary>
    Task InsertManyAsync(IReadOnlyList<Company> companies, CancellationToken cancellationToken = default);

    /// <summary>Every company of the given countries, in name order (to find probable duplicates of an import).</summary>
    Task<IReadOnlyList<CompanySummary>> ListInCountriesAsync(IReadOnlyCollection<string> countryCodes, CancellationToken cancellationToken = default);

    Task<int> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>The company registered in <paramref name="countryCode"/> with the normalised <paramref name="registerNumber"/>, or null.</summary>
    Task<CompanySummary?> FindByRegisterNumberAsync(string countryCode, string registerNumber, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the profile, its NACE codes, S3 areas and contact persons in one transaction when the stored version is
    /// still <paramref name="expectedVersion"/>; returns the new version. Throws <see cref="ConcurrencyConflictException"/>
    /// (nothing written) when someone else changed or removed the company meanwhile.
    /// </summary>
    Task<int> UpdateAsync(Company company, int expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>One page of companies matching the search, ordered by name then id (keyset paging).</summary>
    Task<CompanySearchPage> SearchAsync(CompanySearch search, CancellationToken cancellationToken = default);
}
