using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Data;
using TIBS.Cases.Web.Infrastructure.Jobs;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Two hosts in one process (tests, a worker beside the web app) each keep their own job storage and job activator.
/// Hangfire's defaults are process-wide: a host that was configured first but resolved its storage after a second
/// host had started got the second host's, and lost it (disposed) when that host stopped; the jobs dashboard then
/// answered 500.
/// </summary>
public sealed class JobStoragePerHostTests
{
    private static ServiceProvider Host()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ConnectionFactory(DatabaseProvider.Sqlite, "Data Source=:memory:"));
        services.AddTibsJobs(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void A_host_configured_before_another_started_keeps_its_own_storage_after_that_host_stops()
    {
        using var first = Host();
        first.GetRequiredService<IGlobalConfiguration>(); // configured, as at the start of its startup

        JobStorage secondStorage;
        using (var second = Host())
        {
            secondStorage = second.GetRequiredService<JobStorage>();
            Assert.NotNull(second.GetRequiredService<IBackgroundJobClient>());
        }

        var firstStorage = first.GetRequiredService<JobStorage>();
        Assert.NotSame(secondStorage, firstStorage);

        // Its jobs are made from its own services, not from the stopped host's.
        using (var scope = first.GetRequiredService<JobActivator>().BeginScope((JobActivatorContext)null!))
        {
            Assert.Same(first.GetRequiredService<ConnectionFactory>(), scope.Resolve(typeof(ConnectionFactory)));
        }

        // The stopped host's storage is gone; the first host's still answers.
        var id = first.GetRequiredService<IBackgroundJobClient>().Enqueue(() => Console.WriteLine("queued"));
        using var connection = firstStorage.GetConnection();
        Assert.Equal("Enqueued", connection.GetStateData(id)?.Name);
    }
}
