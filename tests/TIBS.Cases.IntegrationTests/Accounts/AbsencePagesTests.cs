using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Dapper;
using TIBS.Cases.Core.Accounts.Tokens;
using TIBS.Cases.IntegrationTests.Api;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Accounts;

/// <summary>
/// Absences through the pages, on each database: Līga Bērziņa (LV008) records one on her profile with Kadri Tamm, who
/// also covers LV008, as deputy; Kadri's "My work" shows what waits for Līga and she opens the case; /api/v1/me tells
/// both; an administrator records an absence for Līga from her user page and it is in the log there.
/// </summary>
public abstract class AbsencePagesTests(DatabaseFixture fixture)
{
    private const string Liga = "broker.lv008@tibs.example";
    private const string Kadri = "broker.ee008@tibs.example";

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Words(DateOnly d) => d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A day as the English pages show it (the reader's culture's long date).</summary>
    private static string Shown(DateOnly d) => d.ToString("D", TIBS.Cases.Core.Localization.Languages.FormatCulture("en"));

    private async Task<(TibsWebFactory Factory, Guid LigaId, Guid KadriId, Guid AnnaId)> StartAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var factory = TibsWebFactory.For(fixture);
        factory.CreateClient().Dispose(); // the host starts and seeds the demo users
        await using var c = await fixture.Factory.OpenAsync();
        await c.ExecuteAsync("INSERT INTO user_regions (user_id, region_code) SELECT id, 'LV008' FROM users WHERE email = @email", new { email = Kadri });
        var ids = (await c.QueryAsync<(string Email, Guid Id)>("SELECT email AS Email, id AS Id FROM users")).ToDictionary(u => u.Email, u => u.Id);
        return (factory, ids[Liga], ids[Kadri], ids["broker.pl84@tibs.example"]);
    }

    private static async Task<(HttpResponseMessage Response, IHtmlDocument Page)> RecordAsync(HttpClient client, string url, DateOnly from, DateOnly to, Guid deputy)
    {
        var page = await client.GetDocumentAsync(url);
        var response = await client.SubmitAsync(page, url, new Dictionary<string, string> { ["StartsOn"] = Iso(from), ["EndsOn"] = Iso(to), ["DeputyUserId"] = deputy.ToString() }, "#absence-form");
        return (response, await HtmlForms.ParseAsync(response));
    }

    private static string? FieldError(IHtmlDocument page, string field) =>
        page.QuerySelector($"#absence-form span.field-error[data-valmsg-for='{field}']")?.TextContent.Trim();

    [SkippableFact]
    public async Task A_broker_records_an_absence_and_the_deputy_sees_and_opens_what_waits_for_her()
    {
        var (factory, _, kadriId, annaId) = await StartAsync();
        using var _factory = factory;
        var liga = await SignedInAsync(factory, Liga);
        var form = await liga.GetDocumentAsync("/cases/new");
        var company = form.QuerySelectorAll("#company option").First(o => o.TextContent == "Vidzeme Wood Solutions").GetAttribute("value")!;
        var opened = await liga.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = company, ["title"] = "" });
        var caseUrl = opened.RequestMessage!.RequestUri!.AbsolutePath;
        var reference = (await HtmlForms.ParseAsync(opened)).QuerySelector("h1")!.TextContent.Split(' ')[0];

        var profile = await liga.GetDocumentAsync("/account/profile");
        Assert.Equal("The deputy is an active innovation broker who covers at least one of Līga Bērziņa's regions (Vidzeme (LV008)).", profile.QuerySelector("#deputy-hint")!.TextContent.Trim());
        Assert.Equal(["Kadri Tamm (Lõuna-Eesti (South Estonia) (EE008), Vidzeme (LV008))"], profile.QuerySelectorAll("#DeputyUserId option").Skip(1).Select(o => o.TextContent.Trim()));
        Assert.Equal($"No absence recorded for you from today on.", profile.QuerySelector("#absences-none")!.TextContent.Trim());

        var (refusedResponse, refused) = await RecordAsync(liga, "/account/profile", Today.AddDays(1), Today.AddDays(10), annaId);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refusedResponse.StatusCode);
        Assert.Equal("Anna Kowalska covers none of Līga Bērziņa's regions (Vidzeme (LV008)): choose someone who covers at least one.", FieldError(refused, "DeputyUserId"));
        Assert.Equal(Iso(Today.AddDays(10)), refused.QuerySelector("#EndsOn")!.GetAttribute("value")); // what was typed is kept

        var (_, recorded) = await RecordAsync(liga, "/account/profile", Today, Today.AddDays(10), kadriId);
        Assert.Equal($"Absence recorded: Līga Bērziņa is away {Words(Today)} to {Words(Today.AddDays(10))}; Kadri Tamm deputises and receives Līga Bērziņa's reminders and escalations as well.",
            recorded.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Equal($"Away now until {Shown(Today.AddDays(10))}; Kadri Tamm deputises.", recorded.QuerySelector("#absence-current")!.TextContent.Trim());

        var kadri = await SignedInAsync(factory, Kadri);
        var work = await kadri.GetDocumentAsync("/work");
        var section = Assert.Single(work.QuerySelectorAll("section.deputising"));
        Assert.Equal($"Deputising for Līga Bērziņa until {Words(Today.AddDays(10))}", section.QuerySelector("h2")!.TextContent.Trim());
        var link = section.QuerySelectorAll("a").Single(a => a.TextContent.Trim() == reference);
        Assert.Equal(caseUrl, link.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, (await kadri.GetAsync(caseUrl)).StatusCode);
        var kadriProfile = await kadri.GetDocumentAsync("/account/profile");
        Assert.Equal($"You deputise for Līga Bērziņa, absent until {Shown(Today.AddDays(10))}.", kadriProfile.QuerySelector(".deputy-of")!.TextContent.Trim());

        using (var me = JsonDocument.Parse(await factory.ApiClient(await factory.TokenAsync(Liga, TokenScopes.Read)).GetStringAsync("/api/v1/me")))
        {
            Assert.Equal("Kadri Tamm", me.RootElement.GetProperty("absence").GetProperty("deputyName").GetString());
            Assert.Equal(Iso(Today.AddDays(10)), me.RootElement.GetProperty("absence").GetProperty("endsOn").GetString());
        }

        using (var me = JsonDocument.Parse(await factory.ApiClient(await factory.TokenAsync(Kadri, TokenScopes.Read)).GetStringAsync("/api/v1/me")))
        {
            Assert.Equal(JsonValueKind.Null, me.RootElement.GetProperty("absence").ValueKind);
            Assert.Equal("Līga Bērziņa", me.RootElement.GetProperty("deputyOf")[0].GetProperty("userName").GetString());
        }

        // Back early: it started today, so it is removed, and Kadri's My work no longer shows it.
        profile = await liga.GetDocumentAsync("/account/profile");
        var ended = await HtmlForms.ParseAsync(await liga.SubmitAsync(profile, "/account/profile", new Dictionary<string, string>(), "form.end-absence"));
        Assert.Equal($"The absence {Words(Today)} to {Words(Today.AddDays(10))} is deleted; Kadri Tamm does not deputise for Līga Bērziņa then.", ended.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Empty((await kadri.GetDocumentAsync("/work")).QuerySelectorAll("section.deputising"));
    }

    [SkippableFact]
    public async Task An_administrator_records_an_absence_for_a_user_from_the_user_page_and_the_log_shows_it()
    {
        var (factory, ligaId, kadriId, _) = await StartAsync();
        using var _factory = factory;
        var admin = await SignedInAsync(factory, "admin@tibs.example");
        var url = $"/admin/users/{ligaId}";

        var (pastResponse, past) = await RecordAsync(admin, url, Today.AddDays(-3), Today.AddDays(-1), kadriId);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, pastResponse.StatusCode);
        Assert.Equal($"The period {Words(Today.AddDays(-3))} to {Words(Today.AddDays(-1))} is in the past: an absence is recorded for today or later.", FieldError(past, "EndsOn"));

        var (_, recorded) = await RecordAsync(admin, url, Today, Today.AddDays(4), kadriId);
        Assert.StartsWith("Absence recorded: Līga Bērziņa is away", recorded.QuerySelector(".alert-success")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("Current", recorded.QuerySelector("#absences-table")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"Absence of Līga Bērziņa recorded: {Words(Today)} to {Words(Today.AddDays(4))}, deputy Kadri Tamm.", recorded.Body!.TextContent, StringComparison.Ordinal);

        await using var c = await fixture.Factory.OpenAsync();
        var actor = await c.ExecuteScalarAsync<string>(
            "SELECT u.email FROM administration_log l JOIN users u ON u.id = l.actor_id WHERE l.action = 'absence-recorded' AND l.subject_user_id = @ligaId", new { ligaId });
        Assert.Equal("admin@tibs.example", actor);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAbsencePagesTests(SqliteFixture fixture) : AbsencePagesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAbsencePagesTests(PostgresFixture fixture) : AbsencePagesTests(fixture);
