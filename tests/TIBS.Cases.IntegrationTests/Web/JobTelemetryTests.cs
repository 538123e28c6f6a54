using System.Diagnostics;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Hangfire has no instrumentation of its own: a job run by the application's server (the in-memory storage of the
/// embedded database) is an activity of the source <c>TIBS.Cases</c> named after the job, its duration is recorded
/// with its outcome in <c>tibs.jobs.duration</c>, and a job that fails is marked as an error.
/// </summary>
[Collection(TelemetryListenerCollection.Name)]
public sealed class JobTelemetryTests
{
    [Fact]
    public async Task A_job_run_by_the_server_is_an_activity_with_its_duration_and_a_failing_one_is_marked_as_an_error()
    {
        using var spans = new SpanRecorder("TIBS.Cases");
        using var factory = TibsWebFactory.ForNewSqliteDatabase(new Dictionary<string, string?> { ["Jobs:RunServer"] = "true" });
        var admin = await factory.SignedInAsync("admin@tibs.example");
        var jobs = factory.Services.GetRequiredService<IBackgroundJobClient>();
        var before = await MetricsScrape.ReadAsync(admin);

        var succeeding = jobs.Enqueue<TelemetryProbe>(p => p.Succeed());
        var failing = jobs.Enqueue<TelemetryProbe>(p => p.Fail());
        var succeeded = await spans.WaitForAsync(a => Equals(a.GetTagItem("job.id"), succeeding), $"of job {succeeding}");
        var failed = await spans.WaitForAsync(a => Equals(a.GetTagItem("job.id"), failing), $"of job {failing}");
        var after = await MetricsScrape.ReadAsync(admin);

        Assert.Equal("job TelemetryProbe", succeeded.DisplayName);
        Assert.Equal("TelemetryProbe", succeeded.GetTagItem("job.name"));
        Assert.Equal(ActivityStatusCode.Unset, succeeded.Status);
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.GetTagItem("error.type"));
        Assert.DoesNotContain(TelemetryProbe.Secret, failed.StatusDescription ?? "", StringComparison.Ordinal);
        Assert.All(failed.TagObjects, t => Assert.DoesNotContain(TelemetryProbe.Secret, t.Value?.ToString() ?? "", StringComparison.Ordinal));
        Assert.Equal(1, Runs(after, "succeeded") - Runs(before, "succeeded"));
        Assert.Equal(1, Runs(after, "failed") - Runs(before, "failed"));
        Assert.True(after.Value("tibs_jobs_duration_seconds_sum", ("job", "TelemetryProbe")) > 0, after.Text);
    }

    private static double Runs(MetricsScrape scrape, string outcome) =>
        scrape.Value("tibs_jobs_duration_seconds_count", ("job", "TelemetryProbe"), ("outcome", outcome));

    /// <summary>A job of the test's own, run by the application's server like any other.</summary>
    internal sealed class TelemetryProbe
    {
        /// <summary>A message that must not reach the trace (it could carry personal data).</summary>
        public const string Secret = "Liga Ozola, 2 Brivibas iela";

        public async Task Succeed() => await Task.Delay(20);

        [AutomaticRetry(Attempts = 0)]
        public void Fail() => throw new InvalidOperationException(Secret);
    }
}
