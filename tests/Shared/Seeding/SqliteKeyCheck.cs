using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;

namespace TIBS.Cases.Testing.Seeding;

/// <summary>
/// Every foreign key of the seeded SQLite tables checked set by set, with what <c>PRAGMA foreign_key_check</c> checks:
/// each value of a key column (all of a composite key's columns when none is NULL) has its row in the parent table,
/// compared with the parent column's collation. The pragma looks up the parent of every row, key by key: 100 million
/// look-ups at a million cases. Here a key column led by an index of its table is read from that index, each value once
/// (a case's reminders name their case once, not a few dozen times), and only the columns no index leads are looked up
/// row by row, in one read of the table for all of them. A partial index leads its column for the rows it holds; the
/// rows no such index holds are looked up in the table's read.
/// </summary>
internal static partial class SqliteKeyCheck
{
    /// <summary>One query of the check: its first row, if any, is a key with no parent.</summary>
    internal sealed record Check(string Table, string Sql, bool ReadsTable);

    /// <summary>The checks of <paramref name="tables"/>: the table reads first, largest table first, then the index reads.</summary>
    public static async Task<IReadOnlyList<Check>> PlanAsync(DbConnection c, IEnumerable<(string Table, long Rows)> tables, CancellationToken cancellationToken = default)
    {
        var reads = new List<(Check Check, long Rows)>();
        var indexReads = new List<Check>();
        foreach (var (table, rows) in tables)
        {
            var keys = (await c.QueryAsync<(long Id, string Parent, string Column, string? ParentColumn)>(new CommandDefinition(
                "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(@table) ORDER BY id, seq", new { table }, cancellationToken: cancellationToken))).ToList();
            if (keys.Count == 0)
            {
                continue;
            }

            var leading = (await c.QueryAsync<(string Index, string Column, bool Partial, string? Sql)>(new CommandDefinition(
                """
                SELECT l.name, i.name, l.partial, m.sql FROM pragma_index_list(@table) l
                JOIN pragma_index_info(l.name) i ON i.seqno = 0 LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = l.name
                ORDER BY l.partial, l.name
                """, new { table }, cancellationToken: cancellationToken))).ToList();
            var rowChecks = new List<(string Condition, string Key)>();
            foreach (var key in keys.GroupBy(k => k.Id))
            {
                var parent = key.First().Parent;
                var parentColumns = key.All(k => k.ParentColumn is not null)
                    ? key.Select(k => k.ParentColumn!).ToList()
                    : (await c.QueryAsync<string>(new CommandDefinition("SELECT name FROM pragma_table_info(@parent) WHERE pk > 0 ORDER BY pk", new { parent }, cancellationToken: cancellationToken))).ToList();
                var columns = key.Select(k => k.Column).ToList();
                var described = $"{string.Join(", ", columns)} → {parent}".Replace("'", "''", StringComparison.Ordinal);
                var present = string.Join(" AND ", columns.Select(k => $"t.{Q(k)} IS NOT NULL"));
                var missing = $"NOT EXISTS (SELECT 1 FROM {Q(parent)} p WHERE {string.Join(" AND ", parentColumns.Select((p, i) => $"p.{Q(p)} = t.{Q(columns[i])}"))})";
                // A full index leading the column holds every value; failing one, each partial index leading it holds the
                // values of its rows, and the rows none of them holds are looked up in the table's read.
                var indexes = columns.Count == 1 ? leading.Where(l => string.Equals(l.Column, columns[0], StringComparison.OrdinalIgnoreCase)).ToList() : [];
                indexes = indexes.Any(l => !l.Partial) ? [indexes.First(l => !l.Partial)] : indexes;
                if (indexes.Count == 0)
                {
                    rowChecks.Add(($"{present} AND {missing}", described));
                    continue;
                }

                var column = Q(columns[0]);
                var held = new List<string>();
                foreach (var index in indexes)
                {
                    var holds = index.Partial ? PartialCondition(index.Sql) : null;
                    indexReads.Add(new Check(table,
                        $"SELECT '{described}', t.{column} FROM (SELECT DISTINCT {column} FROM {Q(table)} INDEXED BY {Q(index.Index)} WHERE {(holds is null ? "" : $"({holds}) AND ")}{column} IS NOT NULL) t WHERE {missing} LIMIT 1",
                        ReadsTable: false));
                    if (holds is not null)
                    {
                        held.Add($"({holds}) IS NOT TRUE");
                    }
                }

                if (held.Count > 0)
                {
                    rowChecks.Add(($"{string.Join(" AND ", held)} AND {present} AND {missing}", described));
                }
            }

            if (rowChecks.Count > 0)
            {
                var which = string.Join(" ", rowChecks.Select(r => $"WHEN {r.Condition} THEN '{r.Key}'"));
                reads.Add((new Check(table,
                    $"SELECT CASE {which} END, t.rowid FROM {Q(table)} t WHERE {string.Join(" OR ", rowChecks.Select(r => $"({r.Condition})"))} LIMIT 1",
                    ReadsTable: true), rows));
            }
        }

        return [.. reads.OrderByDescending(r => r.Rows).Select(r => r.Check), .. indexReads];
    }

    /// <summary>The first key of the check with no parent, said as "table: columns → parent (value)", or null.</summary>
    public static async Task<string?> RunAsync(DbConnection c, Check check, CancellationToken cancellationToken = default)
    {
        await using var command = c.CreateCommand();
        command.CommandText = check.Sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? $"{check.Table}: {reader.GetString(0)} ({(check.ReadsTable ? "row " : "")}{reader.GetValue(1)})"
            : null;
    }

    /// <summary>The condition of a partial index (<c>CREATE INDEX … ON t (…) WHERE condition</c>).</summary>
    private static string PartialCondition(string? sql)
    {
        var match = sql is null ? null : PartialWhere().Match(sql);
        return match is { Success: true }
            ? match.Groups[1].Value.Trim()
            : throw new InvalidOperationException($"The condition of a partial index could not be read: {sql}");
    }

    private static string Q(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"\)\s+WHERE\s+(.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex PartialWhere();
}
