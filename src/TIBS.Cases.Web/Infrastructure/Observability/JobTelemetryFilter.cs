using System.Diagnostics;
using Hangfire;
using Hangfire.Server;
using TIBS.Cases.Core.Observability;

namespace TIBS.Cases.Web.Infrastructure.Observability;

/// <summary>
/// Hangfire has no instrumentation of its own: each job run becomes an activity (a span when traces are exported) named
/// after the job, and its duration is recorded in <c>tibs.jobs.duration</c> with the job's name and outcome. Added to
/// this process's Hangfire server only (not to Hangfire's global filters). A failed run's activity has the error status
/// and the exception's type (<c>error.type</c>), never its message.
/// </summary>
internal sealed class JobTelemetryFilter(TibsMetrics metrics) : IServerFilter
{
    private const string ActivityKey = "tibs.activity";
    private const string StartedKey = "tibs.started";

    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = JobName(context);
        var activity = TibsTelemetry.Source.StartActivity($"job {job}", ActivityKind.Internal);
        activity?.SetTag("job.name", job);
        activity?.SetTag("job.id", context.BackgroundJob.Id);
        context.Items[ActivityKey] = activity;
        context.Items[StartedKey] = Stopwatch.GetTimestamp();
    }

    public void OnPerformed(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failed = context.Exception is not null && !context.ExceptionHandled;
        if (context.Items.TryGetValue(StartedKey, out var started) && started is long timestamp)
        {
            metrics.JobRan(JobName(context), failed ? "failed" : "succeeded", Stopwatch.GetElapsedTime(timestamp));
        }

        if (context.Items.TryGetValue(ActivityKey, out var value) && value is Activity activity)
        {
            if (failed)
            {
                // The job's own exception (Hangfire wraps it), by type only: its message may carry personal data.
                var error = context.Exception is JobPerformanceException { InnerException: { } inner } ? inner : context.Exception!;
                activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
                activity.SetTag("error.type", error.GetType().FullName);
            }

            activity.Dispose();
        }
    }

    private static string JobName(PerformContext context) => context.BackgroundJob.Job?.Type.Name ?? "unknown";
}
