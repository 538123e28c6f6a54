using System.Collections.Concurrent;
using System.Diagnostics;

namespace TIBS.Cases.IntegrationTests.Infrastructure;

/// <summary>
/// Listens to activity sources by name, as a tracing exporter would, and keeps every activity that stopped. A listener
/// is process-wide: the tests that use one run in <see cref="TelemetryListenerCollection"/>, alone.
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener listener;

    public SpanRecorder(params string[] sources)
    {
        listener = new ActivityListener
        {
            ShouldListenTo = s => sources.Contains(s.Name, StringComparer.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => Stopped.Enqueue(a),
        };
        ActivitySource.AddActivityListener(listener);
    }

    public ConcurrentQueue<Activity> Stopped { get; } = new();

    /// <summary>The first stopped activity that matches, waiting for it at most a minute.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            if (Stopped.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No activity {what} within a minute; seen: {string.Join(", ", Stopped.Select(a => a.DisplayName).Distinct())}");
            await Task.Delay(100);
        }
    }

    public void Dispose() => listener.Dispose();
}

/// <summary>Tests that attach an activity listener (process-wide) run alone, so that no other test's work is traced meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryListenerCollection
{
    public const string Name = "Telemetry listeners";
}
