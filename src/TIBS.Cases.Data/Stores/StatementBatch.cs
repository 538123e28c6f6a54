using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using TIBS.Cases.Core;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// The statements of one write, sent in as few round trips as the provider allows: one <see cref="DbBatch"/> where
/// the driver has them (Npgsql, SqlClient), else one command after the other (SQLite runs in process, so a
/// statement costs no round trip there). Parameters are the properties of each statement's object named in its SQL
/// (<c>@Name</c>), converted as the Dapper type handlers convert them.
/// </summary>
internal sealed partial class StatementBatch
{
    private static readonly ConcurrentDictionary<(Type, string), (string ParameterName, Func<object, object?> Get)[]> Bindings = new();
    private static readonly ConcurrentDictionary<string, string> PositionalTexts = new();
    private readonly List<(string Sql, object Param)> items = [];

    public int Count => items.Count;

    public StatementBatch Add(string sql, object param)
    {
        items.Add((sql, param));
        return this;
    }

    /// <summary>The statement once per row (as Dapper does with a list of parameters).</summary>
    public StatementBatch AddEach<T>(string sql, IEnumerable<T> rows)
        where T : notnull
    {
        foreach (var row in rows)
        {
            items.Add((sql, row));
        }

        return this;
    }

    /// <summary>
    /// Runs the statements in order in <paramref name="tx"/> and returns the rows each affected. With
    /// <paramref name="stopUnlessFirstMatches"/>, statements after the first are not run one by one when the first
    /// changed no row (the caller gives up and rolls back); a batch sent at once is judged by the caller afterwards.
    /// </summary>
    public async Task<IReadOnlyList<int>> ExecuteAsync(DbConnection connection, DbTransaction tx, bool stopUnlessFirstMatches, CancellationToken k)
    {
        if (items.Count == 0)
        {
            return [];
        }

        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = tx;
            await using var parameters = connection.CreateCommand();

            // Npgsql sends a statement with positional parameters as it is; named ones it parses and rewrites on
            // every execution. The positional text is made once per statement.
            bool? positional = null;
            foreach (var (sql, param) in items)
            {
                var command = batch.CreateBatchCommand();
                positional ??= command is NpgsqlBatchCommand;
                command.CommandText = positional.Value ? PositionalText(sql) : sql;
                Bind(command.Parameters, parameters, sql, param, sqlite: false, named: !positional.Value);
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(k);
            return [.. batch.BatchCommands.Select(b => b.RecordsAffected)];
        }

        // One command after the other (SQLite: in process, no round trip to save), bound the same way without Dapper's
        // per-command work: these statements run while the database's single write lock is held.
        var counts = new List<int>(items.Count);
        foreach (var (sql, param) in items)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;

            // As the type handlers decide: by the driver's parameter type (a connection may be wrapped).
            Bind(command.Parameters, command, sql, param, sqlite: command.CreateParameter() is SqliteParameter);
            counts.Add(await command.ExecuteNonQueryAsync(k));
            if (stopUnlessFirstMatches && counts is [0])
            {
                break;
            }
        }

        return counts;
    }

    /// <summary>
    /// The statement with each <c>@Name</c> replaced by <c>$n</c>, n counting the distinct names (case ignored) in the
    /// order they first appear: the order <see cref="BindingsOf"/> binds them in.
    /// </summary>
    internal static string PositionalText(string sql) => PositionalTexts.GetOrAdd(sql, static text =>
    {
        var names = new List<string>();
        return ParameterName().Replace(text, m =>
        {
            var i = names.FindIndex(n => string.Equals(n, m.Groups[1].Value, StringComparison.OrdinalIgnoreCase));
            if (i < 0)
            {
                names.Add(m.Groups[1].Value);
                i = names.Count - 1;
            }

            return "$" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
    });

    private static void Bind(DbParameterCollection target, DbCommand factory, string sql, object param, bool sqlite, bool named = true)
    {
        foreach (var (name, get) in BindingsOf(sql, param.GetType()))
        {
            var p = factory.CreateParameter();
            if (named)
            {
                p.ParameterName = name;
            }

            Assign(p, get(param), sqlite);
            target.Add(p);
        }
    }

    /// <summary>Per statement and parameter type, once: each parameter's name and a compiled getter of its property.</summary>
    private static (string ParameterName, Func<object, object?> Get)[] BindingsOf(string sql, Type type) =>
        Bindings.GetOrAdd((type, sql), key =>
        [
            .. ParameterName().Matches(key.Item2).Select(m => m.Groups[1].Value).Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(name => ("@" + name, Getter(key.Item1.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
                    ?? throw new InvalidOperationException($"The statement names @{name}, which {key.Item1.Name} does not have.")))),
        ]);

    private static Func<object, object?> Getter(PropertyInfo property)
    {
        var instance = Expression.Parameter(typeof(object), "row");
        var value = Expression.Property(Expression.Convert(instance, property.DeclaringType!), property);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(value, typeof(object)), instance).Compile();
    }

    /// <summary>The values as <see cref="DapperTypeHandlers"/> gives them to each driver (text for SQLite's Guids, instants and dates).</summary>
    private static void Assign(DbParameter p, object? value, bool sqlite)
    {
        switch (value)
        {
            case null:
                p.Value = DBNull.Value;
                break;
            case Guid g when sqlite:
                p.DbType = DbType.String;
                p.Value = g.ToString("D");
                break;
            case DateTimeOffset d when sqlite:
                p.DbType = DbType.String;
                p.Value = DapperTypeHandlers.ToSqliteText(Timestamps.Normalize(d));
                break;
            case DateOnly d when sqlite:
                p.DbType = DbType.String;
                p.Value = d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                break;
            case Guid g:
                p.DbType = DbType.Guid;
                p.Value = g;
                break;
            case DateTimeOffset d:
                p.DbType = DbType.DateTimeOffset;
                p.Value = Timestamps.Normalize(d);
                break;
            case TimeSpan t:
                p.DbType = DbType.Int64;
                p.Value = t.Ticks;
                break;
            case DateOnly d:
                p.DbType = DbType.Date;
                p.Value = d.ToDateTime(TimeOnly.MinValue);
                break;
            case Enum e:
                p.Value = Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()), System.Globalization.CultureInfo.InvariantCulture);
                break;
            default:
                p.Value = value;
                break;
        }
    }

    [GeneratedRegex(@"(?<![@\w])@(\w+)")]
    private static partial Regex ParameterName();
}
