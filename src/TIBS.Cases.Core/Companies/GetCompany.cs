using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies.Merge;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Companies;

/// <summary>
/// Query: a company's profile with its contact persons and the names of its region, NACE sections and S3 areas. The id
/// of a company merged into another finds the company that survived (<see cref="View.ReachedThrough"/> says so).
/// </summary>
public sealed class GetCompany(ICompanyStore companies, IReferenceDataStore reference, ICompanyMergeStore? merges = null, PersonalData.IPersonalDataStore? vault = null)
{
    public sealed record Request(Guid Id);

    /// <param name="CanEdit">Whether the actor may edit this company.</param>
    public sealed record View(
        Company Company, bool CanEdit, string RegionName, IReadOnlyDictionary<string, string> NaceNames, IReadOnlyDictionary<string, string> S3Names)
    {
        public string CountryName => CompanyRules.CountryName(Company.CountryCode);

        /// <summary>Coordinators may merge duplicates into this company.</summary>
        public bool CanMerge { get; init; }

        /// <summary>The merge that brought the request here when the id asked for was a company merged into this one.</summary>
        public CompanyMergeRecord? ReachedThrough { get; init; }

        /// <summary>The companies merged into this one, newest first.</summary>
        public IReadOnlyList<CompanyMergeRecord> MergedFrom { get; init; } = [];

        /// <summary>When contact persons of this company were erased (decision 0043), oldest first: each is shown as "erased on …".</summary>
        public IReadOnlyList<DateTimeOffset> ErasedContacts { get; init; } = [];
    }

    /// <summary>Done with <see cref="View"/>, NotFound or Forbidden.</summary>
    public sealed record Result(CaseCommandStatus Status, View? View);

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!CompanyAccess.CanRead(actor))
        {
            return new Result(CaseCommandStatus.Forbidden, null);
        }

        var company = await companies.GetAsync(request.Id, ct);
        var reached = company is null && merges is not null ? await merges.FindAsync(request.Id, ct) : null;
        if (reached is not null)
        {
            company = await companies.GetAsync(reached.SurvivorCompanyId, ct);
        }

        if (company is null)
        {
            return new Result(CaseCommandStatus.NotFound, null);
        }

        var choices = await CompanyChoices.LoadAsync(reference, ct);
        return new Result(CaseCommandStatus.Done, new View(
            company,
            CompanyAccess.CanEdit(actor, company),
            choices.RegionName(company.RegionCode),
            choices.NaceSections.ToDictionary(n => n.Code, n => n.Name, StringComparer.Ordinal),
            choices.S3Areas.ToDictionary(a => a.Code, a => a.Name, StringComparer.Ordinal))
        {
            CanMerge = CompanyAccess.CanMerge(actor),
            ReachedThrough = reached,
            MergedFrom = merges is null ? [] : await merges.MergedIntoAsync(company.Id, ct),
            ErasedContacts = vault is null ? [] : await vault.ErasedContactsAsync(company.Id, ct),
        });
    }
}
