using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Audit;

/// <summary>The latest run of the scheduled verification of every audit trail and what it found, for evaluators, coordinators and administrators.</summary>
public sealed class GetTrailVerification(ITrailVerificationStore store, TimeProvider time)
{
    /// <summary>How many findings the page lists.</summary>
    public const int Shown = 200;

    /// <summary>The latest run (null when none ran yet), its result in words and its findings; <see cref="MayStart"/>: the actor may start a run now.</summary>
    public sealed record View(TrailVerificationRun? Latest, string Summary, IReadOnlyList<TrailVerificationFailure> Failures, bool IsRunning, bool MayStart);

    /// <summary>The view, or null when the actor may not see it (brokers).</summary>
    public async Task<View?> HandleAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role is not (WorkflowRole.Administrator or WorkflowRole.Evaluator or WorkflowRole.Coordinator))
        {
            return null;
        }

        var now = time.UtcNow();
        var latest = await store.GetLatestAsync(cancellationToken);
        if (latest is null)
        {
            return new View(null, Localized.Text("No scheduled verification of the audit trails has run yet."), [], false, actor.Role == WorkflowRole.Administrator);
        }

        var failures = latest.Failures == 0 ? [] : await store.ListFailuresAsync(latest.Id, Shown, cancellationToken);
        var running = latest.IsRunning(now);
        return new View(latest, latest.Describe(now), failures, running, actor.Role == WorkflowRole.Administrator && !running);
    }
}
