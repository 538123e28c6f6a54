using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Backups;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Backup;

namespace TIBS.Cases.IntegrationTests.Backup;

/// <summary>
/// The backups page as an administrator uses it (decision 0055): the settings in words, "Back up now" and the run it
/// made in the list; the refusal in words without a key or on a database server; other roles refused.
/// </summary>
public sealed class BackupPageTests
{
    private const string Admin = "admin@tibs.example";

    internal static string NewBackupKeyFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "tibs-tests", $"backup_{Guid.NewGuid():N}.key");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, BackupKey.NewKeyText());
        return path;
    }

    internal static string NewFolder() => Path.Combine(Path.GetTempPath(), "tibs-tests", $"backups_{Guid.NewGuid():N}");

    /// <summary>Runs the queued backup at once, in the request (Hangfire runs it in the background in the application).</summary>
    private sealed class RunAtOnce(IServiceProvider services) : IBackupLauncher
    {
        public void Launch(Guid runId) => services.GetRequiredService<BackupRunner>().RunAsync(runId, BackupRunner.Schedule).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task An_administrator_backs_up_now_and_the_list_shows_the_checked_archive()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase(
            new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Backup:KeyFile"] = NewBackupKeyFile(), ["Backup:Folder"] = NewFolder(), ["Backup:Schedule"] = "15 3 * * *" },
            s => s.AddSingleton<IBackupLauncher>(sp => new RunAtOnce(sp)));
        var admin = await factory.SignedInAsync(Admin);

        var home = await admin.GetDocumentAsync("/admin");
        Assert.NotNull(home.QuerySelector("#admin-links a[href='/admin/backups']"));
        var page = await admin.GetDocumentAsync("/admin/backups");

        Assert.Equal("Backups", page.QuerySelector("h1")!.TextContent.Trim());
        var settings = page.QuerySelector("#backup-settings")!.TextContent;
        Assert.Matches(@"Every day at 0?3:15( AM)? UTC\.", settings);
        Assert.Contains("Retention keeps the newest backup of each of the last 7 days that have one and of each of the last 4 weeks that have one", settings, StringComparison.Ordinal);
        Assert.StartsWith("A backup key is configured", page.QuerySelector("#backup-key")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("No backup has been made yet.", page.QuerySelector("#no-runs")!.TextContent.Trim());

        var after = await HtmlForms.ParseAsync(await admin.SubmitAsync(page, "/admin/backups", new Dictionary<string, string>()));

        Assert.Equal("The backup has started; its result appears on this page when it is done.", after.QuerySelector("main .alert[role=status]")!.TextContent.Trim());
        Assert.NotNull(after.QuerySelector("div.table-responsive[role=region][aria-label='Backups'] #backup-runs"));
        var cells = Assert.Single(after.QuerySelectorAll("#backup-runs tbody tr")).QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal("System Administrator", cells[1]);
        Assert.StartsWith("Written and checked: every file of the archive matches its manifest.", cells[2], StringComparison.Ordinal);
        Assert.Matches(@"^tibs-backup-\d{8}T\d{4}Z\.tibsbak$", cells[3]);
        Assert.Matches(@"^[0-9.,]+ (KB|MB)$", cells[4]);
        Assert.Equal("Yes", cells[5]);
        var archive = Assert.Single(after.QuerySelectorAll("#backup-archives li")).TextContent;
        Assert.StartsWith(cells[3], archive.Trim(), StringComparison.Ordinal);
        Assert.EndsWith("— read back and checked", archive.Trim(), StringComparison.Ordinal);

        var log = await admin.GetDocumentAsync("/audit/administration-log");
        Assert.Contains("Asked for a backup now.", log.Body!.TextContent, StringComparison.Ordinal);

        var broker = await factory.SignedInAsync("broker.lv008@tibs.example");
        var refused = await broker.GetAsync("/admin/backups");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("/account/access-denied", refused.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task Without_a_backup_key_back_up_now_is_refused_in_words_and_nothing_runs()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase(
            new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Backup:Folder"] = NewFolder(), ["Backup:Schedule"] = "" });
        var admin = await factory.SignedInAsync(Admin);
        var page = await admin.GetDocumentAsync("/admin/backups");

        Assert.Contains("No scheduled backup (Backup:Schedule is empty).", page.QuerySelector("#backup-settings")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("No backup key is configured (Backup:KeyFile): no backup can be made until one is set.", page.QuerySelector("#backup-key")!.TextContent.Trim());

        var after = await HtmlForms.ParseAsync(await admin.SubmitAsync(page, "/admin/backups", new Dictionary<string, string>()));

        Assert.Equal(
            "No backup key is configured: set Backup:KeyFile to a key file kept outside the database (make one with: backup create-key <file>).",
            after.QuerySelector("#backup-refused")!.TextContent.Trim());
        Assert.Equal("No backup has been made yet.", after.QuerySelector("#no-runs")!.TextContent.Trim());
    }
}

/// <summary>On a database server the page says to use the server's tools and "Back up now" is refused in words.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBackupPageTests(PostgresFixture fixture)
{
    [SkippableFact]
    public async Task On_postgresql_back_up_now_is_refused_naming_the_servers_own_tools()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture, new Dictionary<string, string?> { ["Backup:KeyFile"] = BackupPageTests.NewBackupKeyFile(), ["Backup:Folder"] = BackupPageTests.NewFolder() });
        var admin = await factory.SignedInAsync("admin@tibs.example");
        var page = await admin.GetDocumentAsync("/admin/backups");

        Assert.Contains("This installation uses a database server: back it up with the server's own tools.", page.QuerySelector("#backup-settings")!.TextContent, StringComparison.Ordinal);

        var after = await HtmlForms.ParseAsync(await admin.SubmitAsync(page, "/admin/backups", new Dictionary<string, string>()));

        Assert.Equal(
            "This installation uses a database server: back it up with the server's own tools (see the README, Operations).",
            after.QuerySelector("#backup-refused")!.TextContent.Trim());
        Assert.Equal("No backup has been made yet.", after.QuerySelector("#no-runs")!.TextContent.Trim());
    }
}
