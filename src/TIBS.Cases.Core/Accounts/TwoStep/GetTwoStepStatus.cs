using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Accounts.TwoStep;

/// <summary>Whether a user's two-step sign-in is on, since when and how many recovery codes are left: for the user themselves or an administrator.</summary>
public sealed class GetTwoStepStatus(ITwoStepStore store, IUserStore users, TwoStepRequirement requirement)
{
    /// <param name="UserId">The user; null: the actor.</param>
    public sealed record Request(Guid? UserId = null);

    public sealed record Result(bool Enabled, DateTimeOffset? EnabledAt, int RecoveryCodesLeft)
    {
        /// <summary>The user's role requires two-step sign-in (<see cref="TwoStepRequirement"/>): it cannot be turned off.</summary>
        public bool Required { get; init; }
    }

    /// <summary>The status, or null when the actor may not see it.</summary>
    public async Task<Result?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var userId = request.UserId ?? actor.UserId;
        if (actor.IsSystem || (userId != actor.UserId && !AdministrationRules.IsAdministrator(actor)))
        {
            return null;
        }

        var record = await store.FindAsync(userId, cancellationToken);
        var role = (await users.FindByIdAsync(userId, cancellationToken))?.Role;
        var required = requirement.IsRequiredFor(role);
        return record is { IsEnabled: true }
            ? new Result(true, record.EnabledAt, record.RecoveryCodesLeft) { Required = required }
            : new Result(false, null, 0) { Required = required };
    }
}
