using System.Diagnostics;
using TIBS.Cases.Core.Observability;

namespace TIBS.Cases.Web.Infrastructure.Observability;

/// <summary>The application's own activity source (<see cref="TibsTracing"/>): spans of background jobs and of embedded-database commands.</summary>
internal static class TibsTelemetry
{
    public const string SourceName = TibsTracing.SourceName;

    public static ActivitySource Source => TibsTracing.Source;
}
