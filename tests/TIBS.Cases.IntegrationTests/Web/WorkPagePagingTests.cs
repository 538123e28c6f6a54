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

    [Fact]
    public async Task More_partner_cases_leads_through_every_partner_case_of_the_region_once_last_change_first()
    {
        // Cases of Latvia with a Hamburg company as partner, changed in threes at the same moment (ties on the time).
        var added = new List<Guid>();
        var changed = DateTimeOffset.UtcNow.AddDays(-1);
        await using var c = await app.Factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        for (var i = 0; i < MyWork.PartnerCasesPerPage + 9; i++)
        {
            var opened = await app.OpenLatvianCaseAsync();
            var id = Guid.CreateVersion7();
            await c.ExecuteAsync(
                """
                INSERT INTO case_participants (id, case_id, company_id, region_code, role, pipeline_status, added_at, updated_at)
                VALUES (@id, @caseId, @company, 'DE60', 'partner', 'contacted', @at, @at)
                """,
                new { id, caseId = opened.Id, company = app.TimberId, at = changed.AddMinutes(i / 3) });
            added.Add(id);
        }

        var client = await app.SignInAsync(PartnerApp.Hamburg);
        var first = await client.GetDocumentAsync("/work");
        static List<Guid> Rows(AngleSharp.Html.Dom.IHtmlDocument page) =>
            [.. page.QuerySelectorAll("#partner-cases tbody tr").Select(r => Guid.Parse(r.GetAttribute("data-participant")!))];
        Assert.Equal(MyWork.PartnerCasesPerPage, Rows(first).Count);
        Assert.Null(first.QuerySelector("#first-partners"));
        Assert.Equal("More partner cases", first.QuerySelector("#more-partners")!.TextContent.Trim());

        var shown = Rows(first);
        var page = first;
        for (var pages = 1; page.QuerySelector("#more-partners") is { } next && pages < 20; pages++)
        {
            page = await client.GetDocumentAsync(next.GetAttribute("href")!);
            Assert.Equal("Back to the latest partner cases", page.QuerySelector("#first-partners")!.TextContent.Trim());
            Assert.Null(page.QuerySelector("#partners-paging-problem"));
            shown.AddRange(Rows(page));
        }

        Assert.Equal(shown.Count, shown.Distinct().Count());
        Assert.Empty(added.Except(shown));

        // The pages together keep the order of one read: the last change first, then the participation's id.
        var ordered = (await c.QueryAsync<Guid>(
            """
            SELECT cp.id FROM case_participants cp JOIN cases cs ON cs.id = cp.case_id
            WHERE cp.region_code = 'DE60' AND cp.role = 'partner' AND cs.region_code <> 'DE60' AND cs.status <> 'closed'
            ORDER BY cp.updated_at DESC, cp.id
            """)).ToList();
        Assert.Equal(ordered, shown);

        // Back to the latest partner cases from a later page shows the first page again.
        var back = await client.GetDocumentAsync(page.QuerySelector("#first-partners")!.GetAttribute("href")!);
        Assert.Equal(Rows(first), Rows(back));

        // Each list's links keep the other list's page: the second page of partner cases with a later page of open steps.
        var both = await client.GetDocumentAsync(first.QuerySelector("#more-partners")!.GetAttribute("href")! + "&after=ZZ&due=2000-01-01T00:00:00Z");
        Assert.Equal(shown.Skip(MyWork.PartnerCasesPerPage).Take(MyWork.PartnerCasesPerPage), Rows(both));
        Assert.Contains("after=ZZ", both.QuerySelector("#first-partners")!.GetAttribute("href")!, StringComparison.Ordinal);
        Assert.Contains("partners-after=", both.QuerySelector("#first-steps")!.GetAttribute("href")!, StringComparison.Ordinal);
    }

    private const string StepsProblem = "That link to more open steps is not valid; the first open steps are shown.";
    private const string PartnersProblem = "That link to more partner cases is not valid; the latest partner cases are shown.";

    /// <summary>Each list's page address that the page did not write: that list's first page and its sentence, the other list as asked.</summary>
    [Theory]
    [InlineData("/work?after=%3Cscript%3Ealert(1)%3C%2Fscript%3E&due=yesterday", "steps", StepsProblem)]
    [InlineData("/work?after=DE60-2026-00001&due=2026-13-45T99:00:00Z", "steps", StepsProblem)]
    [InlineData("/work?after=DE60%0A2026&due=2026-12-01T00:00:00Z", "steps", StepsProblem)]
    [InlineData("/work?after=DE60-2026-00001-DE60-2026-00001-DE60-2026-00001-DE60-2026-00001-DE60-2026-00001", "steps", StepsProblem)]
    [InlineData("/work?partners-after=%3Cscript%3Ealert(1)%3C%2Fscript%3E&partners-changed=yesterday", "partners", PartnersProblem)]
    [InlineData("/work?partners-after=0192f1b3-0000-7000-8000-000000000001&partners-changed=2026-13-45T99:00:00Z", "partners", PartnersProblem)]
    [InlineData("/work?partners-after=0192f1b3-0000-7000-8000-000000000001", "partners", PartnersProblem)]
    [InlineData("/work?partners-changed=2026-12-01T00:00:00Z", "partners", PartnersProblem)]
    public async Task A_page_address_that_is_not_one_the_page_wrote_shows_that_lists_first_page_and_says_so(string address, string list, string sentence)
    {
        var client = await app.SignInAsync(PartnerApp.Hamburg);
        var response = await client.GetAsync(address);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlForms.ParseAsync(response);

        Assert.Equal(sentence, page.QuerySelector($"#{list}-paging-problem")!.TextContent.Trim());
        Assert.Null(page.QuerySelector($"#first-{list}"));
        Assert.Null(page.QuerySelector(list == "steps" ? "#partners-paging-problem" : "#steps-paging-problem"));
        Assert.DoesNotContain("<script>alert(1)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
