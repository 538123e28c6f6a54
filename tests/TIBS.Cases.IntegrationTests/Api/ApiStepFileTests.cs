using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.IntegrationTests.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>
/// Files through the API with the case page's limits: a step with a file field completed as multipart/form-data, and
/// attachments larger than a plain form may be; on each database.
/// </summary>
public abstract class ApiStepFileTests(DatabaseFixture fixture)
{
    private const string Latvian = "broker.lv008@tibs.example";
    private const int MaxFileBytes = 3 * 1024 * 1024;

    /// <summary>A definition whose first step asks for a proof file.</summary>
    private const string Definition = """
        key: proof-first
        name: Proof first
        version: 1
        stages:
          - key: work
            name: Work
            steps:
              - key: first
                name: First
                role: broker
                form:
                  - { key: decision, label: Decision, type: choice, required: true, options: [go, stop] }
                  - { key: proof, label: Proof, type: file, required: true }
                outcomes:
                  - key: go
                    label: Go on
                    to: done
                    conditions:
                      - form-complete
        end-states:
          - key: done
            name: Done
            kind: success
        """;

    private static HttpRequestMessage Post(string url, HttpContent content, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static MultipartFormDataContent Form(params (string Part, string FileName, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("go"), "outcome" },
            { new StringContent("""{"decision":"go"}"""), "values" },
        };
        foreach (var (part, fileName, content) in files)
        {
            form.Add(new ByteArrayContent(content), part, fileName);
        }

        return form;
    }

    private static byte[] Text(int bytes) => Encoding.ASCII.GetBytes(new string('a', bytes));

    [SkippableFact]
    public async Task A_step_with_a_file_field_is_completed_as_multipart_with_the_file_checked_by_the_page_limits()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture, new Dictionary<string, string?> { ["Attachments:MaxBytes"] = MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var folder = Path.Combine(Path.GetTempPath(), "tibs-tests", $"definitions_{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(folder, "proof-first"));
        await File.WriteAllTextAsync(Path.Combine(folder, "proof-first", "v1.yaml"), Definition);
        await factory.Services.GetRequiredService<WorkflowCatalog>().ImportFolderAsync(folder);
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var company = await (await client.PostAsync("/api/v1/companies", ApiClients.Json(CompanyHandlerTests.Valid("Cēsis Proof Works")))).JsonAsync(201);
        var opened = await (await client.PostAsync("/api/v1/cases", ApiClients.Json(new { leadCompanyId = company.GetProperty("id").GetGuid(), definitionKey = "proof-first" }))).JsonAsync(201);
        var url = $"/api/v1/cases/{opened.GetProperty("case").GetProperty("id").GetGuid()}";
        var complete = $"{url}/steps/current/complete";

        var withoutFile = await (await client.SendAsync(Post(complete, Form(), "\"1\""))).ProblemAsync(422);
        Assert.Equal("Proof is required.", withoutFile.GetProperty("errors").GetProperty("proof")[0].GetString());
        var strayFile = await (await client.SendAsync(Post(complete, Form(("decision", "proof.txt", Text(10))), "\"1\""))).ProblemAsync(422);
        Assert.True(strayFile.GetProperty("errors").TryGetProperty("decision", out _));
        await (await client.SendAsync(Post(complete, Form(("proof", "tool.exe", Text(10))), "\"1\""))).ProblemAsync(415);
        await (await client.SendAsync(Post(complete, Form(("proof", "proof.txt", Text(MaxFileBytes + 1))), "\"1\""))).ProblemAsync(413);
        var badValues = new MultipartFormDataContent { { new StringContent("go"), "outcome" }, { new StringContent("[1,2]"), "values" } };
        Assert.True((await (await client.SendAsync(Post(complete, badValues, "\"1\""))).ProblemAsync(422)).GetProperty("errors").TryGetProperty("values", out _));
        Assert.Empty((await (await client.GetAsync($"{url}/attachments")).JsonAsync()).EnumerateArray());

        // Larger than a plain form may be (2 MB), within the attachment limit: taken, as on the case page.
        var done = await client.SendAsync(Post(complete, Form(("proof", "signed proof.txt", Text(MaxFileBytes - 1024))), "\"1\""));
        Assert.Equal("closed", (await done.JsonAsync()).GetProperty("case").GetProperty("status").GetString());
        var attachment = Assert.Single((await (await client.GetAsync($"{url}/attachments")).JsonAsync()).EnumerateArray());
        Assert.Equal("signed proof.txt", attachment.GetProperty("fileName").GetString());
        var view = await (await client.GetAsync(url)).JsonAsync();
        var step = Assert.Single(view.GetProperty("steps").EnumerateArray());
        Assert.Contains(attachment.GetProperty("id").GetGuid().ToString(), step.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_attachment_larger_than_a_plain_form_is_taken_up_to_the_attachment_limit_as_on_the_case_page()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture, new Dictionary<string, string?> { ["Attachments:MaxBytes"] = MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var company = await (await client.PostAsync("/api/v1/companies", ApiClients.Json(CompanyHandlerTests.Valid("Līgatne Paper Mill")))).JsonAsync(201);
        var opened = await (await client.PostAsync("/api/v1/cases", ApiClients.Json(new { leadCompanyId = company.GetProperty("id").GetGuid() }))).JsonAsync(201);
        var url = $"/api/v1/cases/{opened.GetProperty("case").GetProperty("id").GetGuid()}/attachments";

        await (await client.SendAsync(Post(url, new MultipartFormDataContent { { new ByteArrayContent(Text(MaxFileBytes + 1)), "file", "minutes.txt" } }, "\"1\""))).ProblemAsync(413);
        var attached = await client.SendAsync(Post(url, new MultipartFormDataContent { { new ByteArrayContent(Text(MaxFileBytes - 1024)), "file", "minutes.txt" } }, "\"1\""));
        Assert.Equal("minutes.txt attached.", (await attached.JsonAsync()).GetProperty("message").GetString());
        Assert.Equal(MaxFileBytes - 1024, Assert.Single((await (await client.GetAsync(url)).JsonAsync()).EnumerateArray()).GetProperty("sizeBytes").GetInt64());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteApiStepFileTests(SqliteFixture fixture) : ApiStepFileTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiStepFileTests(PostgresFixture fixture) : ApiStepFileTests(fixture);
