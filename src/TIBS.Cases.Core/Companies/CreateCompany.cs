using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Companies;

/// <summary>Registers a company with its contact persons. Brokers (in any region: partners too) and coordinators may.</summary>
public sealed class CreateCompany(ICompanyStore companies, IReferenceDataStore reference, TimeProvider time)
{
    public sealed record Request(CompanyFields Fields);

    public async Task<CompanyCommandResult> HandleAsync(Request request, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!CompanyAccess.CanCreate(actor))
        {
            return CompanyCommandResult.Forbidden("Only brokers and coordinators register companies.");
        }

        var choices = await CompanyChoices.LoadAsync(reference, ct);
        var prepared = Prepare(request.Fields, choices, actor, time.UtcNow());
        if (prepared.Company is not { } company)
        {
            return CompanyCommandResult.Invalid(prepared.Errors);
        }

        await companies.InsertAsync(company, ct);
        return new CompanyCommandResult(CaseCommandStatus.Done, $"{company.Name} is registered.") { Company = company };
    }

    /// <summary>
    /// The company a registration would store (validated, with a new id, its author and timestamps), or the problems:
    /// the rules of registering, shared with imports (which store many at once).
    /// </summary>
    internal static CompanyValidation.Outcome Prepare(CompanyFields fields, CompanyChoices choices, Actor actor, DateTimeOffset now, Func<int, string>? contactLabel = null)
    {
        var outcome = CompanyValidation.Validate(fields, choices, now, Guid.CreateVersion7(now), [], contactLabel);
        return outcome.Company is { } company
            ? outcome with { Company = company with { CreatedBy = actor.AuditId, CreatedAt = now, UpdatedAt = now, Version = 1 } }
            : outcome;
    }
}
