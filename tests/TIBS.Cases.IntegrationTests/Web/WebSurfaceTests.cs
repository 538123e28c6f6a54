using TIBS.Cases.Testing;
using TIBS.Cases.Web;
using TIBS.Cases.Web.Pages.Account;
using TIBS.Cases.Web.Pages.Cases;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Web is the product's outermost part: nothing else builds on it, so its page models, endpoints, jobs and helpers
/// are internal. Public are only what a framework finds by reflection among public types or what the hosted tests
/// must name in a public signature. A new public type fails this test until it is listed here with its reason, or
/// made internal.
/// </summary>
public sealed class WebSurfaceTests
{
    private static readonly Dictionary<Type, string> Public = new()
    {
        [typeof(Program)] = "the entry point WebApplicationFactory<Program> starts in the hosted tests, whose factory is public",
        [typeof(AccessTokensViewComponent)] = "MVC discovers view components among public types only",
        [typeof(AuditPanelViewComponent)] = "MVC discovers view components among public types only",
        [typeof(MyTrainingViewComponent)] = "MVC discovers view components among public types only",
        [typeof(AccessTokenForm)] = "a parameter of the public AccessTokensViewComponent's InvokeAsync",
        [typeof(FindingForm)] = "a parameter of the public AuditPanelViewComponent's InvokeAsync",
    };

    [Fact]
    public void Only_what_a_framework_or_the_test_host_needs_is_public() =>
        PublicSurface.AssertListed(typeof(Program).Assembly, Public);
}
