using System.Globalization;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Audit;

/// <summary>
/// An administrator starts the verification of every audit trail now (<see cref="VerifyAllTrails"/>, in the
/// background); refused in words while a run is in progress.
/// </summary>
public sealed class StartTrailVerification(ITrailVerificationStore store, ITrailVerificationLauncher launcher, IUserStore users, TimeProvider time)
{
    public sealed record Result(CaseCommandStatus Status, string Message)
    {
        public bool Succeeded => Status == CaseCommandStatus.Done;
    }

    public async Task<Result> HandleAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != WorkflowRole.Administrator || actor.IsSystem)
        {
            return new Result(CaseCommandStatus.Forbidden, Localized.Text("Only an administrator can start the verification of every audit trail."));
        }

        var latest = await store.GetLatestAsync(cancellationToken);
        if (latest is not null && latest.IsRunning(time.UtcNow()))
        {
            return new Result(CaseCommandStatus.Conflict, Localized.Format(
                "A verification of every audit trail is already running (started {0} UTC by {1}, {2} checked so far): wait for its result before starting another.",
                latest.StartedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), latest.StartedBy, TrailVerificationRun.Cases(latest.CasesChecked)));
        }

        var name = (await users.FindByIdAsync(actor.UserId, cancellationToken))?.DisplayName ?? "an administrator";
        launcher.Launch(name);
        return new Result(CaseCommandStatus.Done, latest is { IsFinished: false }
            ? Localized.Text("The verification that stopped before it finished continues now; its result appears on this page when it is done.")
            : Localized.Text("The verification of every audit trail has started; its result appears on this page when it is done."));
    }
}
