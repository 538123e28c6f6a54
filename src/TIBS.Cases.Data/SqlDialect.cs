namespace TIBS.Cases.Data;

/// <summary>
/// Only the real differences between the three SQL dialects. Everything else is plain SQL shared by all
/// providers, with the same parameter names.
/// </summary>
public interface ISqlDialect
{
    DatabaseProvider Provider { get; }

    /// <summary>Quotes an identifier (table or column) for this dialect.</summary>
    string Quote(string identifier);

    /// <summary>Appends "first <paramref name="limitParameter"/> rows" to a query that already has ORDER BY.</summary>
    string Limit(string orderedSql, string limitParameter);

    /// <summary>The current UTC time as a SQL expression.</summary>
    string UtcNow { get; }

    /// <summary>Table hint placed right after the table name in FROM, for claiming rows (SQL Server only).</summary>
    string ClaimTableHint { get; }

    /// <summary>Suffix of a SELECT that claims rows other workers skip (FOR UPDATE SKIP LOCKED on PostgreSQL).</summary>
    string ClaimSuffix { get; }

    /// <summary>Case-insensitive LIKE operator.</summary>
    string ILike { get; }

    /// <summary>"column is one of the list parameter" (Dapper expands lists; Npgsql takes an array).</summary>
    string InList(string column, string listParameter) => $"{column} IN {listParameter}";

    /// <summary>"<paramref name="text"/> contains <paramref name="partParameter"/>", compared code unit by code unit (no collation, no wildcards).</summary>
    string Contains(string text, string partParameter);

    /// <summary>Ids as the value of an <see cref="InList"/> parameter (Dapper expands a list without the Guid handler).</summary>
    System.Collections.IList IdList(IEnumerable<Guid> ids) => ids.Distinct().ToArray();
}

internal sealed class SqliteDialect : ISqlDialect
{
    /// <summary>SQLite stores ids as text, so a list of ids is a list of text.</summary>
    public System.Collections.IList IdList(IEnumerable<Guid> ids) => ids.Distinct().Select(i => i.ToString("D")).ToArray();

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;
    public string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    public string Limit(string orderedSql, string limitParameter) => $"{orderedSql} LIMIT {limitParameter}";
    public string UtcNow => "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
    public string ClaimTableHint => string.Empty;
    public string ClaimSuffix => string.Empty; // a single writer: SQLite serialises writes with its database lock
    public string ILike => "LIKE"; // ASCII case-insensitive by default
    public string Contains(string text, string partParameter) => $"instr({text}, {partParameter}) > 0";
}

internal sealed class PostgresDialect : ISqlDialect
{
    public DatabaseProvider Provider => DatabaseProvider.Postgres;
    public string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    public string Limit(string orderedSql, string limitParameter) => $"{orderedSql} LIMIT {limitParameter}";
    public string UtcNow => "now()";
    public string ClaimTableHint => string.Empty;
    public string ClaimSuffix => " FOR UPDATE SKIP LOCKED";
    public string ILike => "ILIKE";
    public string Contains(string text, string partParameter) => $"strpos({text}, {partParameter}) > 0";
    public string InList(string column, string listParameter) => $"{column} = ANY({listParameter})";
}

internal sealed class SqlServerDialect : ISqlDialect
{
    public DatabaseProvider Provider => DatabaseProvider.SqlServer;
    public string Quote(string identifier) => $"[{identifier.Replace("]", "]]", StringComparison.Ordinal)}]";
    public string Limit(string orderedSql, string limitParameter) => $"{orderedSql} OFFSET 0 ROWS FETCH NEXT {limitParameter} ROWS ONLY";
    public string UtcNow => "SYSUTCDATETIME()";
    public string ClaimTableHint => " WITH (UPDLOCK, READPAST, ROWLOCK)";
    public string ClaimSuffix => string.Empty;
    public string ILike => "LIKE"; // the default collation is case-insensitive
    public string Contains(string text, string partParameter) => $"CHARINDEX({partParameter}, {text} COLLATE Latin1_General_100_BIN2) > 0";
}
