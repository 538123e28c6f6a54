using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The migration page: the dry run is a review of every case; "Migrate N cases" runs only that plan, only when the
/// coordinator ticks the confirmation, and names the cases that changed since the review instead of running.
/// </summary>
public sealed class MigrationPagesTests
{
    private const string Key = "joint-smart-strategy";
    private const string Url = "/definitions/" + Key + "/migrate";
    private const string Broker = "broker.lv008@tibs.example";

    /// <summary>The demo data with only v1 shipped, two Latvian cases opened on it, then v2 published.</summary>
    private static async Task<(TibsWebFactory Factory, HttpClient Coordinator, CaseRecord First, CaseRecord Second)> ArrangeAsync()
    {
        var factory = TibsWebFactory.ForNewSqliteDatabase(new Dictionary<string, string?> { ["Workflows:Folder"] = CaseEnvironment.DefinitionsFolder(1) });
        var client = await CaseForms.SignedInAsync(factory, "coordinator@tibs.example");
        var service = new CaseCommands(factory.Services);
        var user = (await factory.Services.GetRequiredService<IUserStore>().FindByEmailAsync(Broker))!;
        await using var connection = await factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var lead = Guid.Parse((await connection.ExecuteScalarAsync<string>("SELECT id FROM companies WHERE name = 'Vidzeme Wood Solutions'"))!);
        var first = (await service.OpenCaseAsync(lead, "Kiln drying with sensors", user.AsActor())).Case!;
        var second = (await service.OpenCaseAsync(lead, "Timber traceability", user.AsActor())).Case!;
        await factory.Services.GetRequiredService<WorkflowCatalog>().ImportFolderAsync(CaseEnvironment.DefinitionsFolder(1, 2));
        return (factory, client, first, second);
    }

    private static async Task<IHtmlDocument> DryRunAsync(HttpClient client)
    {
        var form = await client.GetDocumentAsync(Url);
        return await HtmlForms.ParseAsync(await client.SubmitAsync(form, Url, new Dictionary<string, string> { ["From"] = "1", ["To"] = "2", ["Mappings"] = "" }, "#migration"));
    }

    private static async Task<Guid> VersionOfAsync(TibsWebFactory factory, Guid caseId) =>
        (await factory.Services.GetRequiredService<ICaseStore>().GetAsync(caseId))!.DefinitionVersionId;

    [Fact]
    public async Task The_dry_run_lists_every_case_and_only_the_ticked_confirmation_migrates_them()
    {
        var (factory, client, first, second) = await ArrangeAsync();
        using var _ = factory;
        var v1 = await VersionOfAsync(factory, first.Id);

        var review = await DryRunAsync(client);

        Assert.Null(review.QuerySelector("#migration button[formaction*='handler=Execute'], #migration button[formaction*='handler=Migrate']")); // no way to migrate without the review
        var rows = review.QuerySelectorAll("#result table.cases tbody tr").Select(r => r.QuerySelector("th")!.TextContent.Trim()).ToList();
        Assert.Equal([first.Reference, second.Reference], rows);
        var confirm = review.QuerySelector("#confirm-migration")!;
        Assert.Equal("Migrate 2 cases", confirm.QuerySelector("button")!.TextContent.Trim());
        Assert.Contains("I have reviewed what happens to each of the 2 cases above", confirm.QuerySelector("label[for=confirmed]")!.TextContent, StringComparison.Ordinal);

        var unticked = await HtmlForms.ParseAsync(await client.SubmitAsync(review, Url, new Dictionary<string, string>(), "#confirm-migration"));

        Assert.Contains("Confirm that you have reviewed what happens to the 2 case(s)", unticked.QuerySelector("#input-errors")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(v1, await VersionOfAsync(factory, first.Id));
        Assert.NotNull(unticked.QuerySelector("#confirm-migration"));

        var done = await HtmlForms.ParseAsync(await client.SubmitAsync(unticked, Url, new Dictionary<string, string> { ["Confirmed"] = "true" }, "#confirm-migration"));

        Assert.Equal("2 of 2 cases moved.", done.QuerySelector("#result .summary")!.TextContent.Trim());
        Assert.Null(done.QuerySelector("#confirm-migration"));
        Assert.NotEqual(v1, await VersionOfAsync(factory, first.Id));
        Assert.NotEqual(v1, await VersionOfAsync(factory, second.Id));
    }

    [Fact]
    public async Task A_case_put_on_hold_after_the_review_is_named_nothing_moves_and_a_new_review_is_shown()
    {
        var (factory, client, first, second) = await ArrangeAsync();
        using var _ = factory;
        var v1 = await VersionOfAsync(factory, first.Id);
        var review = await DryRunAsync(client);
        var user = (await factory.Services.GetRequiredService<IUserStore>().FindByEmailAsync(Broker))!;
        var hold = await new CaseCommands(factory.Services).ApplyCaseActionAsync(second.Id, second.Version, "hold", "Waiting for the bank", user.AsActor());
        Assert.True(hold.Succeeded, hold.Message);

        var page = await HtmlForms.ParseAsync(await client.SubmitAsync(review, Url, new Dictionary<string, string> { ["Confirmed"] = "true" }, "#confirm-migration"));

        var changed = page.QuerySelector("#changed")!;
        Assert.Contains("Nothing was migrated", changed.TextContent, StringComparison.Ordinal);
        Assert.Equal([$"Case {second.Reference} changed since your review: it was put on hold."], changed.QuerySelectorAll("li").Select(li => li.TextContent.Trim()));
        Assert.Equal(v1, await VersionOfAsync(factory, first.Id));
        Assert.Equal(v1, await VersionOfAsync(factory, second.Id));
        var row = page.QuerySelector($"#result table.cases tr[data-case='{second.Id}']")!;
        Assert.Contains("stays on hold", row.TextContent, StringComparison.Ordinal);

        var done = await HtmlForms.ParseAsync(await client.SubmitAsync(page, Url, new Dictionary<string, string> { ["Confirmed"] = "true" }, "#confirm-migration"));

        Assert.Equal("2 of 2 cases moved.", done.QuerySelector("#result .summary")!.TextContent.Trim());
        Assert.Equal(CaseStatus.OnHold, (await factory.Services.GetRequiredService<ICaseStore>().GetAsync(second.Id))!.Status);
    }
}
