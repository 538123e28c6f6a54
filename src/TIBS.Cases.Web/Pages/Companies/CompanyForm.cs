using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>The company form as posted: text as typed, so that every value comes back unchanged after an error.</summary>
public sealed class CompanyInput
{
    public string? Name { get; set; }
    public string? CountryCode { get; set; }
    public string? RegionCode { get; set; }
    public string? SizeClass { get; set; }
    public string? YearFounded { get; set; }
    public List<string> NaceSections { get; set; } = [];

    /// <summary>Divisions, groups or classes typed as text, comma separated (C10, M72.1).</summary>
    public string? NaceDetail { get; set; }
    public List<string> S3Areas { get; set; } = [];
    public string? Offers { get; set; }
    public string? Needs { get; set; }
    public string? Keywords { get; set; }
    public string? Languages { get; set; }
    public string? Website { get; set; }
    public List<ContactInput> Contacts { get; set; } = [];

    /// <summary>The version the form was loaded from (edit only): the optimistic concurrency token.</summary>
    public int Version { get; set; }

    public static CompanyInput From(Company company) => new()
    {
        Name = company.Name,
        CountryCode = company.CountryCode,
        RegionCode = company.RegionCode,
        SizeClass = company.SizeClass,
        YearFounded = company.YearFounded?.ToString(CultureInfo.InvariantCulture),
        NaceSections = [.. company.NaceCodes.Where(c => c.Length == 1)],
        NaceDetail = string.Join(", ", company.NaceCodes.Where(c => c.Length > 1)),
        S3Areas = [.. company.S3Areas],
        Offers = company.Offers,
        Needs = company.Needs,
        Keywords = company.Keywords,
        Languages = company.Languages,
        Website = company.Website,
        Contacts = [.. company.Contacts.Select(ContactInput.From)],
        Version = company.Version,
    };
}

public sealed class ContactInput
{
    public Guid? Id { get; set; }
    public string? Name { get; set; }
    public string? Role { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }

    /// <summary>yyyy-MM-dd, as an HTML date input sends it.</summary>
    public string? ConsentDate { get; set; }
    public string? ConsentPurpose { get; set; }

    /// <summary>Ticked to delete this contact person when the form is saved.</summary>
    public bool Remove { get; set; }

    public bool IsBlank =>
        string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Role) && string.IsNullOrWhiteSpace(Email)
        && string.IsNullOrWhiteSpace(Phone) && string.IsNullOrWhiteSpace(ConsentDate) && string.IsNullOrWhiteSpace(ConsentPurpose);

    public static ContactInput From(CompanyContact contact) => new()
    {
        Id = contact.Id,
        Name = contact.Name,
        Role = contact.Role,
        Email = contact.Email,
        Phone = contact.Phone,
        ConsentDate = contact.ConsentDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ConsentPurpose = contact.ConsentPurpose,
    };
}

/// <summary>What the create and edit pages share: reference data, validation of the posted form, rendering helpers.</summary>
public abstract class CompanyFormPageModel(IReferenceDataStore reference, TimeProvider time) : PageModel
{
    [BindProperty]
    public CompanyInput Input { get; set; } = new();

    public IReadOnlyList<Region> Regions { get; private set; } = [];

    public IReadOnlyList<NaceSection> NaceSections { get; private set; } = [];

    public IReadOnlyList<S3Area> S3Areas { get; private set; } = [];

    /// <summary>Where the "add a contact person row" button posts (the form's own page with the AddContact handler).</summary>
    public abstract string AddContactUrl { get; }

    public abstract string SubmitLabel { get; }

    protected TimeProvider Time => time;

    protected async Task LoadReferenceDataAsync(CancellationToken cancellationToken)
    {
        Regions = await reference.RegionsAsync(cancellationToken);
        NaceSections = await reference.NaceSectionsAsync(cancellationToken);
        S3Areas = await reference.S3AreasAsync(cancellationToken);
    }

    /// <summary>Keeps one empty contact row at the end, for adding a person without JavaScript.</summary>
    protected void EnsureBlankContactRow()
    {
        if (Input.Contacts.Count == 0 || !Input.Contacts[^1].IsBlank)
        {
            Input.Contacts.Add(new ContactInput());
        }
    }

    public string FieldId(string key) => key.Replace('.', '_').Replace('[', '_').Replace(']', '_');

    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;

    public string Invalid(string key) => ErrorFor(key) is null ? "" : " is-invalid";

    /// <summary>aria-describedby of an input: its hint (when it has one) and its error message (when there is one).</summary>
    public string? DescribedBy(string key, bool hasHint = false)
    {
        var ids = new List<string>();
        if (hasHint)
        {
            ids.Add(FieldId(key) + "-hint");
        }

        if (ErrorFor(key) is not null)
        {
            ids.Add(FieldId(key) + "-error");
        }

        return ids.Count == 0 ? null : string.Join(' ', ids);
    }

    /// <summary>Every error with the field it belongs to, in form order, for the summary at the top.</summary>
    public IEnumerable<(string FieldId, string Message)> AllErrors() =>
        ModelState.Where(e => e.Value is { Errors.Count: > 0 } && e.Key.Length > 0)
            .SelectMany(e => e.Value!.Errors.Select(x => (FieldId(e.Key), x.ErrorMessage)));

