using System.Text.RegularExpressions;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Companies;

/// <summary>A partner country of the programme.</summary>
public sealed record Country(string Code, string Name);

/// <summary>The formats and limits a company profile must keep, shared by every way of entering one.</summary>
public static partial class CompanyRules
{
    public const int MaxNameLength = 300;
    public const int MaxWebsiteLength = ContactFormats.MaxWebsiteLength;
    public const int MaxTextLength = 4000;
    public const int MaxLanguagesLength = 200;
    public const int MaxNaceCodeLength = 10;
    public const int MaxContactNameLength = 200;
    public const int MaxContactRoleLength = 200;
    public const int MaxEmailLength = ContactFormats.MaxEmailLength;
    public const int MaxPhoneLength = ContactFormats.MaxPhoneLength;
    public const int MaxConsentPurposeLength = 500;
    public const int MaxNaceDetailLength = 500;
    public const int MaxContacts = 50;
    public const int FirstYearFounded = 1800;

    /// <summary>
    /// The one declaration of how many characters each text of a company profile may have, by field (a contact
    /// person's as <c>Contacts.Name</c>): forms check input and render <c>maxlength</c> from it.
    /// </summary>
    public static IReadOnlyDictionary<string, int> MaxLengths { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["Name"] = MaxNameLength,
        ["CountryCode"] = 2,
        ["RegionCode"] = 10,
        ["SizeClass"] = 20,
        ["RegisterNumber"] = RegisterNumbers.MaxInputLength,
        ["YearFounded"] = 4,
        ["NaceDetail"] = MaxNaceDetailLength,
        ["Offers"] = MaxTextLength,
        ["Needs"] = MaxTextLength,
        ["Keywords"] = MaxTextLength,
        ["Languages"] = MaxLanguagesLength,
        ["Website"] = MaxWebsiteLength,
        ["Contacts.Name"] = MaxContactNameLength,
        ["Contacts.Role"] = MaxContactRoleLength,
        ["Contacts.Email"] = MaxEmailLength,
        ["Contacts.Phone"] = MaxPhoneLength,
        ["Contacts.ConsentDate"] = 10,
        ["Contacts.ConsentPurpose"] = MaxConsentPurposeLength,
    };

    /// <summary>
    /// What is wrong with the text of <paramref name="field"/> (a key of <see cref="MaxLengths"/>): too long, or a
    /// character that cannot be stored; null when it is acceptable. <paramref name="what"/> names it in the message.
    /// </summary>
    public static string? TextProblem(string field, string what, string? value) =>
        TextRules.Problem(what, value?.Trim(), MaxLengths[field]);

    private static readonly string[] PartnerCountries = ["PL", "LV", "EE", "LT", "DE", "FI", "DK", "SE"];

    /// <summary>ISO 3166-1 alpha-2 codes of the eight partner countries, in programme order, named in the reader's language.</summary>
    public static IReadOnlyList<Country> Countries => [.. PartnerCountries.Select(c => new Country(c, Display.Countries.Name(c)))];

    /// <summary>A partner country's name in the reader's language; other codes as they are.</summary>
    public static string CountryName(string code) => PartnerCountries.Contains(code) ? Display.Countries.Name(code) : code;

    /// <summary>The organisation type in words.</summary>
    public static string SizeClassName(string sizeClass) => sizeClass switch
    {
        SizeClasses.Micro => Localized.Text("Micro enterprise, SME (fewer than 10 staff)"),
        SizeClasses.Small => Localized.Text("Small enterprise, SME (10–49 staff)"),
        SizeClasses.Medium => Localized.Text("Medium-sized enterprise, SME (50–249 staff)"),
        SizeClasses.Large => Localized.Text("Large enterprise (250 staff or more)"),
        SizeClasses.Research => Localized.Text("Research and higher-education organisation"),
        SizeClasses.PublicBody => Localized.Text("Public authority"),
        SizeClasses.BusinessSupport => Localized.Text("Business support organisation"),
        SizeClasses.Ngo => Localized.Text("Interest group or NGO"),
        _ => sizeClass,
    };

    /// <summary>A NACE Rev. 2 section (C), division (C10), group (C10.5) or class (C10.51).</summary>
    public static bool IsNaceCode(string code) => NaceCode().IsMatch(code);

    /// <summary>ISO 639-1 two-letter language code, lower case.</summary>
    public static bool IsLanguageCode(string code) => code.Length == 2 && LanguageCodes.Contains(code);

    /// <summary>An absolute http or https address with a host (the rule of <see cref="ContactFormats"/>, shared with step forms).</summary>
    public static bool IsWebsite(string value) => ContactFormats.IsWebsite(value);

    /// <summary>Digits, spaces and + ( ) - . / with at least five digits (shared with step forms).</summary>
    public static bool IsPhone(string value) => ContactFormats.IsPhone(value);

    /// <summary>One address such as name@example.org (shared with step forms).</summary>
    public static bool IsEmail(string value) => ContactFormats.IsEmail(value);

    /// <summary>Splits a comma (or semicolon) separated list, trims it and drops empty and repeated entries.</summary>
    public static IReadOnlyList<string> SplitList(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : [.. value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static readonly HashSet<string> LanguageCodes = new(
        """
        aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo
        es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg
        ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn
        no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta
        te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
        """.Split((char[])[' ', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);

    [GeneratedRegex(@"^[A-U](\d{2}(\.\d{1,2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NaceCode();
}
