using System.Data.Common;
using System.Reflection;
using DbUp;
using DbUp.Builder;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;

namespace TIBS.Cases.Data.Schema;

/// <summary>What a migration run did.</summary>
public sealed record MigrationReport(IReadOnlyList<string> Applied, int TotalScripts);

/// <summary>Raised when the configured database cannot be reached or migrated; the message names the setting.</summary>
public sealed class DatabaseStartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Applies the numbered scripts of <c>db/&lt;provider&gt;/</c> (embedded in this assembly) with DbUp. The journal
/// table <c>schema_versions</c> records what ran; a second run applies nothing.
/// </summary>
public sealed class SchemaMigrator(ConnectionFactory factory, ILogger<SchemaMigrator> logger, TimeProvider time)
{
    public const string JournalTable = "schema_versions";

    private static readonly Assembly ScriptAssembly = typeof(SchemaMigrator).Assembly;

    public static string ScriptFolder(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "sqlite",
        DatabaseProvider.Postgres => "postgres",
        _ => "sqlserver",
    };

    /// <summary>Names of the embedded scripts for a provider, in the order they run.</summary>
    public static IReadOnlyList<string> ScriptNames(DatabaseProvider provider)
    {
        var prefix = $"db/{ScriptFolder(provider)}/";
        return [.. ScriptAssembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    /// <summary>Reads one embedded script.</summary>
    public static string ReadScript(string name)
    {
        using var stream = ScriptAssembly.GetManifestResourceStream(name) ?? throw new ArgumentException($"No embedded script {name}.", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Waits for the server, creates the database when it is missing, and applies pending scripts.</summary>
    public async Task<MigrationReport> MigrateAsync(TimeSpan retryFor, CancellationToken cancellationToken = default)
    {
        await WaitForServerAsync(retryFor, cancellationToken).ConfigureAwait(false);

        var builder = CreateBuilder();
        var engine = builder
            .WithScriptsEmbeddedInAssembly(ScriptAssembly, name => name.StartsWith($"db/{ScriptFolder(factory.Provider)}/", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .LogTo(new UpgradeLog(logger))
            .Build();

        var result = engine.PerformUpgrade();
        if (!result.Successful)
        {
            throw new DatabaseStartupException(
                $"Migrating the {factory.Describe()} failed in script {result.ErrorScript?.Name ?? "(unknown)"}: {result.Error?.Message}",
                result.Error);
        }

        var applied = result.Scripts.Select(s => s.Name).ToList();
        if (applied.Count > 0)
        {
            logger.LogInformation("Applied {Count} schema script(s) to the {Database}: {Scripts}", applied.Count, factory.Describe(), string.Join(", ", applied));
        }

        // Search keys are folded by the application (SearchText), the same on every provider: rows written before the
        // keys existed get theirs now. A no-op when every row has its keys.
        var filled = await Stores.SearchKeys.FillMissingAsync(factory, cancellationToken).ConfigureAwait(false);
        if (filled > 0)
        {
            logger.LogInformation("Computed the search keys of {Count} compan(ies) and case(s) in the {Database}", filled, factory.Describe());
        }

        return new MigrationReport(applied, ScriptNames(factory.Provider).Count);
    }

    /// <summary>Scripts not yet applied (for the health check).</summary>
    public IReadOnlyList<string> PendingScripts()
    {
        var engine = CreateBuilder()
            .WithScriptsEmbeddedInAssembly(ScriptAssembly, name => name.StartsWith($"db/{ScriptFolder(factory.Provider)}/", StringComparison.Ordinal))
            .LogToNowhere()
            .Build();
        return [.. engine.GetScriptsToExecute().Select(s => s.Name)];
    }

    private UpgradeEngineBuilder CreateBuilder() => factory.Provider switch
    {
        DatabaseProvider.Sqlite => DeployChanges.To.SqliteDatabase(factory.ConnectionString).JournalToSqliteTable(JournalTable),
        DatabaseProvider.Postgres => DeployChanges.To.PostgresqlDatabase(factory.ConnectionString).JournalToPostgresqlTable("public", JournalTable),
        _ => DeployChanges.To.SqlDatabase(factory.ConnectionString).JournalToSqlTable("dbo", JournalTable),
    };

    private async Task WaitForServerAsync(TimeSpan retryFor, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + retryFor;
        var createdDatabase = false;
        while (true)
        {
            try
            {
                await using var connection = await factory.OpenAsync(cancellationToken).ConfigureAwait(false);
                if (factory.Provider == DatabaseProvider.Sqlite)
                {
                    await using var pragma = connection.CreateCommand();
                    pragma.CommandText = "PRAGMA journal_mode=WAL;";
                    await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (Exception ex) when (IsMissingDatabase(ex) && !createdDatabase)
            {
                createdDatabase = true;
                EnsureDatabase(ex);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
            {
                if (time.GetUtcNow() >= deadline)
                {
                    throw new DatabaseStartupException(
                        $"Cannot connect to the {factory.Describe()} set in Database:ConnectionString: {ex.Message}", ex);
                }

                logger.LogWarning("Waiting for the {Database}: {Message}", factory.Describe(), ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsMissingDatabase(Exception ex) => ex switch
    {
        Npgsql.PostgresException pg => pg.SqlState == "3D000", // invalid_catalog_name
        Microsoft.Data.SqlClient.SqlException sql => sql.Number == 4060, // cannot open database
        _ => false,
    };

    private void EnsureDatabase(Exception cause)
    {
        logger.LogInformation("The {Database} does not exist yet; creating it.", factory.Describe());
        try
        {
            if (factory.Provider == DatabaseProvider.Postgres)
            {
                DbUp.EnsureDatabase.For.PostgresqlDatabase(factory.ConnectionString, new UpgradeLog(logger));
            }
            else
            {
                DbUp.EnsureDatabase.For.SqlDatabase(factory.ConnectionString, new UpgradeLog(logger));
            }
        }
        catch (Exception ex)
        {
            throw new DatabaseStartupException(
                $"The {factory.Describe()} set in Database:ConnectionString does not exist and could not be created: {ex.Message}",
                new AggregateException(cause, ex));
        }
    }

    private sealed class UpgradeLog(ILogger logger) : IUpgradeLog
    {
#pragma warning disable CA2254 // DbUp hands over format strings of its own
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);
        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);
        public void LogInformation(string format, params object[] args) => logger.LogDebug(format, args);
        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);
        public void LogError(string format, params object[] args) => logger.LogError(format, args);
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
#pragma warning restore CA2254
    }
}
