using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Observability;

namespace TIBS.Cases.Web.Infrastructure.Observability;

/// <summary>Logs, traces, metrics and health (decision 0054).</summary>
internal static class ObservabilitySetup
{
    /// <summary>The tag of the checks that readiness (and <c>/health</c>) runs.</summary>
    public const string Ready = "ready";

    private static readonly JsonSerializerOptions HealthJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// JSON console logs with their scopes (request id, user id, case id, trace and span ids) when <c>Logging:Format</c>
    /// is <c>json</c>, the default in Production; the plain console format otherwise.
    /// </summary>
    public static ILoggingBuilder AddTibsLogging(this ILoggingBuilder logging, IConfiguration configuration, IHostEnvironment environment)
    {
        var format = configuration["Logging:Format"] ?? (environment.IsProduction() ? "json" : "simple");
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            });
        }

        return logging;
    }

    /// <summary>
    /// Health checks, the Prometheus exposition, and OpenTelemetry traces and metrics exported by OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (nothing listens otherwise, so the instrumentation costs nothing).
    /// </summary>
    public static IServiceCollection AddTibsObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.SectionName))
            .Validate(o => o.Port is null or (> 0 and < 65536), "Metrics:Port must be a port number (1-65535).")
            .ValidateOnStart();
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.SectionName))
            .Validate(o => o.MaxDispatchLag > TimeSpan.Zero, "Health:MaxDispatchLag must be a positive time span (hh:mm:ss).")
            .Validate(o => o.MailTimeout > TimeSpan.Zero, "Health:MailTimeout must be a positive time span (hh:mm:ss).")
            .ValidateOnStart();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<MailServerHealthCheck>("mail", tags: [Ready])
            .AddCheck<DispatchLagHealthCheck>("dispatch", tags: [Ready]);
        services.AddSingleton<PrometheusExposition>();

        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService(serviceName: configuration["OTEL_SERVICE_NAME"] ?? "tibs-cases"))
                .WithTracing(t => t
                    .AddSource(TibsTelemetry.SourceName) // background jobs and the embedded SQLite database's commands
                    .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) && !c.Request.Path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase))
                    .AddHttpClientInstrumentation()
                    .AddSqlClientInstrumentation()
                    .AddNpgsql()
                    .AddOtlpExporter())
                .WithMetrics(m => m
                    .AddMeter(TibsMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddOtlpExporter());
        }

        return services;
    }

    /// <summary>
    /// A log scope around each request with its request id (the id the error page shows), the signed-in user's id (never
    /// a name or an e-mail address) and the case's id when the address is a case's. First in the pipeline, so that the
    /// error handler's records carry it too.
    /// </summary>
    public static WebApplication UseTibsLogScope(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TIBS.Cases.Web.Requests");
        app.Use(async (context, next) =>
        {
            var scope = new RequestLogScope(context);
            using (logger.BeginScope(scope))
            {
                try
                {
                    await next(context);
                }
                finally
                {
                    // Work started during the request (a timer, a background task) keeps this scope after the request
                    // has ended and its context is reused: from now on the scope answers from a copy, never the context.
                    scope.Freeze();
                }
            }
        });
        return app;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers (no check runs). <c>/health/ready</c> and <c>/health</c>: the database and
    /// its schema version, the mail server when one is configured, the reminder dispatch lag. Anonymous callers learn only
    /// the status; administrators and holders of <c>Health:Token</c> also see the checks and their data.
    /// </summary>
    public static void MapTibsHealth(this WebApplication app)
    {
        var token = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthOptions>>().Value.Token;
        Task Write(HttpContext context, HealthReport report) => WriteHealthAsync(context, report, token);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Write }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = Write }).AllowAnonymous();
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = Write }).AllowAnonymous();
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report, string? token)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        object body = context.User.IsInRole(Roles.Administrator) || PrometheusEndpoint.BearerMatches(context, token)
            ? new
            {
                status = report.Status.ToString(),
                totalDurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
                checks = report.Entries.ToDictionary(
                    e => e.Key,
                    e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
            }
            : new { status = report.Status.ToString() };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, HealthJson));
    }
}

/// <summary>
/// The scope of a request's log records: ids only, no personal data. Read when a record is written, so that a record
/// written before authentication has no user yet, and the error handler's record (outside the pages) has the user and
/// the case the request was for.
/// </summary>
internal sealed class RequestLogScope(HttpContext context) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly string requestId = context.TraceIdentifier;
    private HttpContext? live = context;
    private List<KeyValuePair<string, object?>>? frozen;

    public const string RequestId = "RequestId";
    public const string UserId = "UserId";
    public const string CaseId = "CaseId";

    public int Count => Entries().Count;

    public KeyValuePair<string, object?> this[int index] => Entries()[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Entries().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(" ", Entries().Select(e => $"{e.Key}:{e.Value}"));

    /// <summary>Keeps the entries as they are at the end of the request and lets go of its context.</summary>
    public void Freeze()
    {
        frozen = Entries();
        live = null;
    }

    private List<KeyValuePair<string, object?>> Entries()
    {
        if (frozen is { } done)
        {
            return done;
        }

        try
        {
            return live is { } context ? Read(context) : [new(RequestId, requestId)];
        }
        catch (ObjectDisposedException)
        {
            // The request ended while this record was being written from another flow: its id is still known.
            return [new(RequestId, requestId)];
        }
    }

    private List<KeyValuePair<string, object?>> Read(HttpContext context)
    {
        var scope = new List<KeyValuePair<string, object?>>(3) { new(RequestId, requestId) };
        if (context.User.Identity?.IsAuthenticated == true && Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var user))
        {
            scope.Add(new(UserId, user.ToString()));
        }

        if (CaseOf(context) is { } caseId)
        {
            scope.Add(new(CaseId, caseId.ToString()));
        }

        return scope;
    }

    /// <summary>The case of the address: <c>caseId</c> in the route, or <c>id</c> under <c>/cases</c> and <c>/api/cases</c>.</summary>
    private static Guid? CaseOf(HttpContext context)
    {
        var values = context.Request.RouteValues;
        if (values.TryGetValue("caseId", out var c) && Guid.TryParse(c?.ToString(), out var caseId))
        {
            return caseId;
        }

        var path = context.Request.Path;
        return (path.StartsWithSegments("/cases", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/api/cases", StringComparison.OrdinalIgnoreCase))
            && values.TryGetValue("id", out var id) && Guid.TryParse(id?.ToString(), out var guid)
            ? guid
            : null;
    }
}
