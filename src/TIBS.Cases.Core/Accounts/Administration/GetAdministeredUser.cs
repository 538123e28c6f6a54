using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>One user for administrators: account, regions, last sign-in and the log lines about them.</summary>
public sealed class GetAdministeredUser(IUserAdministrationStore store, IReferenceDataStore reference, IOrganisationStore organisations, SingleSignOn.IExternalLoginStore logins)
{
    public sealed record Request(Guid UserId);

    /// <summary>The user, the log lines about them, every partner region and the active organisations (for the forms).</summary>
    public sealed record Details(AdministeredUser User, IReadOnlyList<AdministrationLogLine> Log, IReadOnlyList<Region> Regions)
    {
        public IReadOnlyList<Organisation> Organisations { get; init; } = [];

        /// <summary>The identities at a single sign-on provider the user is linked to (decision 0042).</summary>
        public IReadOnlyList<SingleSignOn.ExternalLogin> ExternalLogins { get; init; } = [];
    }

    /// <summary>Null when the actor is no administrator or the user does not exist.</summary>
    public async Task<Details?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AdministrationRules.IsAdministrator(actor) || await store.FindAsync(request.UserId, cancellationToken) is not { } user)
        {
            return null;
        }

        return new Details(user, await store.ListLogAsync(50, request.UserId, cancellationToken), await reference.RegionsAsync(cancellationToken))
        {
            Organisations = await AdministrationRules.ActiveOrganisationsAsync(organisations, cancellationToken),
            ExternalLogins = await logins.ListForUserAsync(request.UserId, cancellationToken),
        };
    }
}
