using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Tests;

/// <summary>Every use case of the domain is reachable from every door through the one registration of Core.</summary>
public sealed class CoreRegistrationTests
{
    private static readonly Assembly Core = typeof(CompleteStep).Assembly;

    /// <summary>Classes of Core that handle a use case: they have a public <c>HandleAsync</c>.</summary>
    public static TheoryData<string> Handlers() =>
    [
        .. Core.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && t.GetMethod("HandleAsync", BindingFlags.Public | BindingFlags.Instance) is not null)
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(Handlers))]
    public void Each_handler_is_registered_by_AddTibsCore(string handler)
    {
        var services = new ServiceCollection().AddTibsCore();

        Assert.Contains(services, d => d.ServiceType.FullName == handler);
    }

    [Fact]
    public void There_are_handlers_to_register()
    {
        Assert.True(Handlers().Count >= 5, "Core's use cases are expected to be handler classes with a HandleAsync method.");
    }

    [Fact]
    public void Core_depends_on_no_web_data_or_job_library()
    {
        var referenced = Core.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(referenced, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || n.StartsWith("Dapper", StringComparison.Ordinal) || n.StartsWith("Hangfire", StringComparison.Ordinal)
            || n.StartsWith("Npgsql", StringComparison.Ordinal) || n.StartsWith("Microsoft.Data", StringComparison.Ordinal)
            || n.StartsWith("TIBS.Cases.Data", StringComparison.Ordinal) || n.StartsWith("TIBS.Cases.Web", StringComparison.Ordinal));
    }
}
