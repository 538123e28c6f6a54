using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Exports.Dossier;

/// <summary>
/// A strategy's dossier: the whole record of one case for whoever may read it (<see cref="CaseAccess.CanRead"/>, as the
/// case page): its sections in order, each built by an <see cref="IDossierSection"/>. Null when the case does not
/// exist or is not the reader's to read.
/// </summary>
public sealed class GetDossier(
    CaseReader reader, ICompanyStore companies, IUserStore users, CaseTimeline timeline, AuditVerifier audit,
    IEnumerable<IDossierSection> sections, TimeProvider time)
{
    private readonly IReadOnlyList<IDossierSection> ordered = [.. sections.OrderBy(s => s.Order)];

    public async Task<CaseDossier?> HandleAsync(Guid caseId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (await reader.GetDetailsAsync(caseId, cancellationToken) is not { } details
            || !CaseAccess.CanRead(actor, details.Case, details.Participants))
        {
            return null;
        }

        var c = details.Case;
        var people = details.Events.Select(e => e.ActorUserId).OfType<Guid>()
            .Concat(details.Steps.Select(s => s.CompletedBy).OfType<Guid>())
            .Concat(details.CheckIns.Select(ci => ci.RecordedBy).OfType<Guid>())
            .Concat(details.Attachments.Select(a => a.UploadedBy).OfType<Guid>())
            .Append(c.OwnerUserId)
            .Concat(details.Events.Where(e => e.Kind is CaseEventKinds.CaseOpened or CaseEventKinds.CaseReassign).SelectMany(PeopleNamed))
            .ToHashSet();
        var names = (await users.GetManyAsync(people, cancellationToken)).ToDictionary(u => u.Id, u => u.DisplayName);
        var display = await timeline.DisplayAsync(details, names, cancellationToken);
        var context = new DossierContext(
            details,
            await companies.GetAsync(c.LeadCompanyId, cancellationToken),
            display,
            [.. details.Events.Select(display.Describe)],
            await audit.VerifyCaseAsync(c, details.Events, cancellationToken),
            audit.History().Latest,
            display.UserName(c.OwnerUserId),
            actor,
            time.GetUtcNow());

        var built = new List<DossierSection>(ordered.Count);
        foreach (var section in ordered)
        {
            if (await section.BuildAsync(context, cancellationToken) is { } s)
            {
                built.Add(s);
            }
        }

        return new CaseDossier($"dossier-{c.Reference}", Localized.Format("Dossier {0}", c.Reference), c.Title, context.Now, built);
    }

    /// <summary>The people an opening or a reassignment names (its owner, from and to).</summary>
    private static IEnumerable<Guid> PeopleNamed(CaseEventRecord e)
    {
        var data = System.Text.Json.Nodes.JsonNode.Parse(e.Data) as System.Text.Json.Nodes.JsonObject;
        foreach (var key in (string[])["owner", "from", "to"])
        {
            if (data?[key] is System.Text.Json.Nodes.JsonValue v && Guid.TryParse(v.ToString(), out var id))
            {
                yield return id;
            }
        }
    }
}
