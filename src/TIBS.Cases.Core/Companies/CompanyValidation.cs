using System.Globalization;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Companies;

/// <summary>
/// The one check of a company profile, used by registering, editing, contact changes and imports: every problem gets a
/// message in words under the field's key (<c>Name</c>, <c>Contacts[0].Email</c>), and a valid profile becomes the
/// <see cref="Company"/> to store (timestamps, author and version still to be set).
/// </summary>
internal static class CompanyValidation
{
    internal sealed record Outcome(Company? Company, IReadOnlyList<FieldError> Errors)
    {
        public bool IsValid => Company is not null;
    }

    /// <summary>A problem of the n-th contact person (0-based) as a form shows it: "Contact person 1: enter the person's name."</summary>
    public static string FormContactProblem(int index, string problem) => Localized.Format("Contact person {0}: {1}", index + 1, problem);

    /// <summary>A problem of the one contact person a change or an import row is about: "The contact person: enter the person's name."</summary>
    public static string OneContactProblem(int index, string problem) => Localized.Format("The contact person: {0}", problem);

    /// <param name="fields">The profile as entered.</param>
    /// <param name="choices">The reference data the codes must come from.</param>
    /// <param name="now">Today's date bounds the year founded and consent dates.</param>
    /// <param name="id">The company's id.</param>
    /// <param name="existingContactIds">Ids of stored contact persons: a posted id that is not among them gets a new id.</param>
    /// <param name="contactProblem">Makes the message of a problem (a sentence in lower case) of the n-th contact person; <see cref="FormContactProblem"/> when null.</param>
    public static Outcome Validate(
        CompanyFields fields, CompanyChoices choices, DateTimeOffset now, Guid id, IReadOnlyCollection<Guid> existingContactIds, Func<int, string, string>? contactProblem = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(choices);
        var label = contactProblem ?? FormContactProblem;
        var errors = new List<FieldError>();
        void Error(string field, string message) => errors.Add(new FieldError(field, message));
        var i = fields;

        // Lengths and characters first, for every text, as CompanyRules declares them.
        foreach (var (field, rule, what, value) in Texts(i, label))
        {
            if (CompanyRules.TextProblem(rule, what, value) is { } problem)
            {
                Error(field, problem);
            }
        }

        if (i.Contacts.Count(c => !c.IsBlank && !c.Remove) > CompanyRules.MaxContacts)
        {
            Error(nameof(i.Contacts), Localized.Format("At most {0} contact persons can be recorded.", CompanyRules.MaxContacts));
        }

        if (errors.Count > 0)
        {
            return new Outcome(null, errors);
        }

        var name = Clean(i.Name);
        if (name is null)
        {
            Error(nameof(i.Name), Localized.Text("Enter the company's name."));
        }

        var country = Clean(i.CountryCode)?.ToUpperInvariant();
        if (country is null)
        {
            Error(nameof(i.CountryCode), Localized.Text("Choose the country."));
        }
        else if (CompanyRules.Countries.All(c => c.Code != country))
        {
            Error(nameof(i.CountryCode), Localized.Text("Choose one of the partner countries."));
            country = null;
        }

        var regionCode = Clean(i.RegionCode);
        var region = choices.Regions.FirstOrDefault(r => r.Code == regionCode);
        if (regionCode is null)
        {
            Error(nameof(i.RegionCode), Localized.Text("Choose the region."));
        }
        else if (region is null)
        {
            Error(nameof(i.RegionCode), Localized.Text("Choose one of the partner regions."));
        }
        else if (country is not null && region.CountryCode != country)
        {
            Error(nameof(i.RegionCode), Localized.Format("{0} is not in {1}: choose a region of {1}.", region.Name, CompanyRules.CountryName(country)));
        }

        var size = Clean(i.SizeClass);
        if (size is null)
        {
            Error(nameof(i.SizeClass), Localized.Text("Choose the organisation type."));
        }
        else if (!SizeClasses.All.Contains(size))
        {
            Error(nameof(i.SizeClass), Localized.Format("Choose one of the organisation types: {0}.", string.Join(", ", SizeClasses.All)));
        }

        string? registerNumber = null;
        if (Clean(i.RegisterNumber) is { } numberText && country is not null)
        {
            var number = RegisterNumbers.Normalise(country, numberText);
            registerNumber = number.Number;
            if (number.Problem is { } problem)
            {
                Error(nameof(i.RegisterNumber), problem);
            }
        }

        int? year = null;
        var thisYear = now.UtcDateTime.Year;
        if (Clean(i.YearFounded) is { } yearText)
        {
            if (int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y >= CompanyRules.FirstYearFounded && y <= thisYear)
            {
                year = y;
            }
            else
            {
                Error(nameof(i.YearFounded), Localized.Format("Enter the year founded as a year from {0} to {1}, such as 2015.", CompanyRules.FirstYearFounded.ToString(CultureInfo.InvariantCulture), thisYear.ToString(CultureInfo.InvariantCulture)));
            }
        }

        var nace = new List<string>();
        foreach (var section in i.NaceSections.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal))
        {
            if (choices.NaceSections.Any(n => n.Code == section))
            {
                nace.Add(section);
            }
            else
            {
                Error(nameof(i.NaceSections), Localized.Format("'{0}' is not a NACE section.", section));
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
                Localized.Format("Not a NACE code: {0}. Write a section letter A–U with a two-digit division and optionally a group or class, such as C10, M72 or C10.51, separated by commas.", string.Join(", ", wrongNace.Select(c => $"'{c}'"))));
        }

