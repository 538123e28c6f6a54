using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>
/// Readiness: the database answers and its schema is the version this build knows — no script of the build missing,
/// none applied that the build does not know (a newer build ran on it). The schema is judged by the same
/// <see cref="SchemaInspector"/> as start-up and <c>db status</c>.
/// </summary>
internal sealed class DatabaseHealthCheck(ConnectionFactory factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["provider"] = factory.Provider.ToString() };
        try
        {
            var schema = await new SchemaInspector(factory).GetStatusAsync(cancellationToken);
            data["schemaScripts"] = schema.Applied.Count + schema.Pending.Count;
            data["pendingScripts"] = schema.Pending.Count;
            data["unknownScripts"] = schema.Unknown.Count;
            if (!schema.DatabaseExists)
            {
                return HealthCheckResult.Unhealthy($"{factory.Describe()} does not exist yet.", data: data);
            }

            await using var c = await factory.OpenAsync(cancellationToken);
            data["users"] = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM users", cancellationToken: cancellationToken));
            if (schema.Pending.Count > 0)
            {
                return HealthCheckResult.Unhealthy($"{factory.Describe()} has {schema.Pending.Count} schema script(s) of this build not applied (first: {schema.Pending[0]}).", data: data);
            }

            return schema.NewerSchemaProblem is { } newer
                ? HealthCheckResult.Unhealthy(newer, data: data)
                : HealthCheckResult.Healthy($"{factory.Describe()} is reachable and its schema is up to date.", data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{factory.Describe()} is not reachable: {ex.Message}", data: data);
        }
    }
}
