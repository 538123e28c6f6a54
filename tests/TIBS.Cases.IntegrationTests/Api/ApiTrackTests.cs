using System.Net;
using TIBS.Cases.IntegrationTests.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>Partner tracks through the API: listed with the outcomes the caller may take, moved with the track's own ETag.</summary>
public abstract class ApiTrackTests(DatabaseFixture fixture)
{
    [SkippableFact]
    public async Task A_partner_broker_lists_the_tracks_and_takes_an_outcome_with_the_tracks_version_as_ETag()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var caseId = await TrackCases.StartAsync(factory, fixture);
        var client = factory.ApiClient(await factory.TokenAsync(TrackCases.Hamburg));

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
