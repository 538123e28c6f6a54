using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Companies;

/// <summary>Changes a contact person of a company; the same rights and checks as editing the company.</summary>
public sealed class UpdateContact(ICompanyStore companies, IReferenceDataStore reference, TimeProvider time)
{
    /// <param name="ExpectedVersion">The company version the user started from; null: the version stored now.</param>
    public sealed record Request(Guid CompanyId, Guid ContactId, ContactFields Contact, int? ExpectedVersion = null);

    public Task<CompanyCommandResult> HandleAsync(Request request, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ContactEdit(companies, reference, time).ChangeAsync(request.CompanyId, actor, request.ExpectedVersion, "The contact person of {0} is saved.", contacts =>
        {
            var index = contacts.FindIndex(c => c.Id == request.ContactId);
            if (index >= 0)
            {
                contacts[index] = request.Contact with { Id = request.ContactId, Remove = false };
            }

            return index;
        }, ct);
    }
}
