using System.Net;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.IntegrationTests.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Web.Infrastructure.Jobs;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>
/// A check-in recorded through the API in its window; Idempotency-Key sent twice at once; keys kept for a day and then
/// removed by the recurring job; on each database.
/// </summary>
public abstract class ApiFollowUpAndRetryTests(DatabaseFixture fixture)
{
    private const string Latvian = "broker.lv008@tibs.example";
    private const string Coordinator = "coordinator@tibs.example";
    private const string Hamburg = "broker.de60@tibs.example";

    private static HttpRequestMessage Post(string url, object body, string? ifMatch = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = ApiClients.Json(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    private static async Task<Actor> ActorAsync(TibsWebFactory factory, string email)
    {
        var user = await factory.UserAsync(email);
        return user.AsActor();
    }

    private static async Task<string> OpenCaseAsync(HttpClient client, string companyName)
    {
        var company = await (await client.PostAsync("/api/v1/companies", ApiClients.Json(CompanyHandlerTests.Valid(companyName)))).JsonAsync(201);
        var opened = await (await client.PostAsync("/api/v1/cases", ApiClients.Json(new { leadCompanyId = company.GetProperty("id").GetGuid() }))).JsonAsync(201);
        return $"/api/v1/cases/{opened.GetProperty("case").GetProperty("id").GetGuid()}";
    }

    [SkippableFact]
    public async Task A_check_in_is_recorded_through_the_api_in_its_window_with_if_match()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        using var factory = TibsWebFactory.For(fixture, services: s => s.AddSingleton<TimeProvider>(time));
        var companies = factory.Services.GetRequiredService<ICompanyStore>();
        async Task<Guid> CompanyAsync(string name) => (await companies.SearchAsync(new CompanySearch { Text = name })).Items.Single(c => c.Name == name).Id;
        var cases = new CaseCommands(factory.Services);
        var id = await FollowUpWalk.ToFollowUpAsync(cases, await CompanyAsync("Vidzeme Wood Solutions"), await CompanyAsync("Hamburg Maritime Analytics"),
            await ActorAsync(factory, Latvian), await ActorAsync(factory, Coordinator), await ActorAsync(factory, Hamburg));
        var details = (await cases.GetDetailsAsync(id))!;
        var checkIn = details.Plan.CheckInsFor(details.Case.CurrentStep).Single();
        Assert.Equal(WorkflowRole.Broker, checkIn.Role);
        var values = FormFiller.Fill(checkIn.Fields, details.Case.LeadCompanyId).Strings
            .ToDictionary(p => p.Key, p => p.Value.Count == 1 ? (object)p.Value[0] : p.Value, StringComparer.Ordinal);
        var url = $"/api/v1/cases/{id}";

        // Ten days before the first check-in is due, its window is open.
        time.Advance(TimeSpan.FromDays(80));
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var read = await client.GetAsync(url);
        var etag = read.Headers.ETag!.Tag;
        Assert.Empty((await read.JsonAsync()).GetProperty("checkIns").EnumerateArray());

        var recorded = await client.SendAsync(Post($"{url}/check-ins", new { checkIn = checkIn.Key, occurrence = 1, values }, etag));
        var body = await recorded.JsonAsync();
        Assert.NotEqual(etag, recorded.Headers.ETag!.Tag);
        Assert.Equal(body.GetProperty("case").GetProperty("version").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), recorded.Headers.ETag.Tag.Trim('"'));
        var stored = Assert.Single((await (await client.GetAsync(url)).JsonAsync()).GetProperty("checkIns").EnumerateArray());
        Assert.Equal((checkIn.Key, 1), (stored.GetProperty("checkInKey").GetString(), stored.GetProperty("occurrence").GetInt32()));
        Assert.Equal(time.GetUtcNow(), stored.GetProperty("recordedAt").GetDateTimeOffset());

        await (await client.SendAsync(Post($"{url}/check-ins", new { checkIn = checkIn.Key, occurrence = 2, values }, etag))).ProblemAsync(412);
        var missing = await (await client.SendAsync(Post($"{url}/check-ins", new { values }, recorded.Headers.ETag.Tag))).ProblemAsync(422);
        Assert.True(missing.GetProperty("errors").TryGetProperty("checkIn", out _) && missing.GetProperty("errors").TryGetProperty("occurrence", out _));
        Assert.Single((await (await client.GetAsync(url)).JsonAsync()).GetProperty("checkIns").EnumerateArray());
    }

