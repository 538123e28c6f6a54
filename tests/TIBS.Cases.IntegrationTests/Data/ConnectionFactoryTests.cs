using Npgsql;
using TIBS.Cases.Data;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>What the connection factory makes of the connection strings operators configure.</summary>
public sealed class ConnectionFactoryTests
{
    [Fact]
    public void PostgreSQL_connections_keep_repeated_statements_prepared_by_default()
    {
        var factory = new ConnectionFactory(DatabaseProvider.Postgres, "Host=db;Username=tibs;Password=secret;Database=tibs");

        var settings = new NpgsqlConnectionStringBuilder(factory.ConnectionString);
        Assert.Equal(64, settings.MaxAutoPrepare);
        Assert.Equal(2, settings.AutoPrepareMinUsages);
        Assert.Equal("db", settings.Host);
        Assert.Equal("secret", settings.Password);
        Assert.Equal("tibs", settings.Database);
    }

    [Theory]
    [InlineData("Host=db;Username=tibs;Password=secret;Database=tibs;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Username=tibs;Password=secret;Database=tibs;maxautoprepare=10", 10)]
    public void An_operators_own_preparation_setting_is_kept(string connectionString, int expected)
    {
        // Behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21) it must be 0.
        var factory = new ConnectionFactory(DatabaseProvider.Postgres, connectionString);

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(factory.ConnectionString).MaxAutoPrepare);
    }
}
