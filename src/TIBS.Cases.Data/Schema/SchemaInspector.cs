using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TIBS.Cases.Data.Schema;

/// <summary>A schema script recorded in the journal, and when it was applied (as the journal has it).</summary>
public sealed record AppliedScript(string Name, DateTime AppliedAt);

/// <summary>
/// Where a database stands against the schema scripts of this build: applied, pending (known here, not applied) and
/// unknown (applied by a newer release: this build cannot know what they changed). Names are file names such as
/// <c>0033_notification_templates.sql</c>.
/// </summary>
public sealed record SchemaStatus(
    DatabaseProvider Provider,
    string Database,
    bool DatabaseExists,
    IReadOnlyList<AppliedScript> Applied,
    IReadOnlyList<string> Pending,
    IReadOnlyList<AppliedScript> Unknown,
    string NewestKnown)
{
    /// <summary>Every script of this build is applied and none other.</summary>
    public bool IsUpToDate => Pending.Count == 0 && Unknown.Count == 0;

    /// <summary>A newer release of TIBS.Cases has migrated this database.</summary>
    public bool IsNewerThanThisBuild => Unknown.Count > 0;

    /// <summary>The one-line refusal when a newer release migrated the database; null when it did not.</summary>
    public string? NewerSchemaProblem => IsNewerThanThisBuild
        ? $"The {Database} has {Count(Unknown.Count, "schema script")} this release does not know ({string.Join(", ", Unknown.Select(u => u.Name))}); "
            + $"the newest this release knows is {NewestKnown}. This database was upgraded by a newer release of TIBS.Cases; run that release or restore a backup."
        : null;

    /// <summary>The one-line refusal when scripts are pending and the operator migrates explicitly; null when none is.</summary>
    public string? PendingProblem => Pending.Count > 0
        ? $"{Count(Pending.Count, "schema script")} pending on the {Database} ({Span(Pending)}) and Database:Migrate is false: "
            + "back up the database and run `db migrate` first."
        : null;

    internal static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{n} {noun}s");

    private static string Span(IReadOnlyList<string> names) => names.Count switch
    {
        1 => names[0],
        2 => $"{names[0]}, {names[1]}",
        _ => $"{names[0]} … {names[^1]}",
    };
}

/// <summary>
/// Reads the journal (<see cref="SchemaMigrator.JournalTable"/>) and compares it with the scripts embedded in this build,
/// without changing anything: a missing database or journal means every script is pending. Start-up refuses a newer
/// schema with it, <c>db status</c> prints it and a readiness check may report it.
/// </summary>
public sealed class SchemaInspector(ConnectionFactory factory)
{
    /// <summary>Applied, pending and unknown scripts of the configured database. Throws the driver's exception when the
    /// server cannot be reached (a missing database on a server is reported as not existing, not thrown).</summary>
    public async Task<SchemaStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var known = SchemaMigrator.ScriptNames(factory.Provider);
        var exists = DatabaseFileExists();
        var journal = exists ? await ReadJournalAsync(cancellationToken).ConfigureAwait(false) : null;
        exists = journal is not null;
        var applied = journal ?? [];

        var knownSet = known.ToHashSet(StringComparer.Ordinal);
        var appliedSet = applied.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        return new SchemaStatus(
            factory.Provider,
            factory.Describe(),
            exists,
            [.. applied.Where(a => knownSet.Contains(a.Name)).Select(Short)],
            [.. known.Where(k => !appliedSet.Contains(k)).Select(k => Path.GetFileName(k))],
            [.. applied.Where(a => !knownSet.Contains(a.Name)).Select(Short)],
            Path.GetFileName(known[^1]));
    }

    private static AppliedScript Short(AppliedScript a) => a with { Name = Path.GetFileName(a.Name) };

    /// <summary>An embedded database that is not there yet is not created by looking at it.</summary>
    private bool DatabaseFileExists()
    {
        if (factory.Provider != DatabaseProvider.Sqlite)
        {
            return true;
        }

        var builder = new SqliteConnectionStringBuilder(factory.ConnectionString);
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:" || File.Exists(builder.DataSource);
    }

    /// <summary>The journal's rows, oldest first; empty when there is no journal; null when the database does not exist.</summary>
    private async Task<List<AppliedScript>?> ReadJournalAsync(CancellationToken cancellationToken)
    {
        DbConnection connection;
        try
        {
            connection = await factory.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsMissingDatabase(ex))
        {
            return null;
        }

        await using (connection.ConfigureAwait(false))
        {
            if (!await JournalExistsAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                return [];
            }

            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT ScriptName, Applied FROM {SchemaMigrator.JournalTable}";
            var rows = new List<AppliedScript>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new AppliedScript(reader.GetString(0), reader.GetDateTime(1)));
            }

            // Script names sort in the order they ran (0001_…, 0002_…); the journal's own order is the insert order.
            return [.. rows.OrderBy(r => Path.GetFileName(r.Name), StringComparer.Ordinal)];
        }
    }

    private async Task<bool> JournalExistsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = factory.Provider switch
        {
            DatabaseProvider.Sqlite => $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{SchemaMigrator.JournalTable}'",
            DatabaseProvider.Postgres => $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = '{SchemaMigrator.JournalTable}'",
            _ => $"SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'dbo' AND TABLE_NAME = '{SchemaMigrator.JournalTable}'",
        };
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    internal static bool IsMissingDatabase(Exception ex) => ex switch
    {
        Npgsql.PostgresException pg => pg.SqlState == "3D000", // invalid_catalog_name
        Microsoft.Data.SqlClient.SqlException sql => sql.Number == 4060, // cannot open database
        _ => false,
    };
}
