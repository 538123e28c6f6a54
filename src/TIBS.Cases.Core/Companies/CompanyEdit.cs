using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Companies;

/// <summary>What editing a company and changing its contact persons share: who may, and saving with the version check.</summary>
internal static class CompanyEdit
{
    /// <summary>Not found, or not the actor's to edit; null when the edit may go on.</summary>
    public static CompanyCommandResult? Refusal(Company? stored, Actor actor) =>
        stored is null ? CompanyCommandResult.NotFound()
        : !CompanyAccess.CanEdit(actor, stored) ? CompanyCommandResult.Forbidden(Localized.Text("Brokers edit the companies of their own region; coordinators edit every company."))
        : null;

    /// <summary>
    /// Validates <paramref name="fields"/> as the new state of <paramref name="stored"/> and writes it when the stored
    /// version is still <paramref name="expectedVersion"/>. <paramref name="doneMessage"/> is the English key of the
    /// message, with {0} for the name; <paramref name="contactProblem"/> words a contact person's problems (the form's
    /// numbered "Contact person 1: …" when null).
    /// </summary>
    public static async Task<CompanyCommandResult> SaveAsync(
        ICompanyStore companies, IReferenceDataStore reference, TimeProvider time, Company stored, CompanyFields fields, int expectedVersion,
        string doneMessage, CancellationToken ct, Func<int, string, string>? contactProblem = null)
    {
        var choices = await CompanyChoices.LoadAsync(reference, ct);
        var now = time.UtcNow();
        var outcome = CompanyValidation.Validate(fields, choices, now, stored.Id, [.. stored.Contacts.Select(c => c.Id)], contactProblem);
        if (outcome.Company is not { } company)
        {
            return CompanyCommandResult.Invalid(outcome.Errors) with { Company = stored };
        }

        company = company with { CreatedBy = stored.CreatedBy, CreatedAt = stored.CreatedAt, UpdatedAt = now };
        if (company.RegisterNumber is { } number && number != stored.RegisterNumber
            && await companies.FindByRegisterNumberAsync(company.CountryCode, number, ct) is { } same && same.Id != stored.Id)
        {
            return CompanyCommandResult.NumberTaken(same, stored);
        }

        try
        {
            var version = await companies.UpdateAsync(company, expectedVersion, ct);
            return new CompanyCommandResult(CaseCommandStatus.Done, Localized.Format(doneMessage, company.Name))
            {
                Company = company with { Version = version },
            };
        }
        catch (RegisterNumberTakenException taken)
        {
            return CompanyCommandResult.NumberTaken(taken.Existing, stored);
        }
        catch (ConcurrencyConflictException)
        {
            return await companies.GetAsync(stored.Id, ct) is { } current
                ? CompanyCommandResult.Conflict(current, company)
                : CompanyCommandResult.NotFound();
        }
    }
}

/// <summary>
/// A change to one contact person: load the company, check the actor may edit it, change the list, save with the
/// version check. The person's own problems are keyed by field alone (<c>Email</c>) and name "the contact person".
/// </summary>
internal sealed class ContactEdit(ICompanyStore companies, IReferenceDataStore reference, TimeProvider time)
{

    /// <param name="change">Changes the list of contact persons; returns the index of the person changed, or -1 when the person is not there.</param>
    public async Task<CompanyCommandResult> ChangeAsync(
        Guid companyId, Actor actor, int? expectedVersion, string doneMessage, Func<List<ContactFields>, int> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var stored = await companies.GetAsync(companyId, ct);
        if (CompanyEdit.Refusal(stored, actor) is { } refused)
        {
            return refused;
        }

        var fields = CompanyFields.From(stored!);
        var contacts = fields.Contacts.ToList();
        var index = change(contacts);
        if (index < 0)
        {
            return new CompanyCommandResult(CaseCommandStatus.NotFound, Localized.Text("The contact person was not found."));
        }

        if (contacts[index] is { IsBlank: true, Remove: false })
        {
            return CompanyCommandResult.Invalid([new FieldError(nameof(ContactFields.Name), CompanyValidation.OneContactProblem(index, Localized.Text("enter the person's name.")))]) with { Company = stored };
        }

        var result = await CompanyEdit.SaveAsync(companies, reference, time, stored!, fields with { Contacts = contacts }, expectedVersion ?? stored!.Version, doneMessage, ct,
            (n, problem) => n == index ? CompanyValidation.OneContactProblem(n, problem) : CompanyValidation.FormContactProblem(n, problem));
        if (result.Status != CaseCommandStatus.InvalidForm)
        {
            return result;
        }

        var prefix = $"Contacts[{index}].";
        return result with
        {
            FieldErrors =
            [
                .. result.FieldErrors.Select(e => e.Field.StartsWith(prefix, StringComparison.Ordinal)
                    ? new FieldError(e.Field[prefix.Length..], e.Message)
                    : e),
            ],
        };
    }
}
