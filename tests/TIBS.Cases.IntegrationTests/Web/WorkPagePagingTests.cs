using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Work;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// My work lists the open steps a page at a time, the earliest due first: a broker of a region with more open steps than
/// a page reaches every one of them through "More open steps", each once, and a hand-made page address is answered
/// with the first page and a sentence saying so.
/// </summary>
public sealed class WorkPagePagingTests(PartnerApp app) : IClassFixture<PartnerApp>
{
    [Fact]
    public async Task More_open_steps_leads_through_every_step_of_the_region_once_in_due_order()
    {
        var hamburg = await app.ActorAsync(PartnerApp.Hamburg);
        var service = new CaseCommands(app.Factory.Services);
        var opened = new List<Guid>();
        for (var i = 0; i < MyWork.StepsPerPage + 7; i++)
        {
            var result = await service.OpenCaseAsync(app.TimberId, null, hamburg);
            Assert.True(result.Succeeded, result.Message);
            opened.Add(result.Case!.Id);
        }

        var client = await app.SignInAsync(PartnerApp.Hamburg);
        var first = await client.GetDocumentAsync("/work");
        var firstRows = first.QuerySelectorAll("#open-steps tbody tr").Select(r => Guid.Parse(r.GetAttribute("data-case")!)).ToList();
        Assert.Equal(MyWork.StepsPerPage, firstRows.Count);
        Assert.Null(first.QuerySelector("#first-steps"));
        var more = first.QuerySelector("#more-steps")!;
        Assert.Equal("More open steps", more.TextContent.Trim());

        var shown = new List<Guid>(firstRows);
        var page = first;
        for (var pages = 1; page.QuerySelector("#more-steps") is { } next && pages < 20; pages++)
        {
            page = await client.GetDocumentAsync(next.GetAttribute("href")!);
            Assert.Equal("Back to the first open steps", page.QuerySelector("#first-steps")!.TextContent.Trim());
            Assert.Null(page.QuerySelector("#steps-paging-problem"));
            shown.AddRange(page.QuerySelectorAll("#open-steps tbody tr").Select(r => Guid.Parse(r.GetAttribute("data-case")!)));
        }

        Assert.Equal(shown.Count, shown.Distinct().Count());
        Assert.Empty(opened.Except(shown));

        // The pages together keep the order of one read of the region's active cases: due date, none last, then reference.
        await using var c = await app.Factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var ordered = (await c.QueryAsync<Guid>(
            """
            SELECT id FROM cases WHERE status = 'active' AND (region_code = 'DE60' OR owner_user_id = @owner)
            ORDER BY CASE WHEN step_due_at IS NULL THEN 1 ELSE 0 END, step_due_at, reference
            """,
            new { owner = hamburg.UserId })).ToList();
        Assert.Equal(ordered.Where(shown.Contains).ToList(), shown);
    }

    [Theory]
    [InlineData("/work?after=%3Cscript%3Ealert(1)%3C%2Fscript%3E&due=yesterday")]
    [InlineData("/work?after=DE60-2026-00001&due=2026-13-45T99:00:00Z")]
    [InlineData("/work?after=DE60%0A2026&due=2026-12-01T00:00:00Z")]
    [InlineData("/work?after=DE60-2026-00001-DE60-2026-00001-DE60-2026-00001-DE60-2026-00001-DE60-2026-00001")]
    public async Task A_page_address_that_is_not_one_the_page_wrote_shows_the_first_steps_and_says_so(string address)
    {
        var client = await app.SignInAsync(PartnerApp.Hamburg);
        var response = await client.GetAsync(address);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlForms.ParseAsync(response);

        Assert.Equal("That link to more open steps is not valid; the first open steps are shown.", page.QuerySelector("#steps-paging-problem")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("#first-steps"));
        Assert.DoesNotContain("<script>alert(1)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
