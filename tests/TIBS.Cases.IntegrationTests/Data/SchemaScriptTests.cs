using Dapper;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// No SQL Server runs on the build machine, so its scripts are checked by parsing them with ScriptDom, and the
/// tables and columns they define are compared with those the SQLite (and PostgreSQL) scripts really create.
/// </summary>
public static class SqlServerSchemaModel
{
    public static IList<ParseError> Parse(string script)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        parser.Parse(reader, out var errors);
        return errors;
    }

    /// <summary>table.column names defined by the SQL Server scripts, applied in order.</summary>
    public static SortedSet<string> Columns()
    {
        var visitor = new SchemaVisitor();
        foreach (var name in SchemaMigrator.ScriptNames(DatabaseProvider.SqlServer))
        {
            var parser = new TSql160Parser(initialQuotedIdentifiers: true);
            using var reader = new StringReader(SchemaMigrator.ReadScript(name));
            var fragment = parser.Parse(reader, out var errors);
            Assert.Empty(errors);
            fragment.Accept(visitor);
        }

        return visitor.Columns;
    }

    private sealed class SchemaVisitor : TSqlFragmentVisitor
    {
        public SortedSet<string> Columns { get; } = new(StringComparer.Ordinal);

        public override void ExplicitVisit(CreateTableStatement node)
        {
            var table = node.SchemaObjectName.BaseIdentifier.Value;
            foreach (var column in node.Definition.ColumnDefinitions)
            {
                Columns.Add($"{table}.{column.ColumnIdentifier.Value}");
            }
        }

        public override void ExplicitVisit(AlterTableAddTableElementStatement node)
        {
            var table = node.SchemaObjectName.BaseIdentifier.Value;
            foreach (var column in node.Definition.ColumnDefinitions)
            {
                Columns.Add($"{table}.{column.ColumnIdentifier.Value}");
            }
        }

        public override void ExplicitVisit(AlterTableDropTableElementStatement node)
        {
            var table = node.SchemaObjectName.BaseIdentifier.Value;
            foreach (var element in node.AlterTableDropTableElements.Where(e => e.TableElementType == TableElementType.Column))
            {
                Columns.Remove($"{table}.{element.Name.Value}");
            }
        }

        public override void ExplicitVisit(DropTableStatement node)
        {
            foreach (var o in node.Objects)
            {
                Columns.RemoveWhere(c => c.StartsWith(o.BaseIdentifier.Value + ".", StringComparison.Ordinal));
            }
        }
    }
}

public sealed class SqlServerScriptTests
{
    public static TheoryData<string> SqlServerScripts() => [.. SchemaMigrator.ScriptNames(DatabaseProvider.SqlServer)];

    [Theory]
    [MemberData(nameof(SqlServerScripts))]
    public void Every_SQL_Server_script_parses_as_T_SQL(string script)
    {
        var errors = SqlServerSchemaModel.Parse(SchemaMigrator.ReadScript(script));

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"{script}({e.Line},{e.Column}): {e.Message}")));
    }

    [Fact]
    public void The_parser_check_rejects_PostgreSQL_only_syntax()
    {
        // Guards the guard: a PostgreSQL script must not pass as T-SQL.
        var errors = SqlServerSchemaModel.Parse(SchemaMigrator.ReadScript(SchemaMigrator.ScriptNames(DatabaseProvider.Postgres)[0]));

        Assert.NotEmpty(errors);
    }

    [Fact]
    public void Every_provider_has_the_same_numbered_scripts()
    {
        static IEnumerable<string> Names(DatabaseProvider p) => SchemaMigrator.ScriptNames(p).Select(Path.GetFileName)!;

        Assert.Equal(Names(DatabaseProvider.Sqlite), Names(DatabaseProvider.SqlServer));
        Assert.Equal(Names(DatabaseProvider.Sqlite), Names(DatabaseProvider.Postgres));
        Assert.All(Names(DatabaseProvider.Sqlite), n => Assert.Matches(@"^\d{4}_[a-z0-9_]+\.sql$", n));
    }
}

/// <summary>The three db/ folders define the same tables and columns.</summary>
public abstract class SchemaParityTests(DatabaseFixture fixture)
{
    [SkippableFact]
    public async Task The_migrated_schema_has_the_same_tables_and_columns_as_the_SQL_Server_scripts()
    {
        fixture.EnsureAvailable();
        await using var c = await fixture.Factory.OpenAsync();
        var sql = fixture.Provider switch
        {
            DatabaseProvider.Sqlite => $"""
                SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
                WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '{SchemaMigrator.JournalTable}'
                """,
            DatabaseProvider.Postgres => $"""
                SELECT table_name || '.' || column_name FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name <> '{SchemaMigrator.JournalTable}'
                """,
            _ => $"""
                SELECT t.name + '.' + c.name FROM sys.tables t JOIN sys.columns c ON c.object_id = t.object_id
                WHERE t.name <> '{SchemaMigrator.JournalTable}'
                """,
        };
        var live = new SortedSet<string>(await c.QueryAsync<string>(sql), StringComparer.Ordinal);
        var expected = SqlServerSchemaModel.Columns();

        Assert.True(expected.Count > 50);
        Assert.Equal(expected, live);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteSchemaParityTests(SqliteFixture fixture) : SchemaParityTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaParityTests(PostgresFixture fixture) : SchemaParityTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerSchemaParityTests(SqlServerFixture fixture) : SchemaParityTests(fixture);