    [SkippableFact]
    public async Task The_same_idempotency_key_sent_four_times_at_once_adds_one_note_and_every_other_answer_is_the_first_or_in_progress()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var url = await OpenCaseAsync(client, "Rūjiena Dairy Cooperative");

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            client.SendAsync(Post($"{url}/notes", new { body = "Sent once, retried by an impatient client." }, idempotencyKey: "note-once"))));

        var notes = (await (await client.GetAsync(url)).JsonAsync()).GetProperty("notes").EnumerateArray().ToList();
        Assert.Single(notes);
        var done = answers.Where(a => a.StatusCode == HttpStatusCode.OK).ToList();
        Assert.NotEmpty(done);
        Assert.Single(done, a => !a.Headers.Contains("Idempotent-Replayed"));
        var bodies = await Task.WhenAll(done.Select(a => a.Content.ReadAsStringAsync()));
        Assert.All(bodies, b => Assert.Equal(bodies[0], b));
        foreach (var busy in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
        {
            var problem = await busy.ProblemAsync(409);
            Assert.Contains("still being processed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task Idempotency_keys_are_kept_for_a_day_and_then_removed_by_the_recurring_job_so_a_retry_runs_again()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var url = await OpenCaseAsync(client, "Alūksne Honey Works");
        var note = new { body = "Recorded once a day at most." };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post($"{url}/notes", note, idempotencyKey: "expired-key"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post($"{url}/notes", note, idempotencyKey: "fresh-key"))).StatusCode);
        var user = await factory.UserAsync(Latvian);
        await fixture.ExecuteAsync("UPDATE idempotency_keys SET created_at = @at WHERE user_id = @user AND idempotency_key = 'expired-key'",
            new { at = DateTimeOffset.UtcNow.AddHours(-25), user = user.Id });
        await fixture.ExecuteAsync("UPDATE idempotency_keys SET created_at = @at WHERE user_id = @user AND idempotency_key = 'fresh-key'",
            new { at = DateTimeOffset.UtcNow.AddHours(-23), user = user.Id });

        using (var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var recurring = connection.GetRecurringJobs();
            Assert.Contains(recurring, j => j.Id == IdempotencyKeySweepJob.JobId && j.Cron == Cron.Hourly());
            Assert.Contains(recurring, j => j.Id == AttachmentSweepJob.JobId && j.Cron == Cron.Hourly());
        }

        await factory.Services.GetRequiredService<IdempotencyKeySweepJob>().RunAsync(CancellationToken.None);

        var keys = await fixture.ScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys WHERE user_id = @user AND idempotency_key = 'expired-key'", new { user = user.Id });
        Assert.Equal(0, keys);
        var fresh = await client.SendAsync(Post($"{url}/notes", note, idempotencyKey: "fresh-key"));
        Assert.Equal("true", fresh.Headers.GetValues("Idempotent-Replayed").Single());
        var expired = await client.SendAsync(Post($"{url}/notes", note, idempotencyKey: "expired-key"));
        Assert.Equal(HttpStatusCode.OK, expired.StatusCode);
        Assert.False(expired.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(3, (await (await client.GetAsync(url)).JsonAsync()).GetProperty("notes").GetArrayLength());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteApiFollowUpAndRetryTests(SqliteFixture fixture) : ApiFollowUpAndRetryTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiFollowUpAndRetryTests(PostgresFixture fixture) : ApiFollowUpAndRetryTests(fixture);
