using System.Globalization;

namespace TIBS.Cases.Core.Companies;

/// <summary>
/// A company profile as entered (by a form, an API client or a row of an import file): text as typed, so that every
/// value can be given back unchanged next to its error. <see cref="CompanyValidation"/> turns it into a <see cref="Company"/>.
/// </summary>
public sealed record CompanyFields
{
    public string? Name { get; init; }
    public string? CountryCode { get; init; }
    public string? RegionCode { get; init; }
    /// <summary>The organisation type (one of <see cref="SizeClasses"/>).</summary>
    public string? SizeClass { get; init; }

    /// <summary>The business-register or VAT number as typed (checked by <see cref="RegisterNumbers"/>); optional.</summary>
    public string? RegisterNumber { get; init; }

    /// <summary>A year such as 2015, as typed.</summary>
    public string? YearFounded { get; init; }

    /// <summary>NACE section letters chosen from the reference list (C, M).</summary>
    public IReadOnlyList<string> NaceSections { get; init; } = [];

    /// <summary>Divisions, groups or classes as text, comma separated (C10, M72.1).</summary>
    public string? NaceDetail { get; init; }

    /// <summary>Codes of S3 areas chosen from the reference list.</summary>
    public IReadOnlyList<string> S3Areas { get; init; } = [];
    public string? Offers { get; init; }
    public string? Needs { get; init; }
    public string? Keywords { get; init; }

    /// <summary>ISO 639-1 codes, comma separated (lv, en).</summary>
    public string? Languages { get; init; }
    public string? Website { get; init; }
    public IReadOnlyList<ContactFields> Contacts { get; init; } = [];

    /// <summary>The fields of a stored company, as a form shows them for editing.</summary>
    public static CompanyFields From(Company company)
    {
        ArgumentNullException.ThrowIfNull(company);
        return new()
        {
            Name = company.Name,
            CountryCode = company.CountryCode,
            RegionCode = company.RegionCode,
            SizeClass = company.SizeClass,
            RegisterNumber = company.RegisterNumber is { } number ? RegisterNumbers.Display(company.CountryCode, number) : null,
            YearFounded = company.YearFounded?.ToString(CultureInfo.InvariantCulture),
            NaceSections = [.. company.NaceCodes.Where(c => c.Length == 1)],
            NaceDetail = string.Join(", ", company.NaceCodes.Where(c => c.Length > 1)),
            S3Areas = [.. company.S3Areas],
            Offers = company.Offers,
            Needs = company.Needs,
            Keywords = company.Keywords,
            Languages = company.Languages,
            Website = company.Website,
            Contacts = [.. company.Contacts.Select(ContactFields.From)],
        };
    }
}

/// <summary>A contact person as entered. <see cref="Id"/> names a stored person (kept when editing); null for a new one.</summary>
public sealed record ContactFields
{
    public Guid? Id { get; init; }
    public string? Name { get; init; }
    public string? Role { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }

    /// <summary>yyyy-MM-dd.</summary>
    public string? ConsentDate { get; init; }
    public string? ConsentPurpose { get; init; }
    public string? ConsentLegalBasis { get; init; }

    /// <summary>Set to delete this stored person when the company is saved.</summary>
    public bool Remove { get; init; }

    /// <summary>Nothing typed: the row adds nobody.</summary>
    public bool IsBlank =>
        string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Role) && string.IsNullOrWhiteSpace(Email)
        && string.IsNullOrWhiteSpace(Phone) && string.IsNullOrWhiteSpace(ConsentDate) && string.IsNullOrWhiteSpace(ConsentPurpose);

    public static ContactFields From(CompanyContact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return new()
        {
            Id = contact.Id,
            Name = contact.Name,
            Role = contact.Role,
            Email = contact.Email,
            Phone = contact.Phone,
            ConsentDate = contact.ConsentDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ConsentPurpose = contact.ConsentPurpose,
            ConsentLegalBasis = contact.ConsentLegalBasis,
        };
    }
}
