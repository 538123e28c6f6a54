using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Companies.Merge;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Display;

/// <summary>
/// The timeline of a case in words, for everyone who may read the case (brokers, coordinators, evaluators): newest
/// event first, each with its details and form data labelled by <see cref="CaseEventDisplay"/>.
/// </summary>
public sealed class CaseTimeline(IReferenceDataStore reference, ICompanyStore companies, ICompanyMergeStore? merges = null, PersonalData.IPersonalDataStore? vault = null)
{
    /// <summary>
    /// The events of <paramref name="details"/> (all, or the page of them read), newest first, people named by
    /// <paramref name="userNames"/> (read with the case: <see cref="CasePageData.People"/>); empty for an actor who may
    /// not read the case.
    /// </summary>
    public async Task<IReadOnlyList<CaseEventView>> DescribeAsync(CaseDetails details, Actor actor, IReadOnlyDictionary<Guid, string> userNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(actor);
        if (!CaseAccess.CanRead(actor, details.Case, details.Participants))
        {
            return [];
        }

        var display = await DisplayAsync(details, userNames, cancellationToken);
        return [.. details.Events.OrderByDescending(e => e.Seq).Select(display.Describe)];
    }

    /// <summary>
    /// The display of one case: its plan, reference names (cached), the names of its people, and every company its events
    /// name (the participants, read with the case; a company that no longer takes part is looked up by id).
    /// </summary>
    public async Task<CaseEventDisplay> DisplayAsync(CaseDetails details, IReadOnlyDictionary<Guid, string> userNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(userNames);
        var labels = await ReferenceLabels.LoadAsync(reference, cancellationToken);
        var names = new Dictionary<Guid, string>();
        foreach (var p in details.Participants)
        {
            names[p.CompanyId] = p.CompanyName;
            names[p.Id] = p.CompanyName;
        }

        var missing = details.Events.SelectMany(CaseEventDisplay.CompanyIds).Distinct().Where(id => !names.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            // A company merged into another since the event was written is shown as the company that survived.
            var survivors = merges is null ? new Dictionary<Guid, Guid>() : await merges.SurvivorsAsync(missing, cancellationToken);
            foreach (var id in missing)
            {
                var current = survivors.GetValueOrDefault(id, id);
                if (names.TryGetValue(current, out var known))
                {
                    names[id] = known;
                }
                else if (await companies.GetAsync(current, cancellationToken) is { } company)
                {
                    names[id] = company.Name;
                }
            }
        }

        // Personal data kept by reference (decision 0043): every reference of the events read in one query.
        var refs = details.Events.SelectMany(CaseEventDisplay.PersonalRefs).Distinct().ToList();
        var personal = vault is null || refs.Count == 0 ? null : await vault.ResolveAsync(refs, cancellationToken);
        var files = details.Attachments.ToDictionary(a => a.Id, a => a.FileName);
        return new CaseEventDisplay(details.Plan, new FieldValueDisplay(labels, names, files), labels, userNames, names, personal);
    }
}
