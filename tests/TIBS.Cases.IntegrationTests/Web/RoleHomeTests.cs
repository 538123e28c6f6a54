using System.Net;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>Every role lands on its work, and its navigation shows its own pages.</summary>
public sealed class RoleHomeTests(RoleHomeTests.App app) : IClassFixture<RoleHomeTests.App>
{
    public sealed class App : IDisposable
    {
        public TibsWebFactory Factory { get; } = TibsWebFactory.ForNewSqliteDatabase();

        public void Dispose() => Factory.Dispose();
    }

    [Theory]
    [InlineData("broker.lv008@tibs.example", "/work", "My work", "My work|Cases|Companies")]
    [InlineData("coordinator@tibs.example", "/coordination", "Coordination overview", "Overview|Cases|Companies|Definitions|Training|Indicators|Audit")]
    [InlineData("evaluator@tibs.example", "/audit", "Audits", "Audits|Cases|Indicators|Verify audit trails")]
    [InlineData("admin@tibs.example", "/admin", "Administration", "Administration|Training|Jobs|Audit")]
    public async Task A_signed_in_user_lands_on_the_work_of_their_role(string email, string home, string heading, string navigation)
    {
        var client = await SignedInAsync(app.Factory, email);

        var response = await client.GetAsync("/");
        var page = await HtmlForms.ParseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(home, response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(heading, page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal(navigation.Split('|'), page.QuerySelectorAll("nav.mainnav a").Select(a => a.TextContent.Trim()));
        Assert.Equal(home, page.QuerySelector("nav.mainnav a[aria-current='page']")!.GetAttribute("href"));
    }

    [Fact]
    public async Task The_administration_home_links_to_users_personal_data_jobs_the_audit_verification_and_the_record_of_processing_and_is_for_administrators_only()
    {
        var admin = await SignedInAsync(app.Factory, "admin@tibs.example");
        var page = await admin.GetDocumentAsync("/admin");

        Assert.Equal(["/admin/users", "/audit/administration-log", "/admin/personal-data", "/coordination/organisations", "/jobs", "/audit/verify", "/admin/privacy", "/admin/backups"], page.QuerySelectorAll("#admin-links a").Select(a => a.GetAttribute("href")));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/jobs")).StatusCode);

        var broker = await SignedInAsync(app.Factory, "broker.lv008@tibs.example");
        Assert.Equal("/account/access-denied", (await broker.GetAsync("/admin")).RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("/account/access-denied", (await broker.GetAsync("/coordination")).RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task A_visitor_who_is_not_signed_in_sees_the_introduction()
    {
        var page = await app.Factory.CreateClient().GetDocumentAsync("/");

        Assert.Equal("SME Joint Smart Strategies", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("a[href='/account/sign-in']"));
        Assert.Null(page.QuerySelector("nav.mainnav"));
    }
}
