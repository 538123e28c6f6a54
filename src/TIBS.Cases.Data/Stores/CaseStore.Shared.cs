using System.Data.Common;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// One connection for the read and the write of one command (<see cref="ShareConnection"/>): a step completion reads
/// what it decides on and writes its rows on the same pooled connection, as the raw ADO.NET path does, instead of
/// taking a second one from the pool (and paying its reset on the server) between the two.
/// </summary>
internal sealed partial class CaseStore
{
    private static readonly AsyncLocal<SharedConnection?> Shared = new();

    public IAsyncDisposable ShareConnection()
    {
        var shared = new SharedConnection(db, Shared.Value);
        Shared.Value = shared;
        return shared;
    }

    /// <summary>
    /// The connection the command shares if one is held for this database and not in use; otherwise a connection of
    /// its own, closed when the lease ends.
    /// </summary>
    private ValueTask<ConnectionLease> LeaseAsync(CancellationToken k) =>
        Shared.Value is { } shared && ReferenceEquals(shared.Factory, db) ? shared.LeaseAsync(k) : OwnAsync(k);

    private async ValueTask<ConnectionLease> OwnAsync(CancellationToken k) => new(await db.OpenAsync(k), null);

    /// <summary>A connection lent to one store call at a time; opened on first use, closed when the command ends.</summary>
    private sealed class SharedConnection(IDbConnectionFactory factory, SharedConnection? outer) : IAsyncDisposable
    {
        private DbConnection? connection;
        private int busy;

        public IDbConnectionFactory Factory => factory;

        public async ValueTask<ConnectionLease> LeaseAsync(CancellationToken k)
        {
            if (Interlocked.Exchange(ref busy, 1) == 1)
            {
                // Already lent (a call inside another): that one gets a connection of its own.
                return new ConnectionLease(await factory.OpenAsync(k), null);
            }

            try
            {
                connection ??= await factory.OpenAsync(k);
                return new ConnectionLease(connection, this);
            }
            catch
            {
                Volatile.Write(ref busy, 0);
                throw;
            }
        }

        public void Return() => Volatile.Write(ref busy, 0);

        /// <summary>Not async, so that restoring the outer holder is seen by the caller's flow.</summary>
        public ValueTask DisposeAsync()
        {
            if (ReferenceEquals(Shared.Value, this))
            {
                Shared.Value = outer;
            }

            var c = connection;
            connection = null;
            return c?.DisposeAsync() ?? ValueTask.CompletedTask;
        }
    }

    /// <summary>A connection for one store call: returned to the command that shares it, or closed if it was its own.</summary>
    private readonly struct ConnectionLease(DbConnection connection, SharedConnection? shared) : IAsyncDisposable
    {
        public DbConnection Connection => connection;

        public ValueTask DisposeAsync()
        {
            if (shared is null)
            {
                return connection.DisposeAsync();
            }

            shared.Return();
            return ValueTask.CompletedTask;
        }
    }
}
