using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>The company form as posted: text as typed, so that every value comes back unchanged after an error.</summary>
internal sealed class CompanyInput
{
    public string? Name { get; set; }
    public string? CountryCode { get; set; }
    public string? RegionCode { get; set; }
    public string? SizeClass { get; set; }
    public string? RegisterNumber { get; set; }
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

    public static CompanyInput From(Company company)
    {
        var f = CompanyFields.From(company);
        return new()
        {
            Name = f.Name,
            CountryCode = f.CountryCode,
            RegionCode = f.RegionCode,
            SizeClass = f.SizeClass,
            RegisterNumber = f.RegisterNumber,
            YearFounded = f.YearFounded,
            NaceSections = [.. f.NaceSections],
            NaceDetail = f.NaceDetail,
            S3Areas = [.. f.S3Areas],
            Offers = f.Offers,
            Needs = f.Needs,
            Keywords = f.Keywords,
            Languages = f.Languages,
            Website = f.Website,
            Contacts = [.. f.Contacts.Select(ContactInput.From)],
            Version = company.Version,
        };
    }

    /// <summary>The form as the company handlers take it.</summary>
    public CompanyFields ToFields() => new()
    {
        Name = Name,
        CountryCode = CountryCode,
        RegionCode = RegionCode,
        SizeClass = SizeClass,
        RegisterNumber = RegisterNumber,
        YearFounded = YearFounded,
        NaceSections = [.. NaceSections],
        NaceDetail = NaceDetail,
        S3Areas = [.. S3Areas],
        Offers = Offers,
        Needs = Needs,
        Keywords = Keywords,
        Languages = Languages,
        Website = Website,
        Contacts = [.. Contacts.Select(c => c.ToFields())],
    };
}

internal sealed class ContactInput
{
    public Guid? Id { get; set; }
    public string? Name { get; set; }
    public string? Role { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }

    /// <summary>yyyy-MM-dd, as an HTML date input sends it.</summary>
    public string? ConsentDate { get; set; }
    public string? ConsentPurpose { get; set; }
    public string? ConsentLegalBasis { get; set; }

    /// <summary>Ticked to delete this contact person when the form is saved.</summary>
    public bool Remove { get; set; }

    public bool IsBlank => ToFields().IsBlank;

    public static ContactInput From(ContactFields contact) => new()
    {
        Id = contact.Id,
        Name = contact.Name,
        Role = contact.Role,
        Email = contact.Email,
        Phone = contact.Phone,
        ConsentDate = contact.ConsentDate,
        ConsentPurpose = contact.ConsentPurpose,
        ConsentLegalBasis = contact.ConsentLegalBasis,
    };

    public ContactFields ToFields() => new()
    {
        Id = Id,
        Name = Name,
        Role = Role,
        Email = Email,
        Phone = Phone,
        ConsentDate = ConsentDate,
        ConsentPurpose = ConsentPurpose,
        ConsentLegalBasis = ConsentLegalBasis,
        Remove = Remove,
    };
}

/// <summary>What the create and edit pages share: reference data, the problems a handler found, rendering helpers.</summary>
internal abstract class CompanyFormPageModel(CompanyFormOptions options) : PageModel
{
    [BindProperty]
    public CompanyInput Input { get; set; } = new();

    public IReadOnlyList<Region> Regions { get; private set; } = [];

    public IReadOnlyList<NaceSection> NaceSections { get; private set; } = [];

    public IReadOnlyList<S3Area> S3Areas { get; private set; } = [];

    /// <summary>Where the "add a contact person row" button posts (the form's own page with the AddContact handler).</summary>
    public abstract string AddContactUrl { get; }

    public abstract string SubmitLabel { get; }

    /// <summary>The company that already has the register number entered (linked under the field).</summary>
    public CompanySummary? SameNumber { get; protected set; }

    protected async Task LoadReferenceDataAsync(CancellationToken cancellationToken)
    {
        var choices = await options.HandleAsync(User.ToActor(), cancellationToken);
        Regions = choices?.Regions ?? [];
        NaceSections = choices?.NaceSections ?? [];
        S3Areas = choices?.S3Areas ?? [];
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
    /// Shows the problems a handler found: each message under its field (the handler's key with the form's prefix),
    /// replacing binding problems (a tampered version number, say).
    /// </summary>
    protected void ShowErrors(IReadOnlyList<FieldError> errors)
    {
        ModelState.Clear();
        foreach (var error in errors)
        {
            ModelState.AddModelError($"Input.{error.Field}", error.Message);
        }
    }
}
