using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Core.Companies.Import;

/// <summary>A column of a company import file: its header, whether it is required, and what it holds.</summary>
public sealed record ImportColumn(string Header, bool Required, string Description, string Example);

/// <summary>The columns of a company import file and the limits of one import; the page documents them and the template lists them.</summary>
public static class ImportColumns
{
    public const int MaxRows = 5000;

    public const string Name = "name";
    public const string Country = "country";
    public const string Region = "region";
    public const string SizeClass = "size_class";
    public const string RegisterNumber = "register_number";
    public const string YearFounded = "year_founded";
    public const string NaceCodes = "nace_codes";
    public const string S3Areas = "s3_areas";
    public const string Offers = "offers";
    public const string Needs = "needs";
    public const string Keywords = "keywords";
    public const string Languages = "languages";
    public const string Website = "website";
    public const string ContactName = "contact_name";
    public const string ContactRole = "contact_role";
    public const string ContactEmail = "contact_email";
    public const string ContactPhone = "contact_phone";
    public const string ContactConsentDate = "contact_consent_date";
    public const string ContactConsentPurpose = "contact_consent_purpose";

    /// <summary>The columns, their descriptions in the reader's language (made at each call: never frozen in one language).</summary>
    public static IReadOnlyList<ImportColumn> All =>
    [
        new(Name, true, Localized.Text("The company's name."), "SIA Gaujas Kokapstrāde"),
        new(Country, true, Localized.Text("ISO code of a partner country: PL, LV, EE, LT, DE, FI, DK or SE."), "LV"),
        new(Region, true, Localized.Text("NUTS code of a partner region of that country."), "LV008"),
        new(SizeClass, true, Localized.Text("The organisation type: micro, small or medium (SMEs), large, research, public-body, business-support or ngo."), "small"),
        new(RegisterNumber, false, Localized.Text("The business-register or VAT number (national form, or the VAT number with its country prefix)."), "40003521600"),
        new(YearFounded, false, Localized.Text("A year such as 2015."), "2015"),
        new(NaceCodes, false, Localized.Text("NACE sections, divisions, groups or classes, separated by commas."), "C, C16, M72.1"),
        new(S3Areas, false, Localized.Text("Codes of S3 areas, separated by commas."), "bioeconomy, ict-digitalisation"),
        new(Offers, false, Localized.Text("What the company offers."), "Cross-laminated timber panels"),
        new(Needs, false, Localized.Text("What the company needs."), "Digital design partner"),
        new(Keywords, false, Localized.Text("Keywords separated by commas."), "timber, CLT"),
        new(Languages, false, Localized.Text("ISO 639-1 language codes separated by commas."), "lv, en"),
        new(Website, false, Localized.Text("The full address, starting with http:// or https://."), "https://gauja-wood.example"),
        new(ContactName, false, Localized.Text("A contact person's name (required when any other contact column is filled)."), "Ilze Kalniņa"),
        new(ContactRole, false, Localized.Text("The contact person's role."), "Founder"),
        new(ContactEmail, false, Localized.Text("The contact person's e-mail address."), "ilze@gauja-wood.example"),
        new(ContactPhone, false, Localized.Text("The contact person's phone number."), "+371 2612 3456"),
        new(ContactConsentDate, false, Localized.Text("The date the person consented, as yyyy-MM-dd; needs the purpose."), "2026-01-15"),
        new(ContactConsentPurpose, false, Localized.Text("What the person consented to; needs the date."), "Partner search"),
    ];

    /// <summary>The profile columns: a later row of the same company must leave them empty (it only adds a contact person).</summary>
    internal static IReadOnlyList<string> Profile { get; } = [Region, SizeClass, RegisterNumber, YearFounded, NaceCodes, S3Areas, Offers, Needs, Keywords, Languages, Website];

    /// <summary>The column a field error of the company form belongs to; <c>Contacts[n].X</c> maps to the contact column X.</summary>
    internal static string ForField(string field)
    {
        var dot = field.IndexOf("].", StringComparison.Ordinal);
        var key = dot >= 0 ? "Contact." + field[(dot + 2)..] : field;
        return key switch
        {
            "Name" => Name,
            "CountryCode" => Country,
            "RegionCode" => Region,
            "SizeClass" => SizeClass,
            "RegisterNumber" => RegisterNumber,
            "YearFounded" => YearFounded,
            "NaceSections" or "NaceDetail" => NaceCodes,
            "S3Areas" => S3Areas,
            "Offers" => Offers,
            "Needs" => Needs,
            "Keywords" => Keywords,
            "Languages" => Languages,
            "Website" => Website,
            "Contact.Name" => ContactName,
            "Contact.Role" => ContactRole,
            "Contact.Email" => ContactEmail,
            "Contact.Phone" => ContactPhone,
            "Contact.ConsentDate" => ContactConsentDate,
            "Contact.ConsentPurpose" => ContactConsentPurpose,
            "Contacts" => ContactName,
            _ => field,
        };
    }

    /// <summary>Two companies are probably the same when their names are the same after folding case and accents, punctuation and legal forms.</summary>
    public static string NormalizedName(string? name)
    {
        var folded = SearchText.Fold(name);
        var words = new string([.. folded.Select(c => char.IsLetterOrDigit(c) ? c : ' ')])
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && LegalForms.Contains(words[0]))
        {
            words.RemoveAt(0);
        }

        while (words.Count > 1 && LegalForms.Contains(words[^1]))
        {
            words.RemoveAt(words.Count - 1);
        }

        return string.Join(' ', words);
    }

    private static readonly HashSet<string> LegalForms = new(
        ["sia", "as", "ab", "oy", "oyj", "ou", "uab", "gmbh", "ag", "kg", "ug", "ltd", "limited", "aps", "sp", "z", "o", "oo", "sa", "plc", "inc", "co"],
        StringComparer.Ordinal);
}
