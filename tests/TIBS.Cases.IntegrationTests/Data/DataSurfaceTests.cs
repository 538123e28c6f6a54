using TIBS.Cases.Data;
using TIBS.Cases.Data.Audit;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.Data.Stores;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// The data layer shows the host only what it starts and configures: its registration, its options, the connection
/// factory and migrator the host runs at start-up, and the few pieces the audit command line and start-up build
/// themselves. Stores, queries, SQL, dialects and type handlers are internal; a new public type must be added here
/// with its reason, or made internal.
/// </summary>
public sealed class DataSurfaceTests
{
    private static readonly Dictionary<Type, string> Public = new()
    {
        [typeof(ServiceCollectionExtensions)] = "AddTibsData, the registration",
        [typeof(DatabaseOptions)] = "the Database section of the settings",
        [typeof(DatabaseProvider)] = "which database the settings name",
        [typeof(IDbConnectionFactory)] = "the host's own SQL (data protection keys, Hangfire's storage) opens connections",
        [typeof(ConnectionFactory)] = "the host installs the job storage and checks health on it",
        [typeof(ISqlDialect)] = "part of IDbConnectionFactory",
        [typeof(SchemaMigrator)] = "the host migrates at start-up and reports the schema in its health check",
        [typeof(MigrationReport)] = "what SchemaMigrator returns",
        [typeof(DatabaseStartupException)] = "what SchemaMigrator throws; the host prints it",
        [typeof(SchemaInspector)] = "db status and the health checks read where the schema stands without changing it",
        [typeof(SchemaStatus)] = "what SchemaInspector returns: applied, pending and unknown scripts",
        [typeof(AppliedScript)] = "a journal row of SchemaStatus",
        [typeof(AuditLedger)] = "the audit command line builds it over a chosen database",
        [typeof(AnchorFolderLog)] = "the audit command line builds it over a chosen folder",
        [typeof(ReferenceTaxonomyLookup)] = "the host loads the taxonomies at start-up",
    };

    [Fact]
    public void Every_public_type_of_the_data_layer_is_in_the_short_list_with_its_reason()
    {
        var exported = typeof(IDbConnectionFactory).Assembly.GetExportedTypes();
        var unlisted = exported.Where(t => !Public.ContainsKey(t)).Select(t => t.FullName).Order(StringComparer.Ordinal).ToList();

        Assert.True(unlisted.Count == 0, "Make these internal, or list them with the reason the host needs them: " + string.Join(", ", unlisted));
        Assert.All(Public.Keys, t => Assert.True(t.IsPublic, $"{t.FullName} is listed but no longer public; take it off the list."));
    }

    [Fact]
    public void The_stores_and_queries_are_internal()
    {
        var data = typeof(IDbConnectionFactory).Assembly;

        Assert.False(typeof(CaseStore).IsPublic);
        Assert.Contains(data.GetTypes(), t => t.Name.EndsWith("Store", StringComparison.Ordinal) && !t.IsInterface);
        Assert.DoesNotContain(data.GetExportedTypes(), t => t.Name.EndsWith("Store", StringComparison.Ordinal) || t.Name.EndsWith("Queries", StringComparison.Ordinal) || t.Name.EndsWith("Dialect", StringComparison.Ordinal) && !t.IsInterface);
    }
}
