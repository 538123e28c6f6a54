using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// The runtime's allocation samples (one event per ~100 KB allocated, naming the type that crossed the mark), counted
/// by type while switched on: a cheap picture of what a path allocates most, for <c>--allocations</c>.
/// </summary>
internal sealed class AllocationTypes : EventListener
{
    private readonly ConcurrentDictionary<string, long> bytes = new(StringComparer.Ordinal);
    private volatile bool on;

    public void Start()
    {
        bytes.Clear();
        on = true;
    }

    public IReadOnlyList<(string Type, long Bytes)> Stop()
    {
        on = false;
        return [.. bytes.OrderByDescending(x => x.Value).Select(x => (x.Key, x.Value))];
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!on || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload![t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload![a], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        bytes.AddOrUpdate(type, amount, (_, v) => v + amount);
    }
}
