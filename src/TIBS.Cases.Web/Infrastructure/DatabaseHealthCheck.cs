using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>Reports whether the database answers and whether its schema is up to date.</summary>
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
            data["schemaScripts"] = SchemaMigrator.ScriptNames(factory.Provider).Count;
            data["pendingScripts"] = pending.Count;
            data["users"] = users;
            return pending.Count == 0
                ? HealthCheckResult.Healthy($"{factory.Describe()} is reachable and its schema is up to date.", data)
                : HealthCheckResult.Degraded($"{factory.Describe()} has {pending.Count} schema script(s) not applied.", data: data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{factory.Describe()} is not reachable: {ex.Message}", data: data);
        }
    }
}
