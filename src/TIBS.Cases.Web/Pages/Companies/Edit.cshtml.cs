using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>
/// Edits a company: coordinators any, brokers only those of their own region (403 otherwise, 404 for unknown ids).
/// Optimistic concurrency: the version the form was loaded from travels in a hidden field; when someone else saved
/// in between, nothing is written and the user gets their input back next to what is stored now.
/// </summary>
public sealed class EditModel(ICompanyStore companies, IReferenceDataStore reference, TimeProvider time) : CompanyFormPageModel(reference, time)
{
    public const string ConflictMessage = "Someone else changed this company since you opened it; your changes are below, review and save again.";

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public Company? Stored { get; private set; }

    /// <summary>Set when the save was refused because of a concurrent change.</summary>
    public bool Conflict { get; private set; }

    /// <summary>After a conflict: the fields where what is stored now differs from the user's input.</summary>
    public IReadOnlyList<(string Field, string Saved, string Yours)> Differences { get; private set; } = [];

    public override string AddContactUrl => $"/companies/{Id}/edit?handler=AddContact";

    public override string SubmitLabel => "Save changes";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        Input = CompanyInput.From(Stored!);
        EnsureBlankContactRow();
        return Page();
    }

    public async Task<IActionResult> OnPostAddContactAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        ModelState.Clear();
        Input.Contacts.Add(new ContactInput());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        var stored = Stored!;
        var company = Validate(stored.Id, [.. stored.Contacts.Select(c => c.Id)]);
        if (company is null)
        {
            EnsureBlankContactRow();
            return Page();
        }

        try
        {
            var now = Time.UtcNow();
            await companies.UpdateAsync(
                company with { CreatedBy = stored.CreatedBy, CreatedAt = stored.CreatedAt, UpdatedAt = now },
                Input.Version,
                cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            var current = await companies.GetAsync(Id, cancellationToken);
            if (current is null)
            {
                return NotFound();
            }

            Stored = current;
            Conflict = true;
            Differences = Compare(current, company);
            Input.Version = current.Version;
            EnsureBlankContactRow();
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        TempData["Flash"] = $"{company.Name} is saved.";
        return Redirect($"/companies/{company.Id}");
    }

    /// <summary>Loads the stored company and checks the actor may edit it; returns the refusal, or null to go on.</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        Stored = await companies.GetAsync(Id, cancellationToken);
        if (Stored is null)
        {
            return NotFound();
        }

        if (!CompanyAccess.CanEdit(User.ToActor(), Stored))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        await LoadReferenceDataAsync(cancellationToken);
        return null;
    }

    private static List<(string Field, string Saved, string Yours)> Compare(Company saved, Company yours)
    {
        var list = new List<(string, string, string)>();
        void Add(string field, string? a, string? b)
        {
            if (!string.Equals(a ?? "", b ?? "", StringComparison.Ordinal))
            {
                list.Add((field, string.IsNullOrEmpty(a) ? "(empty)" : a, string.IsNullOrEmpty(b) ? "(empty)" : b));
            }
        }

        static string Contacts(Company c) => string.Join("; ", c.Contacts.Select(x => x.Name).Order(StringComparer.Ordinal));
        Add("Name", saved.Name, yours.Name);
        Add("Country", saved.CountryCode, yours.CountryCode);
        Add("NUTS region", saved.RegionCode, yours.RegionCode);
        Add("Size class", saved.SizeClass, yours.SizeClass);
        Add("Year founded", saved.YearFounded?.ToString(System.Globalization.CultureInfo.InvariantCulture), yours.YearFounded?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("NACE codes", string.Join(", ", saved.NaceCodes.Order(StringComparer.Ordinal)), string.Join(", ", yours.NaceCodes.Order(StringComparer.Ordinal)));
        Add("S3 areas", string.Join(", ", saved.S3Areas.Order(StringComparer.Ordinal)), string.Join(", ", yours.S3Areas.Order(StringComparer.Ordinal)));
        Add("What it offers", saved.Offers, yours.Offers);
        Add("What it needs", saved.Needs, yours.Needs);
        Add("Keywords", saved.Keywords, yours.Keywords);
        Add("Languages", saved.Languages, yours.Languages);
        Add("Website", saved.Website, yours.Website);
        Add("Contact persons", Contacts(saved), Contacts(yours));
        return list;
    }
}
