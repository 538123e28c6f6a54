using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.IntegrationTests.Api;
using TIBS.Cases.IntegrationTests.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.IntegrationTests.Web;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.IntegrationTests.Audits;

/// <summary>
/// Audits through both doors: the evaluators' home and the case pages (forms followed as a browser would) and the
/// API, with the access matrix — evaluators start audits and record findings, the region's broker answers, a broker of
/// another region sees nothing, brokers cannot start audits nor see the evaluators' home.
/// </summary>
public abstract class AuditPagesAndApiTests(DatabaseFixture fixture)
{
    private const string Latvian = "broker.lv008@tibs.example";
    private const string Hamburg = "broker.de60@tibs.example";
    private const string Evaluator = "evaluator@tibs.example";

    private static HttpRequestMessage Post(string url, object? body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : ApiClients.Json(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    /// <summary>A strategy of a new Latvian company, opened and withdrawn through the API: a completed strategy.</summary>
    private static async Task<(Guid Id, string Reference)> CompletedStrategyAsync(HttpClient broker, string companyName)
    {
        var company = await (await broker.PostAsync("/api/v1/companies", ApiClients.Json(CompanyHandlerTests.Valid(companyName)))).JsonAsync(201);
        var opened = (await (await broker.PostAsync("/api/v1/cases", ApiClients.Json(new { leadCompanyId = company.GetProperty("id").GetGuid() }))).JsonAsync(201)).GetProperty("case");
        var id = opened.GetProperty("id").GetGuid();
        await (await broker.SendAsync(Post($"/api/v1/cases/{id}/actions/withdraw", new { reason = "The company stopped its plans." }, "\"1\""))).JsonAsync();
        return (id, opened.GetProperty("reference").GetString()!);
    }

    private static async Task CompleteAsync(TibsWebFactory factory, Guid caseId, string outcome, string email, params (string Key, string Value)[] values)
    {
        var actor = (await factory.UserAsync(email)).AsActor();
        var details = await factory.Services.GetRequiredService<CaseReader>().GetDetailsAsync(caseId);
        var result = await factory.Services.GetRequiredService<CompleteStep>().HandleAsync(
            new CompleteStep.Request(caseId, details!.Case.Version, outcome, FormInput.FromStrings(values.ToDictionary(v => v.Key, v => (string?)v.Value))), actor);
        Assert.True(result.Succeeded, result.Message);
    }

    [SkippableFact]
    public async Task An_evaluator_audits_a_strategy_through_the_pages_and_the_broker_of_its_region_answers_there()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var broker = factory.ApiClient(await factory.TokenAsync(Latvian));
        var (strategyId, strategyReference) = await CompletedStrategyAsync(broker, "Gauja Audit Modules");

        var evaluator = await CaseForms.SignedInAsync(factory, Evaluator);
        var home = await evaluator.GetDocumentAsync("/audit?audited=no&region=LV008");
        Assert.Equal("Audits", home.QuerySelector("h1")!.TextContent.Trim());
        Assert.NotNull(home.QuerySelector($"#strategies tr[data-case='{strategyId}']"));
        var started = await evaluator.SubmitAsync(home, "/audit", new Dictionary<string, string>(), $"#strategies tr[data-case='{strategyId}'] form");
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var auditPath = started.RequestMessage!.RequestUri!.AbsolutePath;
        var auditId = Guid.Parse(auditPath["/cases/".Length..]);
        var auditPage = await HtmlForms.ParseAsync(started);
        Assert.Contains(strategyReference, auditPage.QuerySelector("#findings")!.TextContent, StringComparison.Ordinal);

        await CompleteAsync(factory, auditId, "start-review", Evaluator);
        await CompleteAsync(factory, auditId, "reviewed", Evaluator,
            ("agreement-signed-by-two-countries", "no"), ("evidence-attached", "yes"), ("check-ins-in-window", "yes"), ("indicators-plausible", "yes"));
        var atFindings = await evaluator.GetDocumentAsync(auditPath);
        var invalid = await evaluator.SubmitAsync(atFindings, auditPath, new Dictionary<string, string> { ["severity"] = "major", ["description"] = "Only Latvia signed." }, "#record-finding");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("Choose the step of the strategy the finding concerns.", (await HtmlForms.ParseAsync(invalid)).QuerySelector("#findings")!.TextContent, StringComparison.Ordinal);
        var recorded = await evaluator.SubmitAsync(atFindings, auditPath,
            new Dictionary<string, string> { ["severity"] = "major", ["strategyStep"] = "signed-agreement", ["description"] = "Only Latvia signed the agreement." }, "#record-finding");
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        var finding = (await HtmlForms.ParseAsync(recorded)).QuerySelector("#finding-list li[data-finding='1']")!.TextContent;
        Assert.Contains("Major, about 'Signed agreement'", finding, StringComparison.Ordinal);
        await CompleteAsync(factory, auditId, "send-to-broker", Evaluator, ("result", "findings"));

        var latvian = await CaseForms.SignedInAsync(factory, Latvian);
        var atResponse = await latvian.GetDocumentAsync(auditPath);
        Assert.Null(atResponse.QuerySelector("#record-finding"));
        var answered = await latvian.SubmitAsync(atResponse, auditPath, new Dictionary<string, string> { ["response"] = "The Finnish partner's signature is attached now." },
            "#finding-list li[data-finding='1'] form");
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("The Finnish partner's signature is attached now.", (await HtmlForms.ParseAsync(answered)).QuerySelector("[data-answer='1']")!.TextContent, StringComparison.Ordinal);
        await CompleteAsync(factory, auditId, "answered", Latvian);
        await CompleteAsync(factory, auditId, "accept", Evaluator, ("conclusion", "accepted"));

        var strategyPage = await evaluator.GetDocumentAsync($"/cases/{strategyId}");
        Assert.Contains("Concluded: Accepted", strategyPage.QuerySelector($"#audit-list tr[data-audit='{auditId}']")!.TextContent, StringComparison.Ordinal);
        var concluded = await evaluator.GetDocumentAsync("/audit?conclusion=accepted");
        Assert.NotNull(concluded.QuerySelector($"#strategies tr[data-case='{strategyId}']"));

        // Others: the Hamburg broker does not see the audit; brokers have no evaluators' home.
        var hamburg = await CaseForms.SignedInAsync(factory, Hamburg);
        Assert.Equal(HttpStatusCode.NotFound, (await hamburg.GetAsync(auditPath)).StatusCode);
        Assert.Equal("/account/access-denied", (await latvian.GetAsync("/audit")).RequestMessage!.RequestUri!.AbsolutePath);
    }

    [SkippableFact]
    public async Task The_api_starts_an_audit_lists_the_audits_of_a_case_and_draws_a_sample_for_evaluators_only()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var broker = factory.ApiClient(await factory.TokenAsync(Latvian));
        var (first, firstReference) = await CompletedStrategyAsync(broker, "Valmiera Audit Textiles");
        var (second, secondReference) = await CompletedStrategyAsync(broker, "Cēsis Audit Glass");
        var evaluator = factory.ApiClient(await factory.TokenAsync(Evaluator));
        var hamburg = factory.ApiClient(await factory.TokenAsync(Hamburg));

        await (await broker.PostAsync($"/api/v1/cases/{first}/audits", null)).ProblemAsync(403);
        var started = await evaluator.PostAsync($"/api/v1/cases/{first}/audits", null);
        var audit = (await started.JsonAsync(201)).GetProperty("case");
        Assert.Equal($"Audit of {firstReference}", audit.GetProperty("title").GetString());
        Assert.Equal("selection", audit.GetProperty("currentStep").GetString());
        await (await evaluator.PostAsync($"/api/v1/cases/{first}/audits", null)).ProblemAsync(409);
        await (await evaluator.PostAsync($"/api/v1/cases/{Guid.NewGuid()}/audits", null)).ProblemAsync(404);

        var listed = Assert.Single((await (await evaluator.GetAsync($"/api/v1/cases/{first}/audits")).JsonAsync()).EnumerateArray());
        Assert.Equal(audit.GetProperty("id").GetGuid(), listed.GetProperty("id").GetGuid());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("conclusion").ValueKind);
        await (await hamburg.GetAsync($"/api/v1/cases/{audit.GetProperty("id").GetGuid()}/audits")).ProblemAsync(404);
        Assert.Empty((await (await broker.GetAsync($"/api/v1/cases/{second}/audits")).JsonAsync()).EnumerateArray());

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var sample = await evaluator.PostAsync("/api/v1/audits/samples", ApiClients.Json(new { region = "LV008", from = today.AddDays(-1), to = today.AddDays(1), size = 5, seed = 77 }));
        var drawn = await sample.JsonAsync(201);
        Assert.Equal(77, drawn.GetProperty("seed").GetInt64());
        var drawnIds = drawn.GetProperty("drawn").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(new[] { first, second }.Order(), drawnIds.Order());
        Assert.Equal($"Audit of {secondReference}", Assert.Single(drawn.GetProperty("started").EnumerateArray()).GetProperty("title").GetString());
        var again = await (await evaluator.PostAsync("/api/v1/audits/samples", ApiClients.Json(new { region = "LV008", from = today.AddDays(-1), to = today.AddDays(1), size = 5, seed = 77 }))).JsonAsync(201);
        Assert.Equal(drawnIds, again.GetProperty("drawn").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()));
        var invalid = await (await evaluator.PostAsync("/api/v1/audits/samples", ApiClients.Json(new { region = "LV008", size = 0 }))).ProblemAsync(422);
        Assert.Contains("size", invalid.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        await (await broker.PostAsync("/api/v1/audits/samples", ApiClients.Json(new { region = "LV008", from = today, to = today, size = 1 }))).ProblemAsync(403);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAuditPagesAndApiTests(SqliteFixture fixture) : AuditPagesAndApiTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditPagesAndApiTests(PostgresFixture fixture) : AuditPagesAndApiTests(fixture);
