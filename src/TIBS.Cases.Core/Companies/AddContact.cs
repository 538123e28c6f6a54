using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Companies;

/// <summary>Adds a contact person to a company; the same rights and checks as editing the company.</summary>
public sealed class AddContact(ICompanyStore companies, IReferenceDataStore reference, TimeProvider time)
{
    /// <param name="ExpectedVersion">The company version the user started from; null: the version stored now.</param>
    public sealed record Request(Guid CompanyId, ContactFields Contact, int? ExpectedVersion = null);

    public async Task<CompanyCommandResult> HandleAsync(Request request, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var before = new HashSet<Guid>();
        var result = await new ContactEdit(companies, reference, time).ChangeAsync(request.CompanyId, actor, request.ExpectedVersion, "A contact person of {0} is added.", contacts =>
        {
            before.UnionWith(contacts.Select(c => c.Id!.Value));
            contacts.Add(request.Contact with { Id = null, Remove = false });
            return contacts.Count - 1;
        }, ct);
        return result.Succeeded ? result with { ContactId = result.Company!.Contacts.First(c => !before.Contains(c.Id)).Id } : result;
    }
}
