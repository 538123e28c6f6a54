using System.Net;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Partner tracks on the pages: the case page shows the current step's tracks with the outcomes the viewer may take as
/// plain forms (the partners page shows each partner's track), and My work lists a partner broker's open tracks with a link to the case.
/// </summary>
public abstract class TrackPagesTests(DatabaseFixture fixture)
{
    [SkippableFact]
    public async Task The_partner_broker_takes_interested_on_the_case_page_and_a_second_click_on_the_old_page_is_a_conflict_in_words()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var caseId = await TrackCases.StartAsync(factory, fixture);
        var hamburg = await SignInAsync(factory, TrackCases.Hamburg);
        var url = $"/cases/{caseId}";

        var page = await hamburg.GetDocumentAsync(url);
        var row = page.QuerySelector("#tracks tr.track")!;
        Assert.Contains(TrackCases.PartnerCompany, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Germany", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("Contacted", row.QuerySelector(".track-state")!.TextContent.Trim());
        Assert.Equal(["interested", "declined"], row.QuerySelectorAll("form.track-form").Select(f => f.GetAttribute("data-outcome")));

        var taken = await hamburg.SubmitAsync(page, url, new Dictionary<string, string>(), "#tracks form.track-form[data-outcome='interested']");
        var after = await HtmlForms.ParseAsync(taken);
        var stale = await hamburg.SubmitAsync(page, url, new Dictionary<string, string>(), "#tracks form.track-form[data-outcome='declined']");
        var refused = await HtmlForms.ParseAsync(stale);
        var partners = await hamburg.GetDocumentAsync($"{url}/partners");

        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal("Interested", after.QuerySelector("#tracks tr.track .track-state")!.TextContent.Trim());
        Assert.Equal(["agreed", "declined"], after.QuerySelectorAll("#tracks form.track-form").Select(f => f.GetAttribute("data-outcome")));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("Someone else has moved this partner's track", refused.QuerySelector("#case-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Interested", refused.QuerySelector("#tracks tr.track .track-state")!.TextContent.Trim());
        Assert.StartsWith("Track: Interested", partners.QuerySelector("#pipeline .track-status")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("de", "Kontaktiert", "Interessiert", "Abgelehnt")]
    [InlineData("lv", "Sazinājās", "Ieinteresēts", "Atteicās")]
    public async Task The_case_page_names_the_tracks_state_and_outcomes_in_the_readers_language(string language, string state, string interested, string declined)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var sidecar = $"""
            steps:
              expressions:
                tracks:
                  states:
                    contacted:
                      name: "{state}"
                      outcomes:
                        interested: "{interested}"
                        declined: "{declined}"
            """;
        var caseId = await TrackCases.StartAsync(factory, fixture, new Dictionary<string, string> { [language] = sidecar });
        var hamburg = await SignInAsync(factory, TrackCases.Hamburg);
        hamburg.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", language);

        var page = await hamburg.GetDocumentAsync($"/cases/{caseId}");
        var row = page.QuerySelector("#tracks tr.track")!;

        Assert.Equal(state, row.QuerySelector(".track-state")!.TextContent.Trim());
        var started = language == "de" ? $"{TrackCases.PartnerCompany}: Strang in „{state}“ begonnen, bearbeitet von " : $"{TrackCases.PartnerCompany}: process sākts stāvoklī “{state}”, to veic ";
        Assert.Contains(started, page.QuerySelector("#timeline")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(
            [$"{interested} — {TrackCases.PartnerCompany}", $"{declined} — {TrackCases.PartnerCompany}"],
            row.QuerySelectorAll("form.track-form button").Select(b => b.TextContent.Trim()));
    }

    [SkippableFact]
    public async Task My_work_lists_the_partner_brokers_open_track_with_a_link_to_the_case_and_not_to_another_regions_broker()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var caseId = await TrackCases.StartAsync(factory, fixture);

        var hamburg = await (await SignInAsync(factory, TrackCases.Hamburg)).GetDocumentAsync("/work");
        var finnish = await (await SignInAsync(factory, "broker.fi19@tibs.example")).GetDocumentAsync("/work");

        var row = hamburg.QuerySelector($"#open-tracks tr[data-case='{caseId}']")!;
        var link = row.QuerySelector("a")!;
        Assert.Equal($"Partner track: {TrackCases.PartnerCompany} in case {TrackCases.LeadCompany}", link.TextContent.Trim());
        Assert.Equal($"/cases/{caseId}#tracks", link.GetAttribute("href"));
        Assert.Contains("Contacted", row.TextContent, StringComparison.Ordinal);
        Assert.Null(finnish.QuerySelector($"#open-tracks tr[data-case='{caseId}']"));
    }

    private static async Task<HttpClient> SignInAsync(TibsWebFactory factory, string email)
    {
        var client = factory.CreateClient();
        var page = await client.GetDocumentAsync("/account/sign-in");
        await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });
        return client;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTrackPagesTests(SqliteFixture fixture) : TrackPagesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTrackPagesTests(PostgresFixture fixture) : TrackPagesTests(fixture);
