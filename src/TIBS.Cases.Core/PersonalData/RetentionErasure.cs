using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Privacy.Retention;

namespace TIBS.Cases.Core.PersonalData;

/// <summary>
/// Retention erases through the same door as an administrator (<see cref="EraseContactPerson"/>), as the system, with
/// the rule as its reason: the same vault erasure, the same "personal data erased" records in the case trails, the
/// same erasure event in the feed.
/// </summary>
internal sealed class RetentionErasure(EraseContactPerson erase, IRetentionStore retention) : IRetentionErasure
{
    public async Task<bool> EraseContactAsync(DueContact contact, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var result = await erase.HandleAsync(new EraseContactPerson.Request(contact.CompanyId, contact.ContactId, reason), Actor.System, cancellationToken);
        return result.Succeeded;
    }

    public async Task<int> EraseCaseAsync(Guid caseId, string reason, CancellationToken cancellationToken = default)
    {
        var erased = 0;
        foreach (var contact in await retention.ContactsOfClosedCaseAsync(caseId, cancellationToken))
        {
            if (await EraseContactAsync(contact, reason, cancellationToken))
            {
                erased++;
            }
        }

        return erased;
    }
}
