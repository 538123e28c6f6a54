using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TIBS.Cases.Data;

/// <summary>Opens connections to the configured database and knows its dialect.</summary>
public interface IDbConnectionFactory
{
    DatabaseProvider Provider { get; }

    ISqlDialect Dialect { get; }

    string ConnectionString { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);
}

/// <summary>Transactions that write.</summary>
internal static class WriteTransactions
{
    /// <summary>
    /// Begins a transaction that will write. On SQLite it takes the write lock at once (BEGIN IMMEDIATE): SQLite has a
    /// single writer, and a deferred transaction that reads first and writes later could act on a stale read. The
    /// servers use their default isolation (read committed) with row locks.
    /// </summary>
    public static async ValueTask<DbTransaction> BeginWriteAsync(this DbConnection connection, CancellationToken cancellationToken = default) =>
        connection is SqliteConnection or TracedSqliteConnection
            ? await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false)
            : await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
}

public sealed class ConnectionFactory : IDbConnectionFactory
{
    static ConnectionFactory() => DapperTypeHandlers.Register();

    public ConnectionFactory(DatabaseProvider provider, string connectionString)
    {
        Provider = provider;
        ConnectionString = Normalize(provider, connectionString);
        Dialect = provider switch
        {
            DatabaseProvider.Sqlite => new SqliteDialect(),
            DatabaseProvider.Postgres => new PostgresDialect(),
            DatabaseProvider.SqlServer => new SqlServerDialect(),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
        };
    }

    public DatabaseProvider Provider { get; }

    public ISqlDialect Dialect { get; }

    public string ConnectionString { get; }

    /// <summary>A new connection, not yet open; a SQLite one knows the name collations (<see cref="NameCollations"/>) once open.</summary>
    public DbConnection Create() => Provider switch
    {
        DatabaseProvider.Sqlite => WithCollations(new SqliteConnection(ConnectionString)),
        DatabaseProvider.Postgres => new NpgsqlConnection(ConnectionString),
        _ => new SqlConnection(ConnectionString),
    };

    private static SqliteConnection WithCollations(SqliteConnection connection)
    {
        NameCollations.Register(connection);
        return connection;
    }

    /// <summary>
    /// An open connection. A SQLite one is traced (<see cref="SqliteTracing"/>) while something listens to the
    /// application's activity source, and is the plain <see cref="SqliteConnection"/> otherwise.
    /// </summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = Create();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection is SqliteConnection sqlite ? SqliteTracing.Traced(sqlite) : connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Parses a connection string for the provider; throws ArgumentException when it is malformed.</summary>
    public static DbConnectionStringBuilder CreateBuilder(DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteConnectionStringBuilder(connectionString),
        DatabaseProvider.Postgres => new NpgsqlConnectionStringBuilder(connectionString),
        _ => new SqlConnectionStringBuilder(connectionString),
    };

    /// <summary>A readable description of where the database is, without secrets.</summary>
    public string Describe() => Provider switch
    {
        DatabaseProvider.Sqlite => $"SQLite database {new SqliteConnectionStringBuilder(ConnectionString).DataSource}",
        DatabaseProvider.Postgres => DescribePostgres(new NpgsqlConnectionStringBuilder(ConnectionString)),
        _ => DescribeSqlServer(new SqlConnectionStringBuilder(ConnectionString)),
    };

    private static string DescribePostgres(NpgsqlConnectionStringBuilder b) => $"PostgreSQL database '{b.Database}' on {b.Host}:{b.Port}";

    private static string DescribeSqlServer(SqlConnectionStringBuilder b) => $"SQL Server database '{b.InitialCatalog}' on {b.DataSource}";

    /// <summary>Statements a PostgreSQL connection keeps prepared, unless the connection string says otherwise.</summary>
    internal const int PostgresAutoPrepared = 64;

    private static string Normalize(DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            return NormalizePostgres(connectionString);
        }

        if (provider != DatabaseProvider.Sqlite)
        {
            return connectionString;
        }

        var builder = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true, Pooling = true };
        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }

        if (builder.Mode is SqliteOpenMode.ReadWriteCreate && !string.IsNullOrEmpty(builder.DataSource)
            && builder.DataSource != ":memory:")
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Statements run again and again (a command's read, its write batch, the lists) are prepared once per pooled
    /// connection and kept across uses (Npgsql's automatic preparation), so that the server parses and plans them once
    /// instead of on every request. A connection string that sets <c>Max Auto Prepare</c> itself (for instance 0 behind
    /// a pooler that cannot keep prepared statements) is left as it is.
    /// </summary>
    private static string NormalizePostgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (connectionString.Replace(" ", "", StringComparison.Ordinal).Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            return connectionString;
        }

        builder.MaxAutoPrepare = PostgresAutoPrepared;
        builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }
}
