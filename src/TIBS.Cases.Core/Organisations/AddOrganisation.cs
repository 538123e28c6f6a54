using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Organisations;

/// <summary>Adds a partner organisation: a name unique within its country, a kind, a programme country, an optional web address.</summary>
public sealed class AddOrganisation(IOrganisationStore store, TimeProvider time)
{
    public sealed record Request(string? Name, string? Kind, string? CountryCode, string? WebAddress);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!OrganisationRules.MayMaintain(actor))
        {
            return OrganisationRules.Forbidden();
        }

        var (name, kind, country, web, problems) = OrganisationRules.Check(request.Name, request.Kind, request.CountryCode, request.WebAddress);
        if (problems.Count > 0)
        {
            return OrganisationRules.Invalid(problems);
        }

        var now = time.GetUtcNow();
        var organisation = new Organisation
        {
            Id = Guid.CreateVersion7(now),
            Name = name,
            Kind = kind!,
            CountryCode = country!,
            WebAddress = web,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var entry = OrganisationRules.Entry(actor, AdministrationActions.OrganisationAdded, $"Added the organisation {OrganisationRules.Describe(organisation)}.", now);
        return await store.AddAsync(organisation, entry, cancellationToken) == OrganisationWrite.NameTaken
            ? OrganisationRules.NameTaken(name, country!)
            : new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("{0} is added.", name));
    }
}
