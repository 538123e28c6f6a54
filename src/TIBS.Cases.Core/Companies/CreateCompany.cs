using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Companies;

/// <summary>
/// Registers a company with its contact persons. Brokers (in any region: partners too) and coordinators may. A register
/// number already registered in the country is refused (with the company that has it); a close name in the same region
/// is a probable duplicate, refused until the person confirms with <see cref="Request.RegisterAnyway"/>.
/// </summary>
public sealed class CreateCompany(ICompanyStore companies, IReferenceDataStore reference, TimeProvider time)
{
    public sealed record Request(CompanyFields Fields, bool RegisterAnyway = false);

    public async Task<CompanyCommandResult> HandleAsync(Request request, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!CompanyAccess.CanCreate(actor))
        {
            return CompanyCommandResult.Forbidden(Localized.Text("Only brokers and coordinators register companies."));
        }

        var choices = await CompanyChoices.LoadAsync(reference, ct);
        var prepared = Prepare(request.Fields, choices, actor, time.UtcNow());
        if (prepared.Company is not { } company)
        {
            return CompanyCommandResult.Invalid(prepared.Errors);
        }

        if (company.RegisterNumber is { } number && await companies.FindByRegisterNumberAsync(company.CountryCode, number, ct) is { } same)
        {
            return CompanyCommandResult.NumberTaken(same);
        }

        if (!request.RegisterAnyway)
        {
            var probable = CompanyDuplicates.ProbableDuplicates(company.Name, company.RegionCode, company.RegisterNumber,
                await companies.ListInCountriesAsync([company.CountryCode], ct));
            if (probable.Count > 0)
            {
                return new CompanyCommandResult(CaseCommandStatus.Refused,
                    Localized.Format("{0} is a probable duplicate of {1} in the same region. Open the registered company, or register this one anyway if it is a different organisation.",
                        company.Name, string.Join(", ", probable.Select(p => p.Name))))
                { ProbableDuplicates = probable };
            }
        }

        try
        {
            await companies.InsertAsync(company, ct);
        }
        catch (RegisterNumberTakenException taken)
        {
            return CompanyCommandResult.NumberTaken(taken.Existing);
        }

        return new CompanyCommandResult(CaseCommandStatus.Done, Localized.Format("{0} is registered.", company.Name)) { Company = company };
    }

    /// <summary>
    /// The company a registration would store (validated, with a new id, its author and timestamps), or the problems:
    /// the rules of registering, shared with imports (which store many at once).
    /// </summary>
    internal static CompanyValidation.Outcome Prepare(CompanyFields fields, CompanyChoices choices, Actor actor, DateTimeOffset now, Func<int, string, string>? contactProblem = null)
    {
        var outcome = CompanyValidation.Validate(fields, choices, now, Guid.CreateVersion7(now), [], contactProblem);
        return outcome.Company is { } company
            ? outcome with { Company = company with { CreatedBy = actor.AuditId, CreatedAt = now, UpdatedAt = now, Version = 1 } }
            : outcome;
    }
}
