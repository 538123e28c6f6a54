using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;
using TIBS.Cases.Core.Observability;

namespace TIBS.Cases.Web.Infrastructure.Observability;

/// <summary>
/// The Prometheus exposition of the domain's meter (<see cref="TibsMetrics"/>) of this service provider only:
/// prometheus-net's registry and text format, fed by a <see cref="MeterListener"/> of our own. Names follow the
/// OpenTelemetry-to-Prometheus rules: dots become underscores, a unit of seconds adds <c>_seconds</c>, a counter ends in
/// <c>_total</c> (<c>tibs.step.completions</c> → <c>tibs_step_completions_total</c>). prometheus-net's own
/// <c>MeterAdapter</c> is not used: it prefixes every name with the meter's and exports counters as gauges
/// (decision 0054). Started with the application, so that nothing counted before the first scrape is missed.
/// </summary>
internal sealed class PrometheusExposition : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<Instrument, Collector?> collectors = new();
    private readonly MetricFactory metricFactory;

    public PrometheusExposition(IMeterFactory meterFactory, TibsMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Registry = Metrics.NewCustomRegistry();
        metricFactory = Metrics.WithCustomRegistry(Registry);
        var meter = metrics.Meter;
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this application's domain meter: another application in the process (a test host) counts apart.
            if (ReferenceEquals(instrument.Meter, meter) || (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Meter.Name == TibsMetrics.MeterName))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        listener.Start();
        Registry.AddBeforeCollectCallback(() => listener.RecordObservableInstruments());
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => listener.Dispose();

    /// <summary>The Prometheus name of an instrument (without a counter's <c>_total</c>, which prometheus-net adds when missing).</summary>
    public static string NameOf(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var name = instrument.Name.Replace('.', '_').Replace('-', '_');
        return instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal) ? name + "_seconds" : name;
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new string[tags.Length];
        var values = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = tags[i].Key.Replace('.', '_');
            values[i] = tags[i].Value?.ToString() ?? "";
        }

        // Every instrument of the meter has a fixed set of labels, in a fixed order.
        switch (collectors.GetOrAdd(instrument, i => Create(i, labels)))
        {
            case Counter counter:
                counter.WithLabels(values).Inc(value);
                break;
            case Gauge gauge:
                gauge.WithLabels(values).Set(value);
                break;
            case Histogram histogram:
                histogram.WithLabels(values).Observe(value);
                break;
        }
    }

    private Collector? Create(Instrument instrument, string[] labels)
    {
        var name = NameOf(instrument);
        var help = instrument.Description ?? instrument.Name;
        return instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> => metricFactory.CreateCounter(name + "_total", help, labels),
            ObservableGauge<double> or ObservableGauge<long> => metricFactory.CreateGauge(name, help, labels),
            Histogram<double> => metricFactory.CreateHistogram(name, help, labels, new HistogramConfiguration
            {
                // From 10 ms to about five minutes: a request's work to a long job.
                Buckets = Histogram.ExponentialBuckets(0.01, 2, 16),
            }),
            _ => null,
        };
    }
}
