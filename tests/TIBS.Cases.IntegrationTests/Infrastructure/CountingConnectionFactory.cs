using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using TIBS.Cases.Data;

namespace TIBS.Cases.IntegrationTests.Infrastructure;

/// <summary>What was sent to the database while counting: connections opened, commands and batches, commits.</summary>
public sealed class RoundTrips
{
    private int opened;
    private int reads;
    private int writes;
    private int commits;

    /// <summary>Connections taken from the pool.</summary>
    public int Opened => opened;

    /// <summary>Commands (or batches) sent outside a transaction.</summary>
    public int Reads => reads;

    /// <summary>Commands (or batches) sent inside a transaction.</summary>
    public int Writes => writes;

    public int Commits => commits;

    /// <summary>Everything that went to the database and back: commands, batches and commits.</summary>
    public int Total => reads + writes + commits;

    internal void Open() => Interlocked.Increment(ref opened);

    internal void Sent(DbTransaction? tx) => Interlocked.Increment(ref tx is null ? ref reads : ref writes);

    internal void Commit() => Interlocked.Increment(ref commits);

    public override string ToString() => $"{Opened} connection(s), {Reads} read(s), {Writes} write(s), {Commits} commit(s)";
}

/// <summary>
/// Wraps a real connection factory and counts what the stores send: each command or batch execution is one round
/// trip (a command text with several statements, or a <see cref="DbBatch"/>, is one), each commit one more.
/// </summary>
public sealed class CountingConnectionFactory(IDbConnectionFactory inner) : IDbConnectionFactory
{
    public RoundTrips Counted { get; private set; } = new();

    public DatabaseProvider Provider => inner.Provider;

    public ISqlDialect Dialect => inner.Dialect;

    public string ConnectionString => inner.ConnectionString;

    /// <summary>Starts counting afresh.</summary>
    public RoundTrips Restart() => Counted = new RoundTrips();

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        Counted.Open();
        return new CountingConnection(await inner.OpenAsync(cancellationToken), this);
    }

    [SuppressMessage("Design", "CA1010", Justification = "Test double")]
    private sealed class CountingConnection(DbConnection inner, CountingConnectionFactory owner) : DbConnection
    {
        public DbConnection Inner => inner;

        public RoundTrips Counted => owner.Counted;

        [AllowNull]
        public override string ConnectionString { get => inner.ConnectionString; set => inner.ConnectionString = value; }

        public override string Database => inner.Database;

        public override string DataSource => inner.DataSource;

        public override string ServerVersion => inner.ServerVersion;

        public override ConnectionState State => inner.State;

        public override bool CanCreateBatch => inner.CanCreateBatch;

        public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);

        public override void Close() => inner.Close();

        public override void Open() => inner.Open();

        public override Task OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new CountingTransaction(inner.BeginTransaction(isolationLevel), this);

        protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
            new CountingTransaction(await inner.BeginTransactionAsync(isolationLevel, cancellationToken), this);

        protected override DbCommand CreateDbCommand() => new CountingCommand(inner.CreateCommand(), this);

        protected override DbBatch CreateDbBatch() => new CountingBatch(inner.CreateBatch(), this);

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
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    private sealed class CountingTransaction(DbTransaction inner, CountingConnection connection) : DbTransaction
    {
        public DbTransaction Inner => inner;

        public override IsolationLevel IsolationLevel => inner.IsolationLevel;

        protected override DbConnection DbConnection => connection;

        public override void Commit()
        {
            connection.Counted.Commit();
            inner.Commit();
        }

        public override Task CommitAsync(CancellationToken cancellationToken = default)
        {
            connection.Counted.Commit();
            return inner.CommitAsync(cancellationToken);
        }

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

    private sealed class CountingCommand(DbCommand inner, CountingConnection connection) : DbCommand
    {
        private CountingTransaction? transaction;

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
                transaction = value as CountingTransaction;
                inner.Transaction = transaction?.Inner;
            }
        }

        public override void Cancel() => inner.Cancel();

        public override void Prepare() => inner.Prepare();

        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        public override int ExecuteNonQuery()
        {
            connection.Counted.Sent(transaction);
            return inner.ExecuteNonQuery();
        }

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        {
            connection.Counted.Sent(transaction);
            return inner.ExecuteNonQueryAsync(cancellationToken);
        }

        public override object? ExecuteScalar()
        {
            connection.Counted.Sent(transaction);
            return inner.ExecuteScalar();
        }

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
        {
            connection.Counted.Sent(transaction);
            return inner.ExecuteScalarAsync(cancellationToken);
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            connection.Counted.Sent(transaction);
            return inner.ExecuteReader(behavior);
        }

        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
        {
            connection.Counted.Sent(transaction);
            return inner.ExecuteReaderAsync(behavior, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class CountingBatch(DbBatch inner, CountingConnection connection) : DbBatch
    {
        private CountingTransaction? transaction;

        public override int Timeout { get => inner.Timeout; set => inner.Timeout = value; }

        protected override DbBatchCommandCollection DbBatchCommands => inner.BatchCommands;

        protected override DbConnection? DbConnection { get => connection; set { } }

        protected override DbTransaction? DbTransaction
        {
            get => transaction;
            set
            {
                transaction = value as CountingTransaction;
                inner.Transaction = transaction?.Inner;
            }
        }

        public override void Cancel() => inner.Cancel();

        public override void Prepare() => inner.Prepare();

        public override Task PrepareAsync(CancellationToken cancellationToken = default) => inner.PrepareAsync(cancellationToken);

        protected override DbBatchCommand CreateDbBatchCommand() => inner.CreateBatchCommand();

        public override int ExecuteNonQuery()
        {
            connection.Counted.Sent(transaction);
            return inner.ExecuteNonQuery();
        }

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken = default)
        {
            connection.Counted.Sent(transaction);
            return inner.ExecuteNonQueryAsync(cancellationToken);
        }

        public override object? ExecuteScalar()
        {
            connection.Counted.Sent(transaction);
            return inner.ExecuteScalar();
        }

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken = default)
        {
            connection.Counted.Sent(transaction);
            return inner.ExecuteScalarAsync(cancellationToken);
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            connection.Counted.Sent(transaction);
            return inner.ExecuteReader(behavior);
        }

        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
        {
            connection.Counted.Sent(transaction);
            return inner.ExecuteReaderAsync(behavior, cancellationToken);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();

        public override void Dispose() => inner.Dispose();
    }
}
