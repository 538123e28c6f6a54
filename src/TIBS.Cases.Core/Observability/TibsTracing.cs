using System.Diagnostics;

namespace TIBS.Cases.Core.Observability;

/// <summary>
/// The application's own activity source <see cref="SourceName"/>: spans of background jobs (Web) and of the embedded
/// SQLite database's commands (Data). A tracing exporter selects it by name. Nothing is recorded unless something
/// listens (<see cref="ActivitySource.HasListeners"/>). Decision 0054.
/// </summary>
public static class TibsTracing
{
    public const string SourceName = "TIBS.Cases";

    public static ActivitySource Source { get; } = new(SourceName);
}
