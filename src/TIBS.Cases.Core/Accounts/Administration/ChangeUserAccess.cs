using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>
/// Changes a user's role and the regions they cover. Their sessions end (a new security stamp), so their next request
/// signs them in again with the new rights. The last active administrator keeps the role.
/// </summary>
public sealed class ChangeUserAccess(IUserAdministrationStore store, IReferenceDataStore reference, TimeProvider time)
{
    private const string Doing = AdministrationRules.RoleLoss;

    public sealed record Request(Guid UserId, string? Role, IReadOnlyList<string?>? Regions);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (found, refusal) = await AdministrationRules.TargetAsync(store, actor, request.UserId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var regions = AdministrationRules.Clean(request.Regions);
        var problems = await AdministrationRules.AccessProblemsAsync(reference, request.Role, regions, cancellationToken);
        if (problems.Count > 0)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, problems[0].Message) { FieldErrors = problems };
        }

        var user = found!.Account;
        if (request.Role == user.Role && regions.SequenceEqual(found.Regions))
        {
            return new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("Nothing changed for {0}.", user.DisplayName));
        }

        if (request.Role != Roles.Administrator && await AdministrationRules.LastAdministratorAsync(store, user, Doing, cancellationToken) is { } refused)
        {
            return refused;
        }

        var entry = AdministrationRules.Entry(actor, AdministrationActions.AccessChanged, user.Id,
            $"{user.DisplayName}: {AdministrationRules.Describe(user.Role, found.Regions)} became {AdministrationRules.Describe(request.Role!, regions)}.", time.GetUtcNow());
        if (!await store.SetAccessAsync(user.Id, request.Role!, regions, UserLinkTokens.NewSecurityStamp(), entry, cancellationToken))
        {
            return AdministrationRules.LastAdministrator(user, Doing);
        }

        return new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("{0} is now {1}; they sign in again to use it.", user.DisplayName, AdministrationRules.DescribeShown(request.Role!, regions)));
    }
}