    /// <summary>
    /// Checks the posted form against the rules and reference data; adds one message per problem to ModelState under
    /// the field's name. Returns the company as it would be stored (ids and timestamps still to be set), or null.
    /// </summary>
    protected Company? Validate(Guid id, IReadOnlyCollection<Guid> existingContactIds)
    {
        // Binding problems (a tampered version number, say) are replaced by the messages below.
        ModelState.Clear();
        var i = Input;
        void Error(string field, string message) => ModelState.AddModelError($"Input.{field}", message);

        // Lengths and characters first, for every text the form has, as CompanyRules declares them.
        var tooLong = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, rule, what, value) in Texts(i))
        {
            if (CompanyRules.TextProblem(rule, what, value) is { } problem)
            {
                Error(field, problem);
                tooLong.Add(field);
            }
        }

        if (i.Contacts.Count > CompanyRules.MaxContacts + 1)
        {
            Error(nameof(i.Contacts), $"At most {CompanyRules.MaxContacts} contact persons can be recorded.");
        }

        if (tooLong.Count > 0 || !ModelState.IsValid)
        {
            return null;
        }

        var name = Clean(i.Name);
        if (name is null)
        {
            Error(nameof(i.Name), "Enter the company's name.");
        }

        var country = Clean(i.CountryCode)?.ToUpperInvariant();
        if (country is null)
        {
            Error(nameof(i.CountryCode), "Choose the country.");
        }
        else if (CompanyRules.Countries.All(c => c.Code != country))
        {
            Error(nameof(i.CountryCode), "Choose one of the partner countries.");
            country = null;
        }

        var regionCode = Clean(i.RegionCode);
        var region = Regions.FirstOrDefault(r => r.Code == regionCode);
        if (regionCode is null)
        {
            Error(nameof(i.RegionCode), "Choose the region.");
        }
        else if (region is null)
        {
            Error(nameof(i.RegionCode), "Choose one of the partner regions.");
        }
        else if (country is not null && region.CountryCode != country)
        {
            Error(nameof(i.RegionCode), $"{region.Name} is not in {CompanyRules.CountryName(country)}: choose a region of {CompanyRules.CountryName(country)}.");
        }

        var size = Clean(i.SizeClass);
        if (size is null)
        {
            Error(nameof(i.SizeClass), "Choose the size class.");
        }
        else if (!SizeClasses.All.Contains(size))
        {
            Error(nameof(i.SizeClass), "Choose one of the size classes.");
        }

        int? year = null;
        var thisYear = time.GetUtcNow().Year;
        if (Clean(i.YearFounded) is { } yearText)
        {
            if (int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y >= CompanyRules.FirstYearFounded && y <= thisYear)
            {
                year = y;
            }
            else
            {
                Error(nameof(i.YearFounded), $"Enter the year founded as a year from {CompanyRules.FirstYearFounded} to {thisYear}, such as 2015.");
            }
        }

        var nace = new List<string>();
        foreach (var section in i.NaceSections.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal))
        {
            if (NaceSections.Any(n => n.Code == section))
            {
                nace.Add(section);
            }
            else
            {
                Error(nameof(i.NaceSections), $"'{section}' is not a NACE section.");
            }
        }

        var wrongNace = new List<string>();
        foreach (var code in CompanyRules.SplitList(i.NaceDetail).Select(c => c.ToUpperInvariant()))
        {
            if (CompanyRules.IsNaceCode(code))
            {
                nace.Add(code);
            }
            else
            {
                wrongNace.Add(code);
            }
        }

        if (wrongNace.Count > 0)
        {
            Error(nameof(i.NaceDetail),
                $"Not a NACE code: {string.Join(", ", wrongNace.Select(c => $"'{c}'"))}. Write a section letter A–U with a two-digit division and optionally a group or class, such as C10, M72 or C10.51, separated by commas.");
        }

        var s3 = new List<string>();
        foreach (var area in i.S3Areas.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal))
        {
            if (S3Areas.Any(a => a.Code == area))
            {
                s3.Add(area);
            }
            else
            {
                Error(nameof(i.S3Areas), $"'{area}' is not an S3 area.");
            }
        }

        var offers = Clean(i.Offers);
        var needs = Clean(i.Needs);
        var keywords = CompanyRules.SplitList(i.Keywords);
        var keywordText = keywords.Count == 0 ? null : string.Join(", ", keywords);

        var languages = CompanyRules.SplitList(i.Languages).Select(l => l.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var wrongLanguages = languages.Where(l => !CompanyRules.IsLanguageCode(l)).ToList();
        if (wrongLanguages.Count > 0)
        {
            Error(nameof(i.Languages),
                $"Not an ISO 639-1 language code: {string.Join(", ", wrongLanguages.Select(l => $"'{l}'"))}. Write two-letter codes separated by commas, such as lv, en.");
        }

        var languageText = languages.Count == 0 ? null : string.Join(", ", languages);

        var website = Clean(i.Website);
        if (website is not null && !CompanyRules.IsWebsite(website))
        {
            Error(nameof(i.Website), "Enter the website's full address, starting with http:// or https://, such as https://example.com.");
        }

        var contacts = new List<CompanyContact>();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        for (var n = 0; n < i.Contacts.Count; n++)
        {
            var row = i.Contacts[n];
            if (row.Remove || row.IsBlank)
            {
                continue;
            }

            var prefix = $"Contacts[{n}].";
            var who = $"Contact person {n + 1}";
            var contactName = Clean(row.Name);
            if (contactName is null)
            {
                Error(prefix + nameof(row.Name), $"{who}: enter the person's name.");
            }

            var role = Clean(row.Role);
            var email = Clean(row.Email);
            if (email is not null && !CompanyRules.IsEmail(email))
            {
                Error(prefix + nameof(row.Email), $"{who}: {ContactFormats.EmailHint}");
            }

            var phone = Clean(row.Phone);
            if (phone is not null && !CompanyRules.IsPhone(phone))
            {
                Error(prefix + nameof(row.Phone), $"{who}: {ContactFormats.PhoneHint}");
            }

            DateOnly? consentDate = null;
            if (Clean(row.ConsentDate) is { } dateText)
            {
                if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    Error(prefix + nameof(row.ConsentDate), $"{who}: enter the consent date as a date such as 2026-03-14.");
                }
                else if (d > today)
                {
                    Error(prefix + nameof(row.ConsentDate), $"{who}: the consent date cannot be in the future.");
                }
                else
                {
                    consentDate = d;
                }
            }

            var purpose = Clean(row.ConsentPurpose);
            if (Clean(row.ConsentDate) is not null && purpose is null)
            {
                Error(prefix + nameof(row.ConsentPurpose), $"{who}: enter what the consent was given for; a consent date needs its purpose.");
            }
            else if (purpose is not null && Clean(row.ConsentDate) is null)
            {
                Error(prefix + nameof(row.ConsentDate), $"{who}: enter the date the consent was given; a consent purpose needs its date.");
            }

            contacts.Add(new CompanyContact
            {
                Id = row.Id is { } existing && existingContactIds.Contains(existing) ? existing : Guid.CreateVersion7(time.GetUtcNow()),
                Name = contactName ?? "",
                Role = role,
                Email = email,
                Phone = phone,
                ConsentDate = consentDate,
                ConsentPurpose = purpose,
            });
        }

        if (!ModelState.IsValid)
        {
            return null;
        }

        return new Company
        {
            Id = id,
            Name = name!,
            CountryCode = country!,
            RegionCode = region!.Code,
            SizeClass = size!,
            YearFounded = year,
            Website = website,
            Offers = offers,
            Needs = needs,
            Keywords = keywordText,
            Languages = languageText,
            NaceCodes = [.. nace.Distinct(StringComparer.Ordinal)],
            S3Areas = s3,
            Contacts = contacts,
        };
    }

    /// <summary>Every text of the posted form: its ModelState key (without "Input."), its key in CompanyRules.MaxLengths, its name in messages, its value.</summary>
    private static IEnumerable<(string Field, string Rule, string What, string? Value)> Texts(CompanyInput i)
    {
        yield return (nameof(i.Name), "Name", "The name", i.Name);
        yield return (nameof(i.CountryCode), "CountryCode", "The country", i.CountryCode);
        yield return (nameof(i.RegionCode), "RegionCode", "The region", i.RegionCode);
        yield return (nameof(i.SizeClass), "SizeClass", "The size class", i.SizeClass);
        yield return (nameof(i.YearFounded), "YearFounded", "The year founded", i.YearFounded);
        yield return (nameof(i.NaceDetail), "NaceDetail", "The NACE codes", i.NaceDetail);
        yield return (nameof(i.Offers), "Offers", "What it offers", i.Offers);
        yield return (nameof(i.Needs), "Needs", "What it needs", i.Needs);
        yield return (nameof(i.Keywords), "Keywords", "The keywords", i.Keywords);
        yield return (nameof(i.Languages), "Languages", "The language list", i.Languages);
        yield return (nameof(i.Website), "Website", "The website address", i.Website);
        for (var n = 0; n < i.Contacts.Count; n++)
        {
            var row = i.Contacts[n];
            var prefix = $"Contacts[{n}].";
            var who = $"Contact person {n + 1}";
            yield return (prefix + nameof(row.Name), "Contacts.Name", $"{who}: the name", row.Name);
            yield return (prefix + nameof(row.Role), "Contacts.Role", $"{who}: the role", row.Role);
            yield return (prefix + nameof(row.Email), "Contacts.Email", $"{who}: the e-mail address", row.Email);
            yield return (prefix + nameof(row.Phone), "Contacts.Phone", $"{who}: the phone number", row.Phone);
            yield return (prefix + nameof(row.ConsentDate), "Contacts.ConsentDate", $"{who}: the consent date", row.ConsentDate);
            yield return (prefix + nameof(row.ConsentPurpose), "Contacts.ConsentPurpose", $"{who}: the consent purpose", row.ConsentPurpose);
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
