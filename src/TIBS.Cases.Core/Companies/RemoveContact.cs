using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Companies;

/// <summary>Removes a contact person from a company; the same rights as editing the company.</summary>
public sealed class RemoveContact(ICompanyStore companies, IReferenceDataStore reference, TimeProvider time)
{
    /// <param name="ExpectedVersion">The company version the user started from; null: the version stored now.</param>
    public sealed record Request(Guid CompanyId, Guid ContactId, int? ExpectedVersion = null);

    public Task<CompanyCommandResult> HandleAsync(Request request, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ContactEdit(companies, reference, time).ChangeAsync(request.CompanyId, actor, request.ExpectedVersion, "The contact person is removed from {0}.", contacts =>
        {
            var index = contacts.FindIndex(c => c.Id == request.ContactId);
            if (index >= 0)
            {
                contacts[index] = contacts[index] with { Remove = true };
            }

            return index;
        }, ct);
    }
}
