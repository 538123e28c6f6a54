using System.Globalization;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Testing.Seeding;

namespace TIBS.Cases.IntegrationTests.Seeding;

/// <summary>
/// The seed (decision 0050) at a small size: the programme it loads covers every country, region, version and stage in
/// plausible shares, the same seed gives the same rows, and the application's own checks accept what it wrote: the audit
/// verifier, the step completion handler, the register-number rules, the case list and My work.
/// </summary>
public abstract class SeedCommandTests(DatabaseFixture fixture)
{
    private static readonly string Workflows = Path.Combine(CaseEnvironment.RepositoryRoot(), "workflows");

    private protected async Task<(string Connection, SeedReport Report)> SeedAsync(int cases, int companies, int seed, int workers = 2)
    {
        fixture.EnsureAvailable();
        var connection = await fixture.CreateEmptyDatabaseAsync();
        var report = await ProgrammeSeeder.RunAsync(fixture.Provider, connection,
            new SeedOptions(cases, companies, seed) { WalksPerVersion = 12, CasesPerBatch = 64, Workers = workers }, Workflows);
        return (connection, report);
    }

    [SkippableFact]
    public async Task The_seeded_programme_covers_every_country_region_version_and_stage_and_passes_the_applications_checks()
    {
        var (connection, report) = await SeedAsync(200, 100, 42);
        var factory = new ConnectionFactory(fixture.Provider, connection);
        await using var c = await factory.OpenAsync();

        // Companies: every region of the eight countries, each with a register number the application accepts.
        var companies = (await c.QueryAsync<(string Country, string Region, string Register, string Size)>(
            "SELECT country_code, region_code, register_number, size_class FROM companies")).ToList();
        Assert.Equal(100, companies.Count);
        Assert.Equal(["DE", "DK", "EE", "FI", "LT", "LV", "PL", "SE"], companies.Select(x => x.Country.Trim()).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(11, companies.Select(x => x.Region).Distinct().Count());
        Assert.All(companies, x => Assert.Equal(x.Register, RegisterNumbers.Normalise(x.Country.Trim(), x.Register).Number));
        Assert.InRange(companies.Count(x => SizeClasses.Sme.Contains(x.Size)), 70, 100);
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM companies WHERE id NOT IN (SELECT company_id FROM company_nace_codes) OR id NOT IN (SELECT company_id FROM company_s3_areas)"));
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(DISTINCT nace_code) FROM company_nace_codes") >= 8);
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(DISTINCT s3_code) FROM company_s3_areas") >= 6);

        // Cases: every shipped version, open, on hold, overdue, withdrawn and closed with more than one outcome.
        var now = new SeedOptions(0, 0, 0).Now;
        var cases = (await c.QueryAsync<(Guid Id, string Status, string Step, DateTimeOffset? Due, int Version)>(
            "SELECT c.id, c.status, c.current_step, c.step_due_at, v.number FROM cases c JOIN workflow_versions v ON v.id = c.definition_version_id")).ToList();
        Assert.Equal(200, cases.Count);
        Assert.Equal([1, 2, 3, 4, 5], cases.Select(x => x.Version).Distinct().Order());

        // Reference numbers follow the order the cases opened in each region and year, as the application gives them.
        var references = (await c.QueryAsync<(string Reference, string Region, DateTimeOffset Opened)>("SELECT reference, region_code, opened_at FROM cases")).ToList();
        Assert.All(references.GroupBy(x => (x.Region, x.Opened.Year)), year =>
        {
            var byOpening = year.OrderBy(x => x.Opened).ThenBy(x => x.Reference, StringComparer.Ordinal).Select(x => x.Reference).ToList();
            Assert.Equal(Enumerable.Range(1, byOpening.Count).Select(n => string.Create(CultureInfo.InvariantCulture, $"{year.Key.Region}-{year.Key.Year}-{n:0000}")), byOpening);
        });
        Assert.InRange(cases.Count(x => x.Status == CaseStatus.Active), 40, 140);
        Assert.InRange(cases.Count(x => x.Status == CaseStatus.OnHold), 4, 40);
        Assert.InRange(cases.Count(x => x.Status == CaseStatus.Closed), 40, 140);
        Assert.InRange(cases.Count(x => x.Status == CaseStatus.Active && x.Due < now), 10, 80);
        Assert.Contains(cases, x => x.Step == "withdrawn");
        Assert.True(cases.Where(x => x.Status == CaseStatus.Closed && x.Step != "withdrawn").Select(x => x.Step).Distinct().Count() >= 2);
        Assert.True(cases.Where(x => x.Status == CaseStatus.Active).Select(x => x.Step).Distinct().Count() >= 6);
        foreach (var table in new[] { "case_participants", "case_steps", "case_events", "reminders", "case_notes", "case_attachments", "case_check_ins", "case_tracks" })
        {
            Assert.True(await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM {table}") > 0, $"{table} is empty");
        }

        Assert.Equal(report.Tables["case_events"].Rows, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM case_events"));

        // The overview's counts of open cases agree with a count over the seeded cases, group by group.
        var counted = (await c.QueryAsync<(string Region, Guid Version, string Step, string Status, DateTimeOffset? Due)>(
                "SELECT region_code, definition_version_id, current_step, status, step_due_at FROM cases WHERE status <> 'closed'"))
            .GroupBy(x => (x.Region, x.Version, x.Step, x.Status, Due: x.Due?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
            .Select(g => $"{g.Key} {g.Count()}").Order(StringComparer.Ordinal).ToList();
        var kept = (await c.QueryAsync<(string Region, Guid Version, string Step, string Status, string? Due, long Cases)>(
                "SELECT region_code, definition_version_id, current_step, status, CAST(due_on AS TEXT), SUM(cases) FROM open_case_counts GROUP BY region_code, definition_version_id, current_step, status, due_on HAVING SUM(cases) <> 0"))
            .Select(x => $"{(x.Region, x.Version, x.Step, x.Status, x.Due)} {x.Cases}").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(kept);
        Assert.Equal(counted, kept);

        // The strategies per region and day agree with the seeded cases (opened on one day, completed or withdrawn on another).
        var strategies = (await c.QueryAsync<(string Region, DateTimeOffset Opened, string Status, string Step, DateTimeOffset? Closed)>(
                "SELECT region_code, opened_at, status, current_step, closed_at FROM cases"))
            .SelectMany(x => new[] { (x.Region, Day: x.Opened.UtcDateTime.Date, Opened: 1, Completed: 0, Withdrawn: 0) }
                .Concat(x is { Status: "closed", Closed: { } closed } && x.Step is "completed" or "withdrawn"
                    ? [(x.Region, closed.UtcDateTime.Date, 0, x.Step == "completed" ? 1 : 0, x.Step == "withdrawn" ? 1 : 0)]
                    : []))
            .GroupBy(x => (x.Region, x.Day))
            .Select(g => $"{g.Key.Region} {g.Key.Day:yyyy-MM-dd} {g.Sum(x => x.Opened)} {g.Sum(x => x.Completed)} {g.Sum(x => x.Withdrawn)}").Order(StringComparer.Ordinal).ToList();
        var keptStrategies = (await c.QueryAsync<(string Region, string Day, long Opened, long Completed, long Withdrawn)>(
                "SELECT region_code, CAST(on_day AS TEXT), SUM(opened), SUM(completed), SUM(withdrawn) FROM strategy_counts GROUP BY region_code, on_day HAVING SUM(opened) <> 0 OR SUM(completed) <> 0 OR SUM(withdrawn) <> 0"))
            .Select(x => $"{x.Region} {x.Day[..10]} {x.Opened} {x.Completed} {x.Withdrawn}").Order(StringComparer.Ordinal).ToList();
        Assert.Contains(keptStrategies, x => !x.EndsWith(" 0 0", StringComparison.Ordinal));
        Assert.Equal(strategies, keptStrategies);

        // The overview's escalated cases: each case's sent escalations of steps still open.
        var escalations = (await c.QueryAsync<(Guid Case, long Escalations)>(
                "SELECT r.case_id, COUNT(*) FROM reminders r JOIN case_steps s ON s.id = r.case_step_id WHERE r.kind = 'escalation' AND r.status = 'sent' AND s.completed_at IS NULL GROUP BY r.case_id"))
            .OrderBy(x => x.Case).ToList();
        Assert.NotEmpty(escalations);
        Assert.Equal(escalations, (await c.QueryAsync<(Guid Case, long Escalations)>("SELECT id, CAST(open_escalations AS bigint) FROM cases WHERE open_escalations <> 0")).OrderBy(x => x.Case).ToList());

        // The partner search's companies per country agree with the seeded companies.
        var perCountry = await c.QueryAsync<(string Country, long Companies)>("SELECT country_code, COUNT(*) FROM companies GROUP BY country_code ORDER BY country_code");
        var keptPerCountry = await c.QueryAsync<(string Country, long Companies)>("SELECT country_code, SUM(companies) FROM company_counts GROUP BY country_code HAVING SUM(companies) <> 0 ORDER BY country_code");
        Assert.True(perCountry.Count() > 3);
        Assert.Equal(perCountry, keptPerCountry);

        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE status = 'pending'") > 0);
        Assert.True(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE status = 'sent'") > 0);

        // The application's own audit verifier accepts every seeded chain.
        var time = new FakeTimeProvider(now);
        var commands = await CaseCommands.CreateAsync(factory, time, new FileSystemAttachmentStorage(Path.Combine(Path.GetTempPath(), "tibs-tests", "seed-" + Guid.NewGuid().ToString("N"))));
        foreach (var (id, _, _, _, _) in cases)
        {
            var verification = await commands.VerifyAuditAsync(id);
            Assert.True(verification!.IsIntact, verification.Message);
        }

        // A seeded open case moves on through the product's step completion, by its own broker.
        var open = cases.First(x => x.Status == CaseStatus.Active && x.Step is "intake" or "first-contact" or "needs-assessment");
        var details = (await commands.GetDetailsAsync(open.Id))!;
        var owner = (await new UserStore(factory).FindByIdAsync(details.Case.OwnerUserId))!.AsActor();
        var step = details.CurrentStep!;
        var outcome = step.Outcomes.First(o => !o.LeadsToEndState);
        var result = await commands.CompleteStepAsync(open.Id, details.Case.Version, outcome.Key,
            FormFiller.Fill(step.Fields, details.Case.LeadCompanyId, new Dictionary<string, string> { ["contact-data-consent"] = "yes" }), owner);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(outcome.Target, result.Case!.CurrentStep);
        Assert.True((await commands.VerifyAuditAsync(open.Id))!.IsIntact);

        // The case list and My work of a Latvian broker show the seeded cases of Vidzeme.
        var latvian = await c.QueryFirstAsync<(string Reference, string Email)>(
            "SELECT c.reference, u.email FROM cases c JOIN users u ON u.id = c.owner_user_id WHERE c.region_code = 'LV008' AND c.status = 'active' ORDER BY c.reference");
        using var web = SeededWeb(connection);
        var client = web.CreateClient();
        var signIn = await client.GetDocumentAsync("/account/sign-in");
        var home = await HtmlForms.ParseAsync(await client.SubmitAsync(signIn, "/account/sign-in", new Dictionary<string, string> { ["Email"] = latvian.Email, ["Password"] = SeedOptions.Password }));
        Assert.NotNull(home.QuerySelector(".who"));
        var list = await client.GetDocumentAsync("/cases?q=" + Uri.EscapeDataString(latvian.Reference));
        Assert.Contains(latvian.Reference, list.Body!.TextContent, StringComparison.Ordinal);
        var work = await client.GetDocumentAsync("/work");
        Assert.Contains(work.QuerySelectorAll("#open-steps tbody tr"), r => r.TextContent.Contains("LV008-", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task The_seeded_database_has_every_index_key_and_trigger_of_the_schema_each_key_checked()
    {
        // The seed drops indexes and keys and disables the counting triggers for the load, and puts them back after it:
        // what it leaves must be what the schema scripts make, and on PostgreSQL every key must have been checked over
        // its table.
        var (seeded, _) = await SeedAsync(40, 20, 5);
        var empty = await fixture.CreateEmptyDatabaseAsync();
        var emptyFactory = new ConnectionFactory(fixture.Provider, empty);
        await new TIBS.Cases.Data.Schema.SchemaMigrator(emptyFactory, Microsoft.Extensions.Logging.Abstractions.NullLogger<TIBS.Cases.Data.Schema.SchemaMigrator>.Instance, TimeProvider.System)
            .MigrateAsync(TimeSpan.Zero);
        var (seededIndexes, seededKeys) = await IndexesAndKeysAsync(seeded);
        var (schemaIndexes, schemaKeys) = await IndexesAndKeysAsync(empty);
        Assert.Equal(schemaIndexes, seededIndexes);
        Assert.Equal(schemaKeys, seededKeys);
        Assert.Contains(seededKeys, k => k.StartsWith("reminders:", StringComparison.Ordinal));
        Assert.Contains(seededKeys, k => k.StartsWith("cases:", StringComparison.Ordinal) && k.Contains("PRIMARY KEY", StringComparison.Ordinal) == (fixture.Provider == DatabaseProvider.Postgres));
        Assert.Equal(await TriggersAsync(empty), await TriggersAsync(seeded));

        await using var c = await new ConnectionFactory(fixture.Provider, seeded).OpenAsync();
        if (fixture.Provider == DatabaseProvider.Postgres)
        {
            Assert.Empty(await c.QueryAsync<string>("SELECT conname FROM pg_constraint WHERE connamespace = current_schema()::regnamespace AND NOT convalidated"));
            Assert.Empty(await c.QueryAsync<string>("SELECT relname FROM pg_stat_user_tables WHERE relname IN ('cases', 'case_events', 'reminders', 'companies') AND last_analyze IS NULL AND last_autoanalyze IS NULL"));
        }
        else
        {
            Assert.Empty(await c.QueryAsync("PRAGMA foreign_key_check"));

            // Each seeded table is analysed right after its indexes are built: every one of them has its statistics.
            var seededTables = SeedTables.All.Select(t => t.Name).ToList();
            Assert.Empty(await c.QueryAsync<string>(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN @seededTables AND name NOT IN (SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL)",
                new { seededTables }));
            Assert.Empty(seededTables.Except(await c.QueryAsync<string>("SELECT DISTINCT tbl FROM sqlite_stat1")));
        }
    }

    /// <summary>Every trigger by table and name, with whether it fires (PostgreSQL) or its text (SQLite).</summary>
    private async Task<IReadOnlyList<string>> TriggersAsync(string connection)
    {
        await using var c = await new ConnectionFactory(fixture.Provider, connection).OpenAsync();
        var triggers = fixture.Provider == DatabaseProvider.Postgres
            ? await c.QueryAsync<string>("SELECT t.tgrelid::regclass::text || ':' || t.tgname || ':' || t.tgenabled::text FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal AND r.relnamespace = current_schema()::regnamespace ORDER BY 1")
            : await c.QueryAsync<string>("SELECT tbl_name || ':' || name || ':' || sql FROM sqlite_master WHERE type = 'trigger' ORDER BY 1");
        Assert.NotEmpty(triggers);
        return [.. triggers];
    }

    /// <summary>Every index by table and name, and every constraint (PostgreSQL: primary, unique, foreign, check) or foreign key (SQLite).</summary>
    private async Task<(IReadOnlyList<string> Indexes, IReadOnlyList<string> Keys)> IndexesAndKeysAsync(string connection)
    {
        await using var c = await new ConnectionFactory(fixture.Provider, connection).OpenAsync();
        if (fixture.Provider == DatabaseProvider.Postgres)
        {
            var indexes = await c.QueryAsync<string>("SELECT tablename || ':' || indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1");
            var keys = await c.QueryAsync<string>(
                "SELECT conrelid::regclass::text || ':' || conname || ':' || pg_get_constraintdef(oid) || ':' || conindid::regclass::text FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 1");
            return ([.. indexes], [.. keys]);
        }

        var sqliteIndexes = await c.QueryAsync<string>("SELECT tbl_name || ':' || name || ':' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY 1");
        var sqliteKeys = await c.QueryAsync<string>(
            "SELECT m.name || ':' || k.\"from\" || '->' || k.\"table\" || '.' || COALESCE(k.\"to\", '') FROM sqlite_master m, pragma_foreign_key_list(m.name) k WHERE m.type = 'table' ORDER BY 1");
        return ([.. sqliteIndexes], [.. sqliteKeys]);
    }

    [SkippableFact]
    public async Task The_same_seed_gives_the_same_rows_and_another_seed_other_rows()
    {
        var (first, _) = await SeedAsync(40, 30, 7);
        var (second, _) = await SeedAsync(40, 30, 7);
        var (other, _) = await SeedAsync(40, 30, 8);
        var a = await RowsAsync(first);
        Assert.Equal(a, await RowsAsync(second));
        Assert.NotEqual(a, await RowsAsync(other));
    }

    [SkippableFact]
    public async Task The_rows_are_the_same_whatever_the_number_of_threads_generating_them()
    {
        // 150 cases: batches of 64 split into chunks that the threads take in whatever order they get to them.
        var (one, _) = await SeedAsync(150, 30, 11, workers: 1);
        var (three, _) = await SeedAsync(150, 30, 11, workers: 3);
        Assert.Equal(await RowsAsync(one), await RowsAsync(three));
    }

    private async Task<string> RowsAsync(string connection)
    {
        await using var c = await new ConnectionFactory(fixture.Provider, connection).OpenAsync();
        var companies = await c.QueryAsync<(Guid, string, string)>("SELECT id, name, register_number FROM companies ORDER BY id");
        var cases = await c.QueryAsync<(Guid, string, string, string, string)>("SELECT id, reference, title, current_step, audit_head_hash FROM cases ORDER BY id");
        var counts = new List<long>();
        foreach (var table in new[] { "case_events", "reminders", "case_notes", "case_participants" })
        {
            counts.Add(await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        }

        return string.Join("\n", companies.Select(x => x.ToString())) + "\n" + string.Join("\n", cases.Select(x => x.ToString())) + "\n" + string.Join(",", counts.Select(n => n.ToString(CultureInfo.InvariantCulture)));
    }

    private static TibsWebFactory SeededWeb(string connection) => new(new Dictionary<string, string?>
    {
        ["Database:Provider"] = connection.Contains("Host=", StringComparison.OrdinalIgnoreCase) ? "Postgres" : "Sqlite",
        ["Database:ConnectionString"] = connection,
        ["Demo:Enabled"] = "false",
        ["DataProtection:KeyFile"] = TibsWebFactory.NewKeyFile(),
        ["SignIn:AddressPermitLimit"] = "10000",
        ["SignIn:FreeFailuresPerAddress"] = "1000",
        ["Authentication:RequireTwoStepFor"] = "none",
    });
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteSeedCommandTests(SqliteFixture fixture) : SeedCommandTests(fixture)
{
    /// <summary>
    /// The SQLite seed checks its keys set by set (<see cref="SqliteKeyCheck"/>) rather than with the pragma: it must
    /// find every broken key the pragma finds, whether its column is read from an index (a reminder's case), from a
    /// partial index and the table for the rows the index leaves out (a reminder's step), or from the table (an event's
    /// actor).
    /// </summary>
    [SkippableFact]
    public async Task The_seeds_key_check_finds_each_key_with_no_parent_as_the_pragma_does()
    {
        var (seeded, _) = await SeedAsync(30, 20, 3);
        await using var c = await new ConnectionFactory(DatabaseProvider.Sqlite, seeded).OpenAsync();
        var checks = await SqliteKeyCheck.PlanAsync(c, SeedTables.All.Select(t => (t.Name, 0L)));
        Assert.Contains(checks, k => k is { Table: "reminders", ReadsTable: true });
        Assert.Contains(checks, k => k is { Table: "reminders", ReadsTable: false });
        Assert.Empty(await BrokenAsync(c, checks));

        var nobody = Guid.NewGuid();
        var reminder = await c.ExecuteScalarAsync<string>("SELECT id FROM reminders ORDER BY id LIMIT 1");
        var broken = new (string Change, string Expected)[]
        {
            ($"UPDATE reminders SET case_id = '{nobody}' WHERE id = '{reminder}'", $"reminders: case_id → cases ({nobody})"),
            ($"UPDATE reminders SET case_step_id = '{nobody}' WHERE id = '{reminder}'", $"reminders: case_step_id → case_steps ({nobody})"),
            ($"UPDATE reminders SET case_step_id = '{nobody}', notice_key = NULL WHERE id = '{reminder}'", "reminders: case_step_id → case_steps (row "),
            ($"UPDATE case_events SET actor_user_id = '{nobody}' WHERE seq = 1 AND case_id = (SELECT MIN(case_id) FROM case_events)", "case_events: actor_user_id → users (row "),
            ($"UPDATE cases SET region_code = 'XX99' WHERE id = (SELECT MIN(id) FROM cases)", "cases: region_code → regions (XX99)"),
        };

        await c.ExecuteAsync("PRAGMA foreign_keys = OFF");
        foreach (var (change, expected) in broken)
        {
            await c.ExecuteAsync("BEGIN TRANSACTION");
            Assert.Equal(1, await c.ExecuteAsync(change));
            var found = await BrokenAsync(c, checks);
            var pragma = (await c.QueryAsync<(string Table, long Row, string Parent, long Key)>("PRAGMA foreign_key_check")).ToList();
            await c.ExecuteAsync("ROLLBACK TRANSACTION");
            Assert.StartsWith(expected, Assert.Single(found), StringComparison.Ordinal);
            Assert.Equal(expected[..expected.IndexOf(':', StringComparison.Ordinal)], Assert.Single(pragma).Table);
        }

        Assert.Empty(await BrokenAsync(c, checks));
    }

    private static async Task<List<string>> BrokenAsync(System.Data.Common.DbConnection c, IEnumerable<SqliteKeyCheck.Check> checks)
    {
        var found = new List<string>();
        foreach (var check in checks)
        {
            if (await SqliteKeyCheck.RunAsync(c, check) is { } broken)
            {
                found.Add(broken);
            }
        }

        return found;
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSeedCommandTests(PostgresFixture fixture) : SeedCommandTests(fixture);
