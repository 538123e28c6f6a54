namespace TIBS.Cases.Web.Infrastructure.Observability;

/// <summary>The <c>Metrics</c> section: the Prometheus scrape endpoint <c>/metrics</c> and who may read it (decision 0054).</summary>
internal sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Serve <c>/metrics</c> at all (on by default, for administrators only unless a port or a token is set).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Serve <c>/metrics</c> only on this port, to anyone who reaches it (keep the port off the public network); the server
    /// must listen on it too (e.g. <c>ASPNETCORE_URLS=http://+:8080;http://+:9464</c>). Elsewhere it is not found.
    /// </summary>
    public int? Port { get; set; }

    /// <summary>A scraper may present this as <c>Authorization: Bearer …</c>; administrators signed in may always read.</summary>
    public string? Token { get; set; }
}

/// <summary>The <c>Health</c> section: readiness thresholds and who sees the details.</summary>
internal sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Readiness fails when the oldest due reminder has waited longer than this for delivery.</summary>
    public TimeSpan MaxDispatchLag { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the mail server may take to accept a connection before readiness fails.</summary>
    public TimeSpan MailTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A monitor may present this as <c>Authorization: Bearer …</c> to see the checks' details, as administrators do.</summary>
    public string? Token { get; set; }
}
