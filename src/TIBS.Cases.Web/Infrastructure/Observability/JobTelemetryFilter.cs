using System.Diagnostics;
using Hangfire.Server;
using TIBS.Cases.Core.Observability;

namespace TIBS.Cases.Web.Infrastructure.Observability;

/// <summary>
/// Hangfire has no instrumentation of its own: each job run becomes an activity (a span when traces are exported) named
/// after the job, and its duration is recorded in <c>tibs.jobs.duration</c> with the job's name and outcome. Added to
/// this process's Hangfire server only (not to Hangfire's global filters).
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
                activity.SetStatus(ActivityStatusCode.Error, context.Exception!.GetType().Name);
            }

            activity.Dispose();
        }
    }

    private static string JobName(PerformContext context) => context.BackgroundJob.Job?.Type.Name ?? "unknown";
}
