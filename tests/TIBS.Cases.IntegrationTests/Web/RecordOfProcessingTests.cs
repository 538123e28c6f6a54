using System.Net;
using TIBS.Cases.Core.Privacy;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The record of processing activities: generated from the Privacy settings, the same on the administrators' page,
/// in the Markdown download, from the command line and (for the defaults) in docs/privacy.md; settings it could not
/// state honestly stop the app and the command with the setting's name.
/// </summary>
public sealed class RecordOfProcessingTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task The_record_in_the_docs_is_what_the_default_settings_generate()
    {
        var file = Path.Combine(CaseEnvironment.RepositoryRoot(), "docs", "privacy.md");
        var inDocs = (await File.ReadAllTextAsync(file)).ReplaceLineEndings("\n");

        var generated = RecordOfProcessing.Build(new PrivacyOptions()).ToMarkdown();

        Assert.True(generated == inDocs, "docs/privacy.md is out of date: regenerate it with `dotnet run --project src/TIBS.Cases.Web -- privacy record --out docs/privacy.md`.");
        Assert.Contains("| Name, role, e-mail address and telephone number; the date and purpose of their consent | company_contacts |", inDocs, StringComparison.Ordinal);
        Assert.Contains("Contact persons of a company with no open case are erased 2 years after", inDocs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_reads_the_controller_and_the_retention_this_installation_configures()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase(new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Privacy:Controller"] = "Vidzeme Planning Region, Jāņa Poruka iela 8, Cēsis, Latvia",
            ["Privacy:ProtectionOfficer"] = "dpo@vidzeme.example",
            ["Privacy:Retention:ContactsWithoutOpenCaseMonths"] = "18",
            ["Privacy:Retention:AttachmentsAfterClosureMonths"] = "36",
        });
        var admin = await factory.SignedInAsync("admin@tibs.example");

        var page = await admin.GetDocumentAsync("/admin/privacy");

        Assert.Equal("Record of processing activities", page.QuerySelector("h1")!.TextContent.Trim());
        var text = page.Body!.TextContent;
        Assert.Contains("Vidzeme Planning Region, Jāņa Poruka iela 8, Cēsis, Latvia", text, StringComparison.Ordinal);
        Assert.Contains("dpo@vidzeme.example", text, StringComparison.Ordinal);
        Assert.Contains("(not set: Privacy:ControllerContact)", text, StringComparison.Ordinal);
        Assert.Contains("Contact persons of a company with no open case are erased 18 months after", text, StringComparison.Ordinal);
        Assert.Contains("Files attached to a closed case are removed 3 years after it closed", text, StringComparison.Ordinal);
        Assert.Contains("Failed sign-ins are forgotten 1 hour after the last one.", text, StringComparison.Ordinal);
        var headings = page.QuerySelectorAll("h2").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(["Controller", "Brokerage of SME Joint Smart Strategies", "User accounts and access control", "Training and certification of brokers", "Audit trail and accountability", "Security measures"], headings);

        var download = await admin.GetAsync("/admin/privacy?handler=Markdown");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("text/markdown", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("record-of-processing.md", download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
        var markdown = await download.Content.ReadAsStringAsync();
        Assert.Contains("- **Controller:** Vidzeme Planning Region, Jāņa Poruka iela 8, Cēsis, Latvia", markdown, StringComparison.Ordinal);
        Assert.Contains("erased 18 months after", markdown, StringComparison.Ordinal);

        var home = await admin.GetDocumentAsync("/admin");
        Assert.NotNull(home.QuerySelectorAll("a").FirstOrDefault(a => a.TextContent.Trim() == "Record of processing" && a.GetAttribute("href") == "/admin/privacy"));
    }

    [Fact]
    public void The_app_does_not_start_with_a_retention_period_it_could_not_honour()
    {
        var message = KeyRingStartupTests.StartupFailure(
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Development",
            "--Database:Provider=Sqlite",
            $"--Database:DataDirectory={Path.Combine(Path.GetTempPath(), "tibs-tests", "privacy-" + Guid.NewGuid().ToString("N"))}",
            "--Demo:Password=" + TibsWebFactory.DemoPassword,
            "--Privacy:Retention:ContactsWithoutOpenCaseMonths=0",
            "--Privacy:Retention:AttachmentsAfterClosureMonths=200",
        ]);

        Assert.Contains("Privacy:Retention:ContactsWithoutOpenCaseMonths is 0; a retention period is a number of months from 1 to 600.", message, StringComparison.Ordinal);
        Assert.Contains("Privacy:Retention:AttachmentsAfterClosureMonths (200) cannot be longer than Privacy:Retention:ClosedStrategiesMonths (120)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_prints_the_record_of_the_configuration_and_refuses_settings_the_app_refuses()
    {
        var (code, output, error) = await RunAsync("privacy", "record", "--Privacy:Retention:ClosedStrategiesMonths=96", "--Privacy:Controller=Region Västra Götaland");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.StartsWith("# Record of processing activities", output, StringComparison.Ordinal);
        Assert.Contains("- **Controller:** Region Västra Götaland", output, StringComparison.Ordinal);
        Assert.Contains("The personal data remaining in a closed strategy is erased 8 years after it closed", output, StringComparison.Ordinal);

        var file = Path.Combine(Path.GetTempPath(), $"record-{Guid.NewGuid():N}.md");
        var written = await RunAsync("privacy", "record", "--out", file);
        Assert.Equal(0, written.Code);
        Assert.Contains($"Wrote the record of processing activities to {file}.", written.Out, StringComparison.Ordinal);
        Assert.Equal(RecordOfProcessing.Build(new PrivacyOptions()).ToMarkdown(), await File.ReadAllTextAsync(file));

        var refused = await RunAsync("privacy", "record", "--Privacy:Retention:EndedSessionsMonths=700");
        Assert.Equal(2, refused.Code);
        Assert.Equal("", refused.Out);
        Assert.Contains("privacy record: Privacy:Retention:EndedSessionsMonths is 700; a retention period is a number of months from 1 to 600.", refused.Err, StringComparison.Ordinal);

        var usage = await RunAsync("privacy", "list");
        Assert.Equal(2, usage.Code);
        Assert.Contains("privacy record [--out <file.md>]", usage.Err, StringComparison.Ordinal);
    }
}
