using System.Net.Http.Headers;
using System.Text;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>
/// Requests the endpoints cannot bind — a parameter of the wrong kind, a body that is not JSON or has a field of the
/// wrong type — are answered with a problem that names the parameter or field and says what it must be. Binding
/// happens before any database work, so one database is enough.
/// </summary>
[Collection(SqliteCollection.Name)]
public sealed class ApiBindingErrorTests(SqliteFixture fixture)
{
    private const string Broker = "broker.lv008@tibs.example";

    private async Task<(TibsWebFactory Factory, HttpClient Client)> StartAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var factory = TibsWebFactory.For(fixture);
        return (factory, factory.ApiClient(await factory.TokenAsync(Broker)));
    }

    private static StringContent RawJson(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    [SkippableFact]
    public async Task A_query_parameter_of_the_wrong_kind_is_named_with_what_it_must_be()
    {
        var (factory, client) = await StartAsync();
        using (factory)
        {
            var problem = await (await client.GetAsync("/api/v1/cases?limit=99999999999999")).ProblemAsync(400);
            Assert.Equal("'limit' must be a whole number; \"99999999999999\" is not.", problem.GetProperty("detail").GetString());

            problem = await (await client.GetAsync("/api/v1/cases?limit=ten")).ProblemAsync(400);
            Assert.Equal("'limit' must be a whole number; \"ten\" is not.", problem.GetProperty("detail").GetString());
        }
    }

    [SkippableFact]
    public async Task A_body_that_is_not_json_says_where_it_breaks()
    {
        var (factory, client) = await StartAsync();
        using (factory)
        {
            var problem = await (await client.PostAsync("/api/v1/cases", RawJson("{\"leadCompanyId\": "))).ProblemAsync(400);
            Assert.Matches(@"^The body is not valid JSON \(line 1, position \d+\)\.$", problem.GetProperty("detail").GetString());
        }
    }

    [SkippableFact]
    public async Task A_body_field_of_the_wrong_type_is_named_with_what_it_must_be_and_nothing_is_opened()
    {
        var (factory, client) = await StartAsync();
        using (factory)
        {
            var problem = await (await client.PostAsync("/api/v1/cases", RawJson("{\"leadCompanyId\": 5, \"title\": \"Joint strategy\"}"))).ProblemAsync(400);
            Assert.Equal("'leadCompanyId' must be an identifier such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301.", problem.GetProperty("detail").GetString());

            problem = await (await client.PostAsync("/api/v1/cases", RawJson("{\"leadCompanyId\": \"not-a-guid\", \"title\": [\"x\"]}"))).ProblemAsync(400);
            Assert.StartsWith("'leadCompanyId' must be an identifier", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

            var list = await (await client.GetAsync("/api/v1/cases")).JsonAsync();
            Assert.Empty(list.GetProperty("items").EnumerateArray());
        }
    }

    [SkippableFact]
    public async Task A_body_of_the_wrong_shape_or_nested_too_deeply_is_refused_in_words()
    {
        var (factory, client) = await StartAsync();
        using (factory)
        {
            var deep = new string('[', 5000) + new string(']', 5000);
            var problem = await (await client.PostAsync("/api/v1/cases", RawJson(deep))).ProblemAsync(400);
            Assert.Equal("The body must be a JSON object of the documented shape.", problem.GetProperty("detail").GetString());

            var nested = "{\"title\": " + new string('[', 5000) + new string(']', 5000) + "}";
            problem = await (await client.PostAsync("/api/v1/cases", RawJson(nested))).ProblemAsync(400);
            Assert.Equal("The JSON body is nested too deeply.", problem.GetProperty("detail").GetString());
        }
    }

    [SkippableFact]
    public async Task An_upload_sent_as_json_or_without_a_body_is_told_to_send_multipart_form_data()
    {
        var (factory, client) = await StartAsync();
        using (factory)
        {
            var asJson = await client.PostAsync("/api/v1/companies/imports", RawJson("{}"));
            var problem = await asJson.ProblemAsync((int)asJson.StatusCode);
            Assert.Contains("multipart/form-data", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

            var empty = await client.PostAsync("/api/v1/companies/imports", null);
            problem = await empty.ProblemAsync((int)empty.StatusCode);
            Assert.Contains("multipart/form-data", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.True(problem.GetProperty("status").GetInt32() is 400 or 415, problem.GetRawText());
        }
    }
}
