using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.PersonalData;
using TIBS.Cases.Core.Privacy;
using TIBS.Cases.Core.Privacy.Retention;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Privacy;

/// <summary>
/// The retention rules on each database: a dry run lists what is due (ids only), applying it removes exactly the
/// items still due (files of closed cases, ended sessions, forgotten sign-in failures), keeps the attachment's name
/// and size with "removed", is logged, and happens once even when two administrators press "Apply" together.
/// </summary>
public abstract class RetentionTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly byte[] Pdf = "%PDF-1.7 strategy annex"u8.ToArray();

    private readonly PrivacyOptions options = new();

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private RetentionStore Store => new(fixture.Factory);

    private ReportRetention Reporter(CaseEnvironment env) => new(Store, options, ProcessingLifetimes.Defaults, env.Time);

    private ApplyRetentionReport Applier(CaseEnvironment env) => new(
        Store, env.Storage, options, ProcessingLifetimes.Defaults, env.Time,
        new RetentionErasure(new EraseContactPerson(env.Companies, new PersonalDataStore(fixture.Factory), env.Time), Store));

    private async Task ExecuteAsync(string sql, object args)
    {
        await using var c = await fixture.Factory.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }

    private async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var c = await fixture.Factory.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    private Task AddContactAsync(Guid companyId, string name) => ExecuteAsync(
        "INSERT INTO company_contacts (id, company_id, name, role, email, phone) VALUES (@id, @companyId, @name, 'Owner', 'owner@example.test', NULL)",
        new { id = Guid.NewGuid(), companyId, name });

    private async Task<Guid> WithdrawnCaseWithFileAsync(CaseEnvironment env)
    {
        var c = await env.OpenCaseAsync();
        var added = await env.Service.AddAttachmentAsync(c.Id, c.Version, CaseCommands.File("annex.pdf", Pdf), env.LatvianBroker);
        Assert.True(added.Succeeded, added.Message);
        var version = (await env.DetailsAsync(c.Id)).Case.Version;
        var withdrawn = await env.Service.ApplyCaseActionAsync(c.Id, version, "withdraw", "The company was sold", env.LatvianBroker);
        Assert.True(withdrawn.Succeeded, withdrawn.Message);
        return c.Id;
    }

    [SkippableFact]
    public async Task A_dry_run_lists_what_is_due_and_applying_it_removes_exactly_what_is_still_due()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var admin = await env.UserAsync("admin@test.example", "administrator", null);
        var closed = await WithdrawnCaseWithFileAsync(env);
        var open = await env.Service.OpenCaseAsync(env.GermanPartner.Id, null, env.GermanBroker);
        Assert.True(open.Succeeded, open.Message);
        Assert.True((await env.Service.AddAttachmentAsync(open.Case!.Id, open.Case.Version, CaseCommands.File("offer.pdf", Pdf), env.GermanBroker)).Succeeded);
        await AddContactAsync(env.Lead.Id, "Ilze Bērziņa");
        await AddContactAsync(env.LatvianNeighbour.Id, "Jānis Kalniņš");
        await AddContactAsync(env.GermanPartner.Id, "Hanna Vogel");
        await ExecuteAsync(
            "INSERT INTO user_sessions (id, user_id, created_at, last_seen_at, revoked_at, user_agent_hash) VALUES (@old, @user, @start, @start, @start, 'h'), (@fresh, @user, @later, @later, NULL, 'h')",
            new { old = Guid.NewGuid(), fresh = Guid.NewGuid(), user = env.LatvianBroker.UserId, start = CaseEnvironment.Start, later = CaseEnvironment.Start.AddMonths(61) });
        await ExecuteAsync(
            "INSERT INTO sign_in_throttle (throttle_key, failures, last_failure_at) VALUES ('address:203.0.113.9', 3, @start)", new { start = CaseEnvironment.Start });

        env.Time.Advance(TimeSpan.FromDays(61 * 31)); // past the 60 months of attachments, short of the 120 of strategies
        Assert.Null(await Reporter(env).HandleAsync(env.LatvianBroker));
        var report = await Reporter(env).HandleAsync(admin);

        Assert.NotNull(report);
        var file = Assert.Single(report.Items.Attachments);
        Assert.Equal(closed, file.CaseId);
        Assert.Equal(2, report.Items.Contacts.Count); // the lead (its only case withdrawn) and the neighbour (no case); not the partner with an open case
        Assert.DoesNotContain(report.Items.Contacts, x => x.CompanyId == env.GermanPartner.Id);
        Assert.Empty(report.Items.Strategies);
        Assert.Equal(1, report.Items.Sessions);
        Assert.Equal(1, report.Items.ThrottleEntries);
        var stored = await ScalarAsync<string>("SELECT items FROM retention_reports WHERE id = @id", new { id = report.Id });
        Assert.DoesNotContain("Ilze", stored, StringComparison.Ordinal); // ids only, never the data it is about
        var described = await Store.DescribeAsync(report.Items);
        Assert.Contains(described, d => d.Category == RetentionCategories.Contacts && d.Text == "Ilze Bērziņa (Vidzeme Wood Solutions)");
        Assert.Contains(described, d => d.Category == RetentionCategories.Attachments && d.Text.StartsWith("annex.pdf on ", StringComparison.Ordinal));

        // Since the dry run, the neighbour became a lead company again: its contact person is no longer due.
        var again = await env.Service.OpenCaseAsync(env.LatvianNeighbour.Id, null, env.LatvianBroker);
        Assert.True(again.Succeeded, again.Message);

        var applied = await Applier(env).HandleAsync(new ApplyRetentionReport.Request(report.Id), admin);

        Assert.Equal(CaseCommandStatus.Done, applied.Status);
        Assert.Equal(
            "Applied. 1 contact person erased, 1 file removed, 0 closed strategies' personal data erased, 1 ended session removed, 1 forgotten sign-in failure removed. "
            + "1 item of the report was no longer due and left alone.",
            applied.Message);
        // The lead's contact person is erased as an administrator's erasure would; the same role and address of another
        // company's contact person are someone else's and stay.
        Assert.Equal(0, await ScalarAsync<int>("SELECT COUNT(*) FROM company_contacts WHERE company_id = @id", new { id = env.Lead.Id }));
        Assert.Equal(1, await ScalarAsync<int>(
            "SELECT COUNT(*) FROM company_contacts WHERE company_id = @id AND name = 'Jānis Kalniņš' AND role = 'Owner' AND email = 'owner@example.test'", new { id = env.LatvianNeighbour.Id }));
        Assert.Equal(1, await ScalarAsync<int>("SELECT COUNT(*) FROM administration_log WHERE action = 'personal-data-erased' AND actor_id IS NULL"));
        var attachment = Assert.Single((await env.DetailsAsync(closed)).Attachments);
        Assert.Equal(env.Time.GetUtcNow(), attachment.RemovedAt);
        Assert.False(File.Exists(Path.Combine(env.Storage.Root, attachment.StorageKey)));
        var download = await env.Service.Download.HandleAsync(new OpenAttachment.Request(closed, attachment.Id), env.Coordinator);
        Assert.NotNull(download);
        Assert.Null(download.Content);
        Assert.StartsWith("The file \"annex.pdf\" was removed on ", download.RemovedInWords, StringComparison.Ordinal);
        Assert.Null(Assert.Single((await env.DetailsAsync(open.Case.Id)).Attachments).RemovedAt);
        Assert.Equal(1, await ScalarAsync<int>("SELECT COUNT(*) FROM user_sessions"));
        Assert.Equal(0, await ScalarAsync<int>("SELECT COUNT(*) FROM sign_in_throttle"));
        var log = await ScalarAsync<string>("SELECT details FROM administration_log WHERE action = @action", new { action = RetentionActions.Applied });
        Assert.Contains("1 contact person erased, 1 file removed", log, StringComparison.Ordinal);

        var twice = await Applier(env).HandleAsync(new ApplyRetentionReport.Request(report.Id), admin);
        Assert.Equal(CaseCommandStatus.Refused, twice.Status);
        Assert.StartsWith("This report was already applied on ", twice.Message, StringComparison.Ordinal);
        Assert.Equal(CaseCommandStatus.Forbidden, (await Applier(env).HandleAsync(new ApplyRetentionReport.Request(report.Id), env.Coordinator)).Status);
    }

    [SkippableFact]
    public async Task A_strategy_closed_longer_than_its_period_loses_the_personal_data_of_its_companies_once()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var admin = await env.UserAsync("admin@test.example", "administrator", null);
        var closed = await WithdrawnCaseWithFileAsync(env);
        await AddContactAsync(env.Lead.Id, "Ilze Bērziņa");
        options.Retention.ContactsWithoutOpenCaseMonths = 130; // only the strategies' rule applies here
        env.Time.Advance(TimeSpan.FromDays(121 * 31));

        var report = (await Reporter(env).HandleAsync(admin))!;

        Assert.Equal([closed], report.Items.Strategies);
        Assert.Empty(report.Items.Contacts);
        var applied = await Applier(env).HandleAsync(new ApplyRetentionReport.Request(report.Id), admin);
        Assert.StartsWith("Applied. 1 contact person erased, 1 file removed, 1 closed strategy's personal data erased,", applied.Message, StringComparison.Ordinal);
        Assert.Equal(0, await ScalarAsync<int>("SELECT COUNT(*) FROM company_contacts WHERE company_id = @id", new { id = env.Lead.Id }));
        Assert.Equal(1, await ScalarAsync<int>("SELECT COUNT(*) FROM cases WHERE personal_data_erased_at IS NOT NULL"));
        Assert.Empty((await Reporter(env).HandleAsync(admin))!.Items.Strategies);
    }

    [SkippableFact]
    public async Task Two_administrators_applying_the_same_report_at_once_apply_it_once()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var first = await env.UserAsync("admin1@test.example", "administrator", null);
        var second = await env.UserAsync("admin2@test.example", "administrator", null);
        await WithdrawnCaseWithFileAsync(env);
        env.Time.Advance(TimeSpan.FromDays(61 * 31));
        var report = (await Reporter(env).HandleAsync(first))!;

        var results = await Task.WhenAll(
            Task.Run(() => Applier(env).HandleAsync(new ApplyRetentionReport.Request(report.Id), first)),
            Task.Run(() => Applier(env).HandleAsync(new ApplyRetentionReport.Request(report.Id), second)));

        Assert.Single(results, r => r.Status == CaseCommandStatus.Done);
        Assert.Single(results, r => r.Status is CaseCommandStatus.Conflict or CaseCommandStatus.Refused);
        Assert.Equal(1, await ScalarAsync<int>("SELECT COUNT(*) FROM administration_log WHERE action = @action", new { action = RetentionActions.Applied }));
    }

    [SkippableFact]
    public async Task Applied_automatically_the_nightly_run_applies_only_what_the_previous_night_reported()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        options.Retention.Apply = RetentionApplication.Automatically;
        await WithdrawnCaseWithFileAsync(env);
        env.Time.Advance(TimeSpan.FromDays(61 * 31));
        var nightly = new RunRetentionNightly(Store, Reporter(env), Applier(env), options, env.Time);

        var firstNight = await nightly.HandleAsync();

        Assert.Null(firstNight.Applied); // nothing was reported before: the first night only reports
        Assert.Single(firstNight.Report.Items.Attachments);
        Assert.Equal(0, await ScalarAsync<int>("SELECT COUNT(*) FROM case_attachments WHERE removed_at IS NOT NULL"));

        env.Time.Advance(TimeSpan.FromDays(1));
        var secondNight = await nightly.HandleAsync();

        Assert.NotNull(secondNight.Applied);
        Assert.Contains("1 file removed", secondNight.Applied, StringComparison.Ordinal);
        Assert.Empty(secondNight.Report.Items.Attachments);
        Assert.Equal(1, await ScalarAsync<int>("SELECT COUNT(*) FROM case_attachments WHERE removed_at IS NOT NULL"));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteRetentionTests(SqliteFixture fixture) : RetentionTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresRetentionTests(PostgresFixture fixture) : RetentionTests(fixture);
