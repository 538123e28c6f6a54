using Hangfire;
using TIBS.Cases.Core.Audit;

namespace TIBS.Cases.Web.Infrastructure.Jobs;

/// <summary>
/// Recurring (nightly by default, <c>Audit:VerifyTrailsCron</c>) and on an administrator's request: verifies every
/// case's whole audit trail through <see cref="VerifyAllTrails"/>. Two processes never run it at once: the run row's
/// lease decides (decision 0033), so no Hangfire lock is needed; a run whose process died is continued by the next
/// start after its lease ran out, which is why Hangfire does not retry it.
/// </summary>
[AutomaticRetry(Attempts = 0)]
internal sealed class TrailVerificationJob(VerifyAllTrails verify, ILogger<TrailVerificationJob> logger)
{
    public const string JobId = "audit-verify-trails";

    public async Task<string> RunAsync(string startedBy, CancellationToken cancellationToken)
    {
        var result = await verify.HandleAsync(new VerifyAllTrails.Request(startedBy), cancellationToken);
        var run = result.Run;
        if (!result.Ran)
        {
            logger.LogInformation("Audit trail verification not started: another process holds the run started {StartedAt:u}.", run?.StartedAt);
            return "Another process holds the run.";
        }

        if (run is { Failures: > 0 })
        {
            logger.LogError(
                "Audit trail verification found {Failures} problem(s) in {Cases} case(s) with {Events} event(s): {Problems}",
                run.Failures, run.CasesChecked, run.EventsChecked,
                string.Join(" | ", result.Failures.Take(20).Select(f => $"{f.Reference ?? "anchor files"}: {f.Message}")));
        }
        else if (run is not null)
        {
            logger.LogInformation("Audit trail verification: {Cases} case(s) with {Events} event(s) intact.", run.CasesChecked, run.EventsChecked);
        }

        return run?.Describe(DateTimeOffset.UtcNow) ?? "";
    }
}

/// <summary>
/// Starts a run in the background through Hangfire (the administrator's button). The job client is made when a run is
/// started, not when the page that offers the button is shown: Hangfire makes its client's logger from a provider kept
/// in a static, which a process hosting more than one application (a test host) may have given to one since stopped.
/// </summary>
internal sealed class HangfireTrailVerificationLauncher(IServiceProvider services) : ITrailVerificationLauncher
{
    public void Launch(string startedBy) =>
        services.GetRequiredService<IBackgroundJobClient>().Enqueue<TrailVerificationJob>(j => j.RunAsync(startedBy, CancellationToken.None));
}
