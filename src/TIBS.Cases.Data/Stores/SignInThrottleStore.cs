using System.Data.Common;
using Dapper;
using TIBS.Cases.Core.Accounts;

namespace TIBS.Cases.Data.Stores;

internal sealed class SignInThrottleStore(IDbConnectionFactory db) : ISignInThrottleStore
{
    public async Task<IReadOnlyList<SignInFailures>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = new List<SignInFailures>();
        foreach (var key in keys)
        {
            var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                "SELECT throttle_key, failures, last_failure_at FROM sign_in_throttle WHERE throttle_key = @key",
                new { key }, cancellationToken: cancellationToken));
            if (row is not null)
            {
                rows.Add(new SignInFailures(row.ThrottleKey, row.Failures, row.LastFailureAt));
            }
        }

        return rows;
    }

    public async Task RecordFailureAsync(string key, DateTimeOffset now, DateTimeOffset forgetBefore, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        // One statement per attempt, so concurrent failures on several nodes all count; a first failure inserts
        // the row, and losing that race to another node falls back to the update.
        const string update = """
            UPDATE sign_in_throttle
            SET failures = CASE WHEN last_failure_at < @forgetBefore THEN 1 ELSE failures + 1 END,
                last_failure_at = @now
            WHERE throttle_key = @key
            """;
        var args = new { key, now, forgetBefore };
        if (await c.ExecuteAsync(new CommandDefinition(update, args, cancellationToken: cancellationToken)) == 0)
        {
            try
            {
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO sign_in_throttle (throttle_key, failures, last_failure_at) VALUES (@key, 1, @now)", args, cancellationToken: cancellationToken));
            }
            catch (DbException)
            {
                await c.ExecuteAsync(new CommandDefinition(update, args, cancellationToken: cancellationToken));
            }
        }

        // Forgotten failures (mostly of addresses that have no account) do not pile up.
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sign_in_throttle WHERE last_failure_at < @forgetBefore", args, cancellationToken: cancellationToken));
    }

    public async Task ResetAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM sign_in_throttle WHERE throttle_key = @key", new { key }, cancellationToken: cancellationToken));
    }

    private sealed class Row
    {
        public string ThrottleKey { get; init; } = "";

        public int Failures { get; init; }

        public DateTimeOffset LastFailureAt { get; init; }
    }
}
