using System.Net;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Every page route has an access rule in this table, and the running application enforces it for every role.
/// A new page without a row here fails <see cref="Every_page_route_has_an_access_rule"/>.
/// </summary>
public sealed class RouteAccessTests : IClassFixture<RouteAccessTests.App>
{
    private readonly App app;

    public RouteAccessTests(App app) => this.app = app;

    public sealed class App : IDisposable
    {
        public TibsWebFactory Factory { get; } = TibsWebFactory.ForNewSqliteDatabase();

        public void Dispose() => Factory.Dispose();
    }

    private const string Anonymous = "anonymous";
    private static readonly string[] Everyone = ["broker", "coordinator", "evaluator", "administrator"];

    /// <summary>Route pattern → the roles that get past the page's policy (anonymous: no sign-in needed).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Rules = new Dictionary<string, string[]>
    {
        ["/"] = [Anonymous, .. Everyone],
        ["/Error"] = [Anonymous, .. Everyone],
        ["/account/sign-in"] = [Anonymous, .. Everyone],
        ["/account/sign-out"] = [Anonymous, .. Everyone],
        ["/language"] = [Anonymous, .. Everyone], // the language switch: GET sends back to the page (or home)
        ["/account/access-denied"] = [], // the refusal itself: it answers 403 to everyone, in words
        ["/cases"] = ["broker", "coordinator", "evaluator"],
        ["/cases/new"] = ["broker"],
        ["/cases/{id:guid}"] = ["broker", "coordinator", "evaluator"],
        ["/cases/{id:guid}/partners"] = ["broker", "coordinator", "evaluator"],
        ["/cases/{id:guid}/dossier"] = ["broker", "coordinator", "evaluator"],
        ["/companies"] = ["broker", "coordinator"],
        ["/companies/new"] = ["broker", "coordinator"],
        ["/companies/import"] = ["broker", "coordinator"],
        ["/companies/{id:guid}"] = ["broker", "coordinator"],
        ["/companies/{id:guid}/edit"] = ["broker", "coordinator"],
        ["/companies/{id:guid}/merge"] = ["coordinator"], // brokers pass the folder's policy and the page refuses them: only coordinators merge
        ["/work"] = ["broker"],
        ["/coordination"] = ["coordinator"],
        ["/coordination/organisations"] = ["coordinator", "administrator"],
        ["/coordination/organisations/add"] = ["coordinator", "administrator"],
        ["/coordination/organisations/{id:guid}"] = ["coordinator", "administrator"],
        ["/coordination/training"] = ["coordinator", "administrator"],
        ["/coordination/training/modules/{id}"] = ["coordinator", "administrator"],
        ["/coordination/training/brokers/{id:guid}"] = ["coordinator", "administrator"],
        ["/training/certificates/{id:guid}"] = Everyone, // signed-in users pass; the page serves only the broker's own or a coordinator's (else 404)
        ["/admin"] = ["administrator"],
        ["/admin/privacy"] = ["administrator"],
        ["/admin/privacy/retention"] = ["administrator"],
        ["/admin/backups"] = ["administrator"],
        ["/admin/users"] = ["administrator"],
        ["/admin/users/invite"] = ["administrator"],
        ["/admin/users/{id:guid}"] = ["administrator"],
        ["/admin/personal-data"] = ["administrator"],
        ["/admin/personal-data/contacts/{id:guid}/erase"] = ["administrator"], // an unknown contact person: 404 for administrators
        ["/audit/administration-log"] = ["evaluator", "administrator"],
        ["/account/set-password"] = [Anonymous, .. Everyone],
        ["/account/two-step"] = [Anonymous, .. Everyone], // the second step of sign-in: without a pending sign-in it sends to sign-in
        ["/account/two-step/set-up"] = [Anonymous, .. Everyone], // enrolment a role requires, before any session: the same
        ["/account/single-sign-on"] = [Anonymous, .. Everyone], // starts sign-in with the provider (404 when single sign-on is off)
        ["/notifications"] = Everyone,
        ["/definitions"] = ["coordinator"],
        ["/definitions/{key}/v{number}"] = ["coordinator"],
        ["/definitions/{key}/draft"] = ["coordinator"],
        ["/definitions/{key}/draft/steps/{stepKey}"] = ["coordinator"],
        ["/definitions/{key}/migrate"] = ["coordinator"],
        ["/definitions/{key}/v{number}/try"] = ["coordinator"],

        ["/definitions/{key}/compare"] = ["coordinator"],
        ["/audit/verify"] = ["coordinator", "evaluator", "administrator"],
        ["/audit"] = ["coordinator", "evaluator"],
        ["/cases/{id:guid}/findings"] = ["broker", "coordinator", "evaluator"],
        ["/indicators"] = ["coordinator", "evaluator"],
        ["/indicators/cases"] = ["coordinator", "evaluator"],
        ["/indicators/time-in-step"] = ["coordinator", "evaluator"],
        ["/account/preferences"] = [Anonymous, .. Everyone], // an /account page: anonymous visitors are sent to sign-in by the page
        ["/account/profile"] = [Anonymous, .. Everyone], // an /account page: anonymous visitors are sent to sign-in by the page
        ["/health/live"] = [Anonymous, .. Everyone], // liveness and readiness: the status for everyone, details for administrators
        ["/health/ready"] = [Anonymous, .. Everyone],
        ["/metrics"] = ["administrator"], // the Prometheus scrape: administrators (or a token, or its own port: decision 0054)
    };

    /// <summary>Routes in <see cref="Rules"/> that are endpoints for machines (health statuses, the metrics scrape), not Razor pages.</summary>
    public static readonly IReadOnlySet<string> NotPages = new HashSet<string>(StringComparer.Ordinal) { "/health/live", "/health/ready", "/metrics" };

    private IReadOnlyList<string> PageRoutes() =>
        [.. app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null || e.Metadata.Any(m => m.GetType().Name.Contains("PageActionDescriptor", StringComparison.Ordinal)))
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Distinct()];

    [Fact]
    public void Every_page_route_has_an_access_rule()
    {
        _ = app.Factory.CreateClient();
        var routes = PageRoutes().Where(r => r != "/Index").ToList();

        Assert.NotEmpty(routes);
        var missing = routes.Where(r => !Rules.ContainsKey(r)).ToList();
        Assert.True(missing.Count == 0, "Pages without an access rule in RouteAccessTests.Rules: " + string.Join(", ", missing));
    }

    public static TheoryData<string, string> RouteAndRole()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Rules.Keys.Where(r => r is not "/account/sign-out"))
        {
            foreach (var role in (string[])[Anonymous, .. Everyone])
            {
                data.Add(route, role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RouteAndRole))]
    public async Task The_rule_holds_for_every_role(string route, string role)
    {
        var client = role == Anonymous
            ? app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false })
            : await SignedInAsync(role);
        var url = route.Replace("{id:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal);

        var response = await client.GetAsync(url);
        var refused = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
            || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/", StringComparison.Ordinal)
                && !route.StartsWith("/account/", StringComparison.Ordinal));

        Assert.True(Rules[route].Contains(role) != refused,
            $"{role} on {url}: {(int)response.StatusCode} {response.Headers.Location}; expected {(Rules[route].Contains(role) ? "allowed" : "refused")}");
    }

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var email = role switch
        {
            "broker" => "broker.pl84@tibs.example",
            "coordinator" => "coordinator@tibs.example",
            "evaluator" => "evaluator@tibs.example",
            _ => "admin@tibs.example",
        };
        var client = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetDocumentAsync("/account/sign-in");
        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }
}
