using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using TIBS.Cases.Core.Observability;

namespace TIBS.Cases.Data;

/// <summary>
/// Spans for the embedded SQLite database, which has no instrumentation of its own (PostgreSQL and SQL Server have
/// theirs). While something listens to <see cref="TibsTracing.Source"/>, the connection factory hands out a
/// <see cref="TracedSqliteConnection"/>: each command run is an activity named after its operation (<c>SELECT</c>,
/// <c>INSERT</c> …) with the OpenTelemetry database attributes <c>db.system</c> (<c>sqlite</c>) and
/// <c>db.operation.name</c> (the statement's first keyword), never the statement's text or its parameters' values.
/// A reader's activity lasts until the reader is closed (SQLite does its work while the rows are read). While nothing
/// listens, the plain <see cref="SqliteConnection"/> is handed out: no cost. Decision 0054.
/// </summary>
internal static class SqliteTracing
{
    /// <summary>The connection as it is while nothing listens; wrapped for tracing while something does.</summary>
    public static DbConnection Traced(SqliteConnection connection) =>
        TibsTracing.Source.HasListeners() ? new TracedSqliteConnection(connection) : connection;

    /// <summary>An activity for a command (null while nothing listens or the listeners do not sample it).</summary>
    public static Activity? Start(string? sql)
    {
        var operation = Operation(sql);
        var activity = TibsTracing.Source.StartActivity(operation ?? "sqlite", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system", "sqlite");
            activity.SetTag("db.system.name", "sqlite");
            if (operation is not null)
            {
                activity.SetTag("db.operation.name", operation);
            }
        }

        return activity;
    }

    /// <summary>The error status and the exception's type (never its message: it may quote the data).</summary>
    public static void Failed(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity.SetTag("error.type", exception is SqliteException sqlite ? $"SQLITE_{sqlite.SqliteErrorCode}" : exception.GetType().FullName);
        }
    }

    /// <summary>The statement's first keyword in capitals (after blanks and comments), or null when it has none.</summary>
    public static string? Operation(string? sql)
    {
        if (sql is null)
        {
            return null;
        }

        var i = 0;
        while (i < sql.Length)
        {
            if (char.IsWhiteSpace(sql[i]))
            {
                i++;
            }
            else if (sql[i] == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
            }
            else if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
            }
            else
            {
                break;
            }
        }

        var start = i;
        while (i < sql.Length && i - start < 16 && char.IsAsciiLetter(sql[i]))
        {
            i++;
        }

        return i > start ? sql[start..i].ToUpperInvariant() : null;
    }
}

/// <summary>A SQLite connection whose commands are traced (<see cref="SqliteTracing"/>); everything else is the inner connection's.</summary>
[SuppressMessage("Design", "CA1010", Justification = "A DbConnection wrapper")]
internal sealed class TracedSqliteConnection(SqliteConnection inner) : DbConnection
{
    public SqliteConnection Inner => inner;

    [AllowNull]
    public override string ConnectionString { get => inner.ConnectionString; set => inner.ConnectionString = value; }

    public override string Database => inner.Database;

    public override string DataSource => inner.DataSource;

    public override string ServerVersion => inner.ServerVersion;

    public override ConnectionState State => inner.State;

    public override int ConnectionTimeout => inner.ConnectionTimeout;

    /// <summary>Commands only, one after the other (SQLite runs in process: a batch saves no round trip).</summary>
    public override bool CanCreateBatch => false;

    public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);

    public override void Close() => inner.Close();

    public override Task CloseAsync() => inner.CloseAsync();

    public override void Open() => inner.Open();

    public override Task OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);

    public override DataTable GetSchema() => inner.GetSchema();

    public override DataTable GetSchema(string collectionName) => inner.GetSchema(collectionName);

    public override DataTable GetSchema(string collectionName, string?[] restrictionValues) => inner.GetSchema(collectionName, restrictionValues);

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        new TracedSqliteTransaction(inner.BeginTransaction(isolationLevel), this);

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
        new TracedSqliteTransaction(await inner.BeginTransactionAsync(isolationLevel, cancellationToken).ConfigureAwait(false), this);

    protected override DbCommand CreateDbCommand() => new TracedSqliteCommand(inner.CreateCommand(), this);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}

internal sealed class TracedSqliteTransaction(DbTransaction inner, TracedSqliteConnection connection) : DbTransaction
{
    public DbTransaction Inner => inner;

    public override IsolationLevel IsolationLevel => inner.IsolationLevel;

    protected override DbConnection DbConnection => connection;

    public override void Commit() => inner.Commit();

    public override Task CommitAsync(CancellationToken cancellationToken = default) => inner.CommitAsync(cancellationToken);

    public override void Rollback() => inner.Rollback();

    public override Task RollbackAsync(CancellationToken cancellationToken = default) => inner.RollbackAsync(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}

internal sealed class TracedSqliteCommand(DbCommand inner, TracedSqliteConnection connection) : DbCommand
{
    private DbTransaction? transaction;

    [AllowNull]
    public override string CommandText { get => inner.CommandText; set => inner.CommandText = value; }

    public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }

    public override CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }

    public override bool DesignTimeVisible { get => inner.DesignTimeVisible; set => inner.DesignTimeVisible = value; }

    public override UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }

    protected override DbConnection? DbConnection { get => connection; set { } }

    protected override DbParameterCollection DbParameterCollection => inner.Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => transaction;
        set
        {
            transaction = value;
            inner.Transaction = value is TracedSqliteTransaction traced ? traced.Inner : value;
        }
    }

    public override void Cancel() => inner.Cancel();

    public override void Prepare() => inner.Prepare();

    protected override DbParameter CreateDbParameter() => inner.CreateParameter();

    public override int ExecuteNonQuery()
    {
        using var activity = SqliteTracing.Start(inner.CommandText);
        try
        {
            return inner.ExecuteNonQuery();
        }
        catch (Exception ex)
        {
            SqliteTracing.Failed(activity, ex);
            throw;
        }
    }

    public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        using var activity = SqliteTracing.Start(inner.CommandText);
        try
        {
            return await inner.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SqliteTracing.Failed(activity, ex);
            throw;
        }
    }

    public override object? ExecuteScalar()
    {
        using var activity = SqliteTracing.Start(inner.CommandText);
        try
        {
            return inner.ExecuteScalar();
        }
        catch (Exception ex)
        {
            SqliteTracing.Failed(activity, ex);
            throw;
        }
    }

    public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        using var activity = SqliteTracing.Start(inner.CommandText);
        try
        {
            return await inner.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SqliteTracing.Failed(activity, ex);
            throw;
        }
    }

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        // The activity lasts as long as the reader, but is not the current one meanwhile: the caller's next commands are its siblings.
        var parent = Activity.Current;
        var activity = SqliteTracing.Start(inner.CommandText);
        Activity.Current = parent;
        try
        {
            return new TracedSqliteReader(inner.ExecuteReader(behavior), activity);
        }
        catch (Exception ex)
        {
            SqliteTracing.Failed(activity, ex);
            activity?.Dispose();
            Activity.Current = parent;
            throw;
        }
    }

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        var activity = SqliteTracing.Start(inner.CommandText);
        try
        {
            return new TracedSqliteReader(await inner.ExecuteReaderAsync(behavior, cancellationToken).ConfigureAwait(false), activity);
        }
        catch (Exception ex)
        {
            SqliteTracing.Failed(activity, ex);
            activity?.Dispose();
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        inner.Dispose();
        return base.DisposeAsync();
    }
}
