using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Companies;

/// <summary>Query: a company's profile with its contact persons and the names of its region, NACE sections and S3 areas.</summary>
public sealed class GetCompany(ICompanyStore companies, IReferenceDataStore reference)
{
    public sealed record Request(Guid Id);

    /// <param name="CanEdit">Whether the actor may edit this company.</param>
    public sealed record View(
        Company Company, bool CanEdit, string RegionName, IReadOnlyDictionary<string, string> NaceNames, IReadOnlyDictionary<string, string> S3Names)
    {
        public string CountryName => CompanyRules.CountryName(Company.CountryCode);
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

        if (await companies.GetAsync(request.Id, ct) is not { } company)
        {
            return new Result(CaseCommandStatus.NotFound, null);
        }

        var choices = await CompanyChoices.LoadAsync(reference, ct);
        return new Result(CaseCommandStatus.Done, new View(
            company,
            CompanyAccess.CanEdit(actor, company),
            choices.RegionName(company.RegionCode),
            choices.NaceSections.ToDictionary(n => n.Code, n => n.Name, StringComparer.Ordinal),
            choices.S3Areas.ToDictionary(a => a.Code, a => a.Name, StringComparer.Ordinal)));
    }
}
