using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Companies;

/// <summary>A field where what is stored now differs from what the user submitted, in words.</summary>
public sealed record CompanyDifference(string Field, string Saved, string Yours);

/// <summary>
/// The answer to a command on a company. Nothing is written unless <see cref="Status"/> is Done. Field errors are keyed
/// as the company form keys its fields (<c>Name</c>, <c>Contacts[0].Email</c>).
/// </summary>
public sealed record CompanyCommandResult(CaseCommandStatus Status, string Message)
{
    public IReadOnlyList<FieldError> FieldErrors { get; init; } = [];

    /// <summary>Done: the company as stored now. Conflict: the company as someone else stored it meanwhile. InvalidForm of an edit: the company as stored (unchanged).</summary>
    public Company? Company { get; init; }

    /// <summary>Conflict: the fields where the stored company differs from the submitted one.</summary>
    public IReadOnlyList<CompanyDifference> Differences { get; init; } = [];

    /// <summary>A contact command that added a person: its id.</summary>
    public Guid? ContactId { get; init; }

    /// <summary>InvalidForm because the register number is another company's: that company (to link to).</summary>
    public CompanySummary? SameNumber { get; init; }

    /// <summary>Refused at registration: companies with a close name in the same region; registering anyway is the person's choice.</summary>
    public IReadOnlyList<CompanySummary> ProbableDuplicates { get; init; } = [];

    public bool Succeeded => Status == CaseCommandStatus.Done;

    public static string ConflictMessage => Localized.Text("Someone else changed this company since you opened it; your changes are below, review and save again.");

    /// <summary>The register number is already <paramref name="existing"/>'s: refused, with that company to link to.</summary>
    internal static CompanyCommandResult NumberTaken(CompanySummary existing, Company? stored = null) =>
        Invalid([new FieldError("RegisterNumber", Localized.Format("This number is already registered for {0}: open that company instead of registering it again.", existing.Name))])
            with
        { SameNumber = existing, Company = stored };

    internal static CompanyCommandResult NotFound() => new(CaseCommandStatus.NotFound, Localized.Text("The company was not found."));

    internal static CompanyCommandResult Forbidden(string what) => new(CaseCommandStatus.Forbidden, what);

    internal static CompanyCommandResult Invalid(IReadOnlyList<FieldError> errors) =>
        new(CaseCommandStatus.InvalidForm, errors.Count == 1 ? Localized.Text("Please correct this problem.") : Localized.Format("Please correct these {0} problems.", errors.Count)) { FieldErrors = errors };

    /// <summary>Someone else saved first: the current company and how it differs from what was submitted.</summary>
    internal static CompanyCommandResult Conflict(Company current, Company yours) =>
        new(CaseCommandStatus.Conflict, ConflictMessage) { Company = current, Differences = Compare(current, yours) };

    private static List<CompanyDifference> Compare(Company saved, Company yours)
    {
        var list = new List<CompanyDifference>();
        void Add(string field, string? a, string? b)
        {
            if (!string.Equals(a ?? "", b ?? "", StringComparison.Ordinal))
            {
                list.Add(new(Localized.Text(field), string.IsNullOrEmpty(a) ? Localized.Text("(empty)") : a, string.IsNullOrEmpty(b) ? Localized.Text("(empty)") : b));
            }
        }

        static string Contacts(Company c) => string.Join("; ", c.Contacts.Select(x => x.Name).Order(StringComparer.Ordinal));
        static string Codes(IEnumerable<string> codes) => string.Join(", ", codes.Order(StringComparer.Ordinal));
        Add("Name", saved.Name, yours.Name);
        Add("Country", saved.CountryCode, yours.CountryCode);
        Add("NUTS region", saved.RegionCode, yours.RegionCode);
        Add("Organisation type", CompanyRules.SizeClassName(saved.SizeClass), CompanyRules.SizeClassName(yours.SizeClass));
        Add("Register or VAT number", saved.RegisterNumber, yours.RegisterNumber);
        Add("Year founded", saved.YearFounded?.ToString(CultureInfo.InvariantCulture), yours.YearFounded?.ToString(CultureInfo.InvariantCulture));
        Add("NACE codes", Codes(saved.NaceCodes), Codes(yours.NaceCodes));
        Add("S3 areas", Codes(saved.S3Areas), Codes(yours.S3Areas));
        Add("What it offers", saved.Offers, yours.Offers);
        Add("What it needs", saved.Needs, yours.Needs);
        Add("Keywords", saved.Keywords, yours.Keywords);
        Add("Languages", saved.Languages, yours.Languages);
        Add("Website", saved.Website, yours.Website);
        Add("Contact persons", Contacts(saved), Contacts(yours));
        return list;
    }
}