        var s3 = new List<string>();
        foreach (var area in i.S3Areas.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal))
        {
            if (choices.S3Areas.Any(a => a.Code == area))
            {
                s3.Add(area);
            }
            else
            {
                Error(nameof(i.S3Areas), Localized.Format("'{0}' is not an S3 area.", area));
            }
        }

        var keywords = CompanyRules.SplitList(i.Keywords);
        var languages = CompanyRules.SplitList(i.Languages).Select(l => l.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var wrongLanguages = languages.Where(l => !CompanyRules.IsLanguageCode(l)).ToList();
        if (wrongLanguages.Count > 0)
        {
            Error(nameof(i.Languages),
                Localized.Format("Not an ISO 639-1 language code: {0}. Write two-letter codes separated by commas, such as lv, en.", string.Join(", ", wrongLanguages.Select(l => $"'{l}'"))));
        }

        var website = Clean(i.Website);
        if (website is not null && !CompanyRules.IsWebsite(website))
        {
            Error(nameof(i.Website), Localized.Text("Enter the website's full address, starting with http:// or https://, such as https://example.com."));
        }

        var contacts = Contacts(i.Contacts, now, existingContactIds, label, errors);
        if (errors.Count > 0)
        {
            return new Outcome(null, errors);
        }

        return new Outcome(new Company
        {
            Id = id,
            Name = name!,
            CountryCode = country!,
            RegionCode = region!.Code,
            SizeClass = size!,
            RegisterNumber = registerNumber,
            YearFounded = year,
            Website = website,
            Offers = Clean(i.Offers),
            Needs = Clean(i.Needs),
            Keywords = keywords.Count == 0 ? null : string.Join(", ", keywords),
            Languages = languages.Count == 0 ? null : string.Join(", ", languages),
            NaceCodes = [.. nace.Distinct(StringComparer.Ordinal)],
            S3Areas = s3,
            Contacts = contacts,
        }, errors);
    }

    private static List<CompanyContact> Contacts(
        IReadOnlyList<ContactFields> rows, DateTimeOffset now, IReadOnlyCollection<Guid> existingContactIds, Func<int, string, string> label, List<FieldError> errors)
    {
        void Error(string field, string message) => errors.Add(new FieldError(field, message));
        var contacts = new List<CompanyContact>();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (var n = 0; n < rows.Count; n++)
        {
            var row = rows[n];
            if (row.Remove || row.IsBlank)
            {
                continue;
            }

            var prefix = $"Contacts[{n}].";
            string Who(string problem) => label(n, problem);
            var contactName = Clean(row.Name);
            if (contactName is null)
            {
                Error(prefix + nameof(row.Name), Who(Localized.Text("enter the person's name.")));
            }

            var email = Clean(row.Email);
            if (email is not null && !CompanyRules.IsEmail(email))
            {
                Error(prefix + nameof(row.Email), Who(Localized.Text("enter an e-mail address such as name@example.org.")));
            }

            var phone = Clean(row.Phone);
            if (phone is not null && !CompanyRules.IsPhone(phone))
            {
                Error(prefix + nameof(row.Phone), Who(Localized.Text("enter a phone number of digits, spaces and + ( ) - . /, such as +371 2612 3456.")));
            }

            DateOnly? consentDate = null;
            var dateText = Clean(row.ConsentDate);
            if (dateText is not null)
            {
                if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    Error(prefix + nameof(row.ConsentDate), Who(Localized.Text("enter the consent date as a date such as 2026-03-14.")));
                }
                else if (d > today)
                {
                    Error(prefix + nameof(row.ConsentDate), Who(Localized.Text("the consent date cannot be in the future.")));
                }
                else
                {
                    consentDate = d;
                }
            }

            var purpose = Clean(row.ConsentPurpose);
            if (Clean(row.ConsentLegalBasis) is { } basis && !PersonalData.LegalBases.All.Contains(basis))
            {
                Error(prefix + nameof(row.ConsentLegalBasis), Who(Localized.Format("choose the legal basis from the list ({0}).", string.Join("; ", PersonalData.LegalBases.All.Select(PersonalData.LegalBases.Label)))));
            }

            if (dateText is not null && purpose is null)
            {
                Error(prefix + nameof(row.ConsentPurpose), Who(Localized.Text("enter what the consent was given for; a consent date needs its purpose.")));
            }
            else if (purpose is not null && dateText is null)
            {
                Error(prefix + nameof(row.ConsentDate), Who(Localized.Text("enter the date the consent was given; a consent purpose needs its date.")));
            }

            contacts.Add(new CompanyContact
            {
                Id = row.Id is { } existing && existingContactIds.Contains(existing) ? existing : Guid.CreateVersion7(now),
                Name = contactName ?? "",
                Role = Clean(row.Role),
                Email = email,
                Phone = phone,
                ConsentDate = consentDate,
                ConsentPurpose = purpose,
                ConsentLegalBasis = PersonalData.LegalBases.All.Contains(row.ConsentLegalBasis ?? "") ? row.ConsentLegalBasis : null,
            });
        }

        return contacts;
    }

    /// <summary>Every text of the profile: its key, its key in CompanyRules.MaxLengths, its name in messages, its value.</summary>
    private static IEnumerable<(string Field, string Rule, string What, string? Value)> Texts(CompanyFields i, Func<int, string, string> label)
    {
        yield return (nameof(i.Name), "Name", Localized.Text("The name"), i.Name);
        yield return (nameof(i.CountryCode), "CountryCode", Localized.Text("The country"), i.CountryCode);
        yield return (nameof(i.RegionCode), "RegionCode", Localized.Text("The region"), i.RegionCode);
        yield return (nameof(i.SizeClass), "SizeClass", Localized.Text("The organisation type"), i.SizeClass);
        yield return (nameof(i.RegisterNumber), "RegisterNumber", Localized.Text("The register or VAT number"), i.RegisterNumber);
        yield return (nameof(i.YearFounded), "YearFounded", Localized.Text("The year founded"), i.YearFounded);
        yield return (nameof(i.NaceDetail), "NaceDetail", Localized.Text("The NACE codes"), i.NaceDetail);
        yield return (nameof(i.Offers), "Offers", Localized.Text("What it offers"), i.Offers);
        yield return (nameof(i.Needs), "Needs", Localized.Text("What it needs"), i.Needs);
        yield return (nameof(i.Keywords), "Keywords", Localized.Text("The keywords"), i.Keywords);
        yield return (nameof(i.Languages), "Languages", Localized.Text("The language list"), i.Languages);
        yield return (nameof(i.Website), "Website", Localized.Text("The website address"), i.Website);
        for (var n = 0; n < i.Contacts.Count; n++)
        {
            var row = i.Contacts[n];
            var prefix = $"Contacts[{n}].";
            yield return (prefix + nameof(row.Name), "Contacts.Name", label(n, Localized.Text("the person's name")), row.Name);
            yield return (prefix + nameof(row.Role), "Contacts.Role", label(n, Localized.Text("the role")), row.Role);
            yield return (prefix + nameof(row.Email), "Contacts.Email", label(n, Localized.Text("the e-mail address")), row.Email);
            yield return (prefix + nameof(row.Phone), "Contacts.Phone", label(n, Localized.Text("the phone number")), row.Phone);
            yield return (prefix + nameof(row.ConsentDate), "Contacts.ConsentDate", label(n, Localized.Text("the consent date")), row.ConsentDate);
            yield return (prefix + nameof(row.ConsentPurpose), "Contacts.ConsentPurpose", label(n, Localized.Text("the consent purpose")), row.ConsentPurpose);
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
