using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Observability;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Web.Infrastructure.Mail;

namespace TIBS.Cases.Web.Infrastructure.Observability;

/// <summary>
/// Readiness: the oldest due reminder has not waited longer than <see cref="HealthOptions.MaxDispatchLag"/> (the
/// dispatcher runs and keeps up). The reading also feeds the <c>tibs.reminders.dispatch_lag</c> gauge.
/// </summary>
internal sealed class DispatchLagHealthCheck(IReminderStore reminders, TibsMetrics metrics, TimeProvider time, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.UtcNow();
        var oldest = await reminders.OldestDueAsync(now, cancellationToken);
        metrics.OldestDueReminder(oldest);
        var lag = oldest is { } due && now > due ? now - due : TimeSpan.Zero;
        var max = options.Value.MaxDispatchLag;
        var data = new Dictionary<string, object>
        {
            ["lagSeconds"] = Math.Round(lag.TotalSeconds),
            ["maxLagSeconds"] = Math.Round(max.TotalSeconds),
        };
        return lag <= max
            ? HealthCheckResult.Healthy(oldest is null ? "No due reminder waits for delivery." : $"The oldest due reminder has waited {Math.Round(lag.TotalSeconds)} s (at most {Math.Round(max.TotalSeconds)} s).", data)
            : HealthCheckResult.Unhealthy($"The oldest due reminder has waited {Math.Round(lag.TotalSeconds)} s, more than {Math.Round(max.TotalSeconds)} s (Health:MaxDispatchLag): is the dispatcher running?", data: data);
    }
}

/// <summary>Readiness when a mail server is configured (<c>Mail:Host</c>): it accepts a connection on its port in time.</summary>
internal sealed class MailServerHealthCheck(IOptions<MailOptions> mail, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var m = mail.Value;
        if (!m.UsesSmtp)
        {
            return HealthCheckResult.Healthy("No mail server is configured: e-mails are written to the pickup folder.");
        }

        var data = new Dictionary<string, object> { ["host"] = m.Host!, ["port"] = m.Port };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.MailTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(m.Host!, m.Port, timeout.Token);
            return HealthCheckResult.Healthy($"The mail server {m.Host}:{m.Port} accepts connections.", data);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The mail server {m.Host}:{m.Port} did not answer within {options.Value.MailTimeout.TotalSeconds} s.", data: data);
        }
        catch (SocketException ex)
        {
            return HealthCheckResult.Unhealthy($"The mail server {m.Host}:{m.Port} is not reachable: {ex.Message}", data: data);
        }
    }
}
