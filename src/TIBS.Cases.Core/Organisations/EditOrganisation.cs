using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Organisations;

/// <summary>
/// Changes an organisation's name, kind, country and web address. The edit names the version it started from: when
/// someone else saved in between, nothing is written and the conflict is reported.
/// </summary>
public sealed class EditOrganisation(IOrganisationStore store, TimeProvider time)
{
    public sealed record Request(Guid Id, int Version, string? Name, string? Kind, string? CountryCode, string? WebAddress);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!OrganisationRules.MayMaintain(actor))
        {
            return OrganisationRules.Forbidden();
        }

        if (await store.FindAsync(request.Id, cancellationToken) is not { } saved)
        {
            return CaseCommandResult.NotFound(Localized.Text("The organisation"));
        }

        var (name, kind, country, web, problems) = OrganisationRules.Check(request.Name, request.Kind, request.CountryCode, request.WebAddress);
        if (problems.Count > 0)
        {
            return OrganisationRules.Invalid(problems);
        }

        if (saved.Version != request.Version)
        {
            return OrganisationRules.Conflict(saved.Name);
        }

        var changed = saved with { Name = name, Kind = kind!, CountryCode = country!, WebAddress = web };
        if (changed == saved)
        {
            return new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("Nothing changed for {0}.", saved.Name));
        }

        var now = time.GetUtcNow();
        changed = changed with { Version = saved.Version + 1, UpdatedAt = now };
        var entry = OrganisationRules.Entry(actor, AdministrationActions.OrganisationChanged,
            $"{OrganisationRules.Describe(saved)} became {OrganisationRules.Describe(changed)}.", now);
        return await store.UpdateAsync(changed, request.Version, entry, cancellationToken) switch
        {
            OrganisationWrite.NameTaken => OrganisationRules.NameTaken(name, country!),
            OrganisationWrite.Conflict => OrganisationRules.Conflict(saved.Name),
            _ => new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("{0} is saved.", name)),
        };
    }
}
