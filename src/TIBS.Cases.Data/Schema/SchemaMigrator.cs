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
public sealed class DatabaseStartupException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The schema's state when that is what stopped start-up (a newer release's scripts, or pending ones with
    /// Database:Migrate=false); null for a database that cannot be reached or a script that failed.</summary>
    public SchemaStatus? Schema { get; init; }
}

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

    /// <summary>
    /// Waits for the server, creates the database when it is missing, and applies pending scripts. Refuses a database
    /// that a newer release has migrated (its journal names scripts this build does not know).
    /// </summary>
    public Task<MigrationReport> MigrateAsync(TimeSpan retryFor, CancellationToken cancellationToken = default) =>
        MigrateAsync(retryFor, through: null, onApplied: null, cancellationToken);

    /// <summary>As <see cref="MigrateAsync(TimeSpan, CancellationToken)"/>; <paramref name="onApplied"/> hears the file
    /// name of each script as soon as it is applied (<c>db migrate</c> prints them).</summary>
    public Task<MigrationReport> MigrateAsync(TimeSpan retryFor, Action<string> onApplied, CancellationToken cancellationToken = default) =>
        MigrateAsync(retryFor, through: null, onApplied, cancellationToken);

    /// <summary>Applies the scripts up to and including the one numbered <paramref name="through"/> (such as <c>0029</c>):
    /// a database as an earlier release left it, for the tests of each script's data migration.</summary>
    internal Task<MigrationReport> MigrateThroughAsync(string through, CancellationToken cancellationToken = default) =>
        MigrateAsync(TimeSpan.Zero, through, onApplied: null, cancellationToken);

    private async Task<MigrationReport> MigrateAsync(TimeSpan retryFor, string? through, Action<string>? onApplied, CancellationToken cancellationToken)
    {
        await WaitForServerAsync(retryFor, mayCreate: true, cancellationToken).ConfigureAwait(false);
        var status = await new SchemaInspector(factory).GetStatusAsync(cancellationToken).ConfigureAwait(false);
        if (status.NewerSchemaProblem is { } newer)
        {
            throw new DatabaseStartupException(newer) { Schema = status };
        }

        var folder = $"db/{ScriptFolder(factory.Provider)}/";
        var builder = CreateBuilder();
        var engine = builder
            .WithScriptsEmbeddedInAssembly(ScriptAssembly, name => name.StartsWith(folder, StringComparison.Ordinal)
                && (through is null || string.CompareOrdinal(name[folder.Length..], through) < 0 || name[folder.Length..].StartsWith(through, StringComparison.Ordinal)))
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            // A script runs to its end, however long: a data migration over a million cases takes minutes (script 0040's
            // update of every case was cancelled after the providers' default 30 s, and the start failed with it).
            .WithExecutionTimeout(TimeSpan.Zero)
            .LogTo(new UpgradeLog(logger))
            .Build();
        if (onApplied is not null)
        {
            engine.ScriptExecuted += (_, e) => onApplied(Path.GetFileName(((DbUp.Engine.ScriptExecutedEventArgs)e).Script.Name));
        }

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

        if (through is not null)
        {
            // An earlier release's schema: the search keys below are filled in the shape this build knows.
            return new MigrationReport(applied, ScriptNames(factory.Provider).Count);
        }

        // Search keys are folded by the application (SearchText), the same on every provider: rows written before the
        // keys existed get theirs now. A no-op when every row has its keys.
        var filled = await Stores.SearchKeys.FillMissingAsync(factory, cancellationToken).ConfigureAwait(false);
        if (filled > 0)
        {
            logger.LogInformation("Computed the search keys of {Count} compan(ies) and case(s) in the {Database}", filled, factory.Describe());
        }

        // The words partner matching compares are stored as terms the application computes (decision 0051): rows written
        // before the terms existed, or with older rules, get theirs now. A no-op when every company has current terms.
        var terms = await Stores.MatchTerms.FillMissingAsync(factory, cancellationToken).ConfigureAwait(false);
        if (terms > 0)
        {
            logger.LogInformation("Computed the match terms of {Count} compan(ies) in the {Database}", terms, factory.Describe());
        }

        return new MigrationReport(applied, ScriptNames(factory.Provider).Count);
    }

    /// <summary>
    /// For <c>Database:Migrate=false</c>: waits for the server and checks, without changing anything, that every script
    /// of this build is applied and none other; otherwise start-up stops with a line that says what to do.
    /// </summary>
    public async Task<SchemaStatus> VerifyAsync(TimeSpan retryFor, CancellationToken cancellationToken = default)
    {
        if (factory.Provider != DatabaseProvider.Sqlite)
        {
            await WaitForServerAsync(retryFor, mayCreate: false, cancellationToken).ConfigureAwait(false);
        }

        SchemaStatus status;
        try
        {
            status = await new SchemaInspector(factory).GetStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            throw new DatabaseStartupException($"Cannot read the schema journal of the {factory.Describe()} set in Database:ConnectionString: {ex.Message}", ex);
        }

        if ((status.NewerSchemaProblem ?? status.PendingProblem) is { } problem)
        {
            throw new DatabaseStartupException(problem) { Schema = status };
        }

        return status;
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

    private async Task WaitForServerAsync(TimeSpan retryFor, bool mayCreate, CancellationToken cancellationToken)
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
            catch (Exception ex) when (SchemaInspector.IsMissingDatabase(ex) && !mayCreate)
            {
                return;
            }
            catch (Exception ex) when (SchemaInspector.IsMissingDatabase(ex) && !createdDatabase)
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
