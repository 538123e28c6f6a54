using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Notifications;

namespace TIBS.Cases.Core.Partners;

/// <summary>
/// The notifications a partner command owes the brokers of the partner's region (who thereby get the case): one per
/// active broker of that region other than the actor, keyed so that the same news reaches the same broker once. They
/// go into the command's <see cref="CaseWrite.Notifications"/> (the outbox) and are e-mailed later by the mail
/// dispatcher (at once, or in the daily digest for those who chose it).
/// </summary>
public sealed class PartnerNotices(IUserStore users, INotificationStore notifications, Reference.IReferenceDataStore reference)
{
    public async Task<IReadOnlyList<NotificationRecord>> ForAsync(
        CaseRecord @case, CaseParticipantRecord partner, string what, string kind, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@case);
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(actor);
        var planned = (await users.ListInRoleAsync(Roles.Broker, [partner.RegionCode], cancellationToken: cancellationToken))
            .Where(u => u.Id != actor.UserId)
            .OrderBy(u => u.Id)
            .Select(broker => Text(@case, partner, what).ApplyTo(new NotificationRecord
            {
                Id = Guid.CreateVersion7(now),
                UserId = broker.Id,
                CaseId = @case.Id,
                Kind = kind,
                Title = "",
                Body = "",
                DeliveryKey = $"{what}:{partner.Id}:{broker.Id}",
                CreatedAt = now,
                EmailDueAt = now,
            }))
            .ToList();
        if (planned.Count == 0)
        {
            return planned;
        }

        var delivered = await notifications.ExistingDeliveryKeysAsync([.. planned.Select(n => n.DeliveryKey)], cancellationToken);
        return [.. planned.Where(n => !delivered.Contains(n.DeliveryKey))];
    }

    /// <summary>The notice's words, each news its own sentences (they are translated whole).</summary>
    private static NotificationTemplate Text(CaseRecord @case, CaseParticipantRecord partner, string what)
    {
        TemplateArg company = TemplateArg.Text(partner.CompanyName), reference = TemplateArg.Text(@case.Reference), title = TemplateArg.Text(@case.Title);
        return what == "shortlisted"
            ? new(TextTemplate.Of("{0} shortlisted as partner on {1}", company, reference),
                TextTemplate.Of("{0} of your region was shortlisted as a partner for \"{1}\" ({2}). You can follow the case and record the partner's interest.", company, title, reference))
            : new(TextTemplate.Of("{0} contacted as partner on {1}", company, reference),
                TextTemplate.Of("{0} of your region was contacted as a partner for \"{1}\" ({2}). You can follow the case and record the partner's interest.", company, title, reference));
    }

    /// <summary>The sentence that tells the actor who was notified, the region named in words ("Hamburg (DE60)").</summary>
    public async Task<string> NotifiedAsync(int count, string regionCode, CancellationToken cancellationToken)
    {
        var name = (await reference.RegionsAsync(cancellationToken)).FirstOrDefault(r => r.Code == regionCode)?.Name;
        return Notified(count, name is null ? regionCode : $"{name} ({regionCode})");
    }

    private static string Notified(int count, string region) => count switch
    {
        0 => Localized.Format("No broker of {0} was notified (none registered, or already notified).", region),
        1 => Localized.Format("The broker of {0} was notified.", region),
        _ => Localized.Format("{0} brokers of {1} were notified.", count, region),
    };
}
