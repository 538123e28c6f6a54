using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Privacy;

/// <summary>
/// The retention page as an administrator uses it: the installation's rules in words, a dry run on demand whose items
/// are named (companies' contact persons, files, cases), "Apply this report" once, and the outcome in words.
/// </summary>
public sealed class RetentionPageTests
{
    [Fact]
    public async Task An_administrator_makes_a_dry_run_reads_what_is_due_and_applies_it_once()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = TibsWebFactory.ForNewSqliteDatabase(
            new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Privacy:Retention:ContactsWithoutOpenCaseMonths"] = "6" },
            s => s.AddSingleton<TimeProvider>(time));
        var admin = await factory.SignedInAsync("admin@tibs.example");

        var page = await admin.GetDocumentAsync("/admin/privacy/retention");

        Assert.Equal("Retention", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("Contact persons of a company with no open case are erased 6 months after the company's last case closed.", page.QuerySelector("#retention-rules")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("No dry run yet", page.QuerySelector("#report-heading")!.TextContent.Trim());
        Assert.Contains("Nothing is erased until an administrator applies a report here", page.Body!.TextContent, StringComparison.Ordinal);

        var nothing = await HtmlForms.ParseAsync(await admin.SubmitAsync(page, "/admin/privacy/retention?handler=DryRun", new Dictionary<string, string>()));
        Assert.Contains("Dry run made: nothing is due.", nothing.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(nothing.QuerySelectorAll("button").FirstOrDefault(b => b.TextContent.Trim() == "Apply this report"));

        time.Advance(TimeSpan.FromDays(400)); // the demo's companies without an open case are now idle for longer than 6 months
        admin = await factory.SignedInAsync("admin@tibs.example"); // the session of a year ago has ended
        var before = await admin.GetDocumentAsync("/admin/privacy/retention");
        var due = await HtmlForms.ParseAsync(await admin.SubmitAsync(before, "/admin/privacy/retention?handler=DryRun", new Dictionary<string, string>()));

        Assert.Contains("Dry run made: read what is due below before applying it.", due.Body!.TextContent, StringComparison.Ordinal);
        Assert.Matches("^Due: [1-9][0-9]* contact persons?, ", due.QuerySelector("#report-summary")!.TextContent.Trim());
        Assert.Contains(due.QuerySelectorAll("h3"), h => h.TextContent.Trim() == "Contact persons of companies with no open case");
        Assert.NotEmpty(due.QuerySelectorAll("#report-heading ~ ul a[href^='/companies/']"));
        Assert.Single(due.QuerySelectorAll("#earlier-runs li"));

        var unknown = await admin.SubmitAsync(due, "/admin/privacy/retention?handler=Apply", new Dictionary<string, string> { ["reportId"] = Guid.NewGuid().ToString() }, "form[action*='handler=Apply']");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("There is no such retention report.", (await HtmlForms.ParseAsync(unknown)).QuerySelector("#retention-error")!.TextContent.Trim());
        var garbled = await admin.SubmitAsync(due, "/admin/privacy/retention?handler=Apply", new Dictionary<string, string> { ["reportId"] = new string('x', 5000) + "<script>" }, "form[action*='handler=Apply']");
        Assert.Equal(HttpStatusCode.NotFound, garbled.StatusCode);

        var applied = await admin.SubmitAsync(due, "/admin/privacy/retention?handler=Apply", new Dictionary<string, string>(), "form[action*='handler=Apply']");
        var after = await HtmlForms.ParseAsync(applied);

        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.StartsWith("Applied on ", after.QuerySelector("#report-outcome")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Null(after.QuerySelectorAll("button").FirstOrDefault(b => b.TextContent.Trim() == "Apply this report"));

        var log = await admin.GetDocumentAsync("/audit/administration-log");
        Assert.Contains("applied the retention report of ", log.Body!.TextContent, StringComparison.Ordinal);
    }
}
