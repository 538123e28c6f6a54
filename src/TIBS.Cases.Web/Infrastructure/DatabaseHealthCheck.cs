using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>
/// Readiness: the database answers and its schema is the version this build knows — no script of the build missing,
/// none applied that the build does not know (a newer build ran on it).
/// </summary>
internal sealed class DatabaseHealthCheck(ConnectionFactory factory, SchemaMigrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["provider"] = factory.Provider.ToString() };
        try
        {
            await using var c = await factory.OpenAsync(cancellationToken);
            var users = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM users", cancellationToken: cancellationToken));
            var pending = migrator.PendingScripts();
            var known = SchemaMigrator.ScriptNames(factory.Provider).Count;
            var applied = await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {SchemaMigrator.JournalTable}", cancellationToken: cancellationToken));
            var unknown = Math.Max(0, applied - (known - pending.Count));
            data["schemaScripts"] = known;
            data["pendingScripts"] = pending.Count;
            data["unknownScripts"] = unknown;
            data["users"] = users;
            if (pending.Count > 0)
            {
                return HealthCheckResult.Unhealthy($"{factory.Describe()} has {pending.Count} schema script(s) of this build not applied (first: {pending[0]}).", data: data);
            }

            return unknown == 0
                ? HealthCheckResult.Healthy($"{factory.Describe()} is reachable and its schema is up to date.", data)
                : HealthCheckResult.Unhealthy($"{factory.Describe()} has {unknown} schema script(s) applied that this build does not know: a newer version ran on it.", data: data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{factory.Describe()} is not reachable: {ex.Message}", data: data);
        }
    }
}
