using System.Diagnostics;

namespace TIBS.Cases.Web.Infrastructure.Observability;

/// <summary>The application's own activity source: spans of background jobs and of embedded-database commands.</summary>
internal static class TibsTelemetry
{
    public const string SourceName = "TIBS.Cases";

    public static readonly ActivitySource Source = new(SourceName);
}
