using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.IntegrationTests.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>Partner tracks through the API: listed with the outcomes the caller may take, moved with the track's own ETag.</summary>
public abstract class ApiTrackTests(DatabaseFixture fixture)
{
    private const string Latvian = "broker.lv008@tibs.example";
    private const string Hamburg = "broker.de60@tibs.example";

    [SkippableFact]
    public async Task A_partner_broker_lists_the_tracks_and_takes_an_outcome_with_the_tracks_version_as_ETag()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var folder = Path.Combine(Path.GetTempPath(), "tibs-tests", "api-tracks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, TrackDefinition.Key));
        await File.WriteAllTextAsync(Path.Combine(folder, TrackDefinition.Key, "v1.yaml"), TrackDefinition.Yaml());
        await factory.Services.GetRequiredService<WorkflowCatalog>().ImportFolderAsync(folder);
        var commands = new CaseCommands(factory.Services);
        var broker = (await factory.UserAsync(Latvian)).AsActor();
        var lead = Guid.Parse(await fixture.ScalarAsync<string>("SELECT CAST(id AS VARCHAR(36)) FROM companies WHERE name = @name", new { name = "Vidzeme Wood Solutions" }));
        var partner = Guid.Parse(await fixture.ScalarAsync<string>("SELECT CAST(id AS VARCHAR(36)) FROM companies WHERE name = @name", new { name = "Hamburg Maritime Analytics" }));
        var opened = await commands.OpenCaseAsync(lead, null, broker, TrackDefinition.Key);
        var caseId = opened.Case!.Id;
        Assert.True((await commands.Shortlist.HandleAsync(new ShortlistPartner.Request(caseId, opened.Case.Version, partner), broker)).Succeeded);
        var version = (await commands.GetDetailsAsync(caseId))!.Case.Version;
        Assert.True((await commands.CompleteStepAsync(caseId, version, "ask-partners", FormInput.Empty, broker)).Succeeded);
        var client = factory.ApiClient(await factory.TokenAsync(Hamburg));

        var listed = await (await client.GetAsync($"/api/v1/cases/{caseId}/tracks")).JsonAsync();
        var track = listed.GetProperty("tracks").EnumerateArray().Single();
        var trackId = track.GetProperty("id").GetGuid();
        Assert.Equal("1 track: 1 contacted", listed.GetProperty("summary").GetString());
        Assert.Equal(("Contacted", "Open", 1), (track.GetProperty("stateName").GetString(), track.GetProperty("statusWords").GetString(), track.GetProperty("version").GetInt32()));
        Assert.Equal(["interested", "declined"], track.GetProperty("outcomes").EnumerateArray().Select(o => o.GetProperty("key").GetString()));

        var url = $"/api/v1/cases/{caseId}/tracks/{trackId}/outcomes";
        var withoutTag = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = ApiClients.Json(new { outcome = "interested" }) });
        var taken = await client.SendAsync(Post(url, new { outcome = "interested" }, "\"1\""));
        var stale = await client.SendAsync(Post(url, new { outcome = "declined" }, "\"1\""));

        Assert.Equal(HttpStatusCode.PreconditionRequired, withoutTag.StatusCode);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal("\"2\"", taken.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode); // a stale track version, as for a stale case version
        var after = await (await client.GetAsync($"/api/v1/cases/{caseId}/partners")).JsonAsync();
        Assert.Equal("interested", after.GetProperty("partners").EnumerateArray().Single().GetProperty("partner").GetProperty("pipelineStatus").GetString());
    }

    private static HttpRequestMessage Post(string url, object body, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = ApiClients.Json(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteApiTrackTests(SqliteFixture fixture) : ApiTrackTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiTrackTests(PostgresFixture fixture) : ApiTrackTests(fixture);
