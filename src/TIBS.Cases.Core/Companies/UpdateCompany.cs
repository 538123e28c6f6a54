using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Companies;

/// <summary>
/// Saves a company's profile and contact persons: coordinators any company, brokers those of their own region.
/// Optimistic concurrency: <see cref="Request.ExpectedVersion"/> is the version the user started from; when someone
/// else saved in between, nothing is written and the result is a conflict with the current company and the differences.
/// </summary>
public sealed class UpdateCompany(ICompanyStore companies, IReferenceDataStore reference, TimeProvider time)
{
    public sealed record Request(Guid Id, int ExpectedVersion, CompanyFields Fields);

    public async Task<CompanyCommandResult> HandleAsync(Request request, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var stored = await companies.GetAsync(request.Id, ct);
        if (CompanyEdit.Refusal(stored, actor) is { } refused)
        {
            return refused;
        }

        return await CompanyEdit.SaveAsync(companies, reference, time, stored!, request.Fields, request.ExpectedVersion, "{0} is saved.", ct);
    }
}
