using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// Upgrades from the previous release's data: a database is migrated up to the script before N, filled through the
/// shapes of that time (plain SQL), migrated through N, and the data is checked, then read by the product's own stores
/// once the schema is current. A script that changes or moves existing data is listed in
/// <see cref="SchemaScriptPolicyTests.DataMigrations"/> with the test that proves it.
/// </summary>
public abstract partial class SchemaUpgradeTests(DatabaseFixture fixture)
{
    private static readonly DateTimeOffset Then = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A database as the release before script <paramref name="script"/> left it, and the way on.</summary>
    private sealed class Upgrade(ConnectionFactory factory, string script)
    {
        public ConnectionFactory Factory => factory;

        private SchemaMigrator Migrator { get; } = new(factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System);

        public async Task<System.Data.Common.DbConnection> OpenAsync() => await factory.OpenAsync();

        /// <summary>Applies script N alone and checks it was the only one.</summary>
        public async Task ApplyAsync()
        {
            var report = await Migrator.MigrateThroughAsync(script);
            Assert.Equal([script], report.Applied.Select(a => Path.GetFileName(a)![..4]));
        }

        /// <summary>Applies the rest, as the current release does at start-up.</summary>
        public async Task CompleteAsync() => await Migrator.MigrateAsync(TimeSpan.Zero);

        public static async Task<Upgrade> BeforeAsync(DatabaseFixture fixture, string script)
        {
            var names = SchemaMigrator.ScriptNames(fixture.Provider).Select(n => Path.GetFileName(n)![..4]).ToList();
            var at = names.IndexOf(script);
            Assert.True(at > 0, $"script {script} is not one of this build's");
            var factory = new ConnectionFactory(fixture.Provider, await fixture.CreateEmptyDatabaseAsync());
            var upgrade = new Upgrade(factory, script);
            await upgrade.Migrator.MigrateThroughAsync(names[at - 1]);
            return upgrade;
        }
    }

    private static async Task InsertUserAsync(System.Data.Common.DbConnection c, Guid id, string email, string role, string? region, string? culture = null)
    {
        await c.ExecuteAsync(
            $"""
            INSERT INTO users (id, email, display_name, role, region_code, password_hash, security_stamp, created_at, updated_at{(culture is null ? "" : ", culture")})
            VALUES (@id, @email, @email, @role, @region, 'hash', 'stamp', @Then, @Then{(culture is null ? "" : ", @culture")})
            """,
            new { id, email, role, region, culture, Then });
    }

    /// <summary>A definition with one published version, as the scripts of the counts (0038 on) found them.</summary>
    private static async Task InsertPublishedVersionAsync(System.Data.Common.DbConnection c, Guid definition, Guid version)
    {
        await c.ExecuteAsync("INSERT INTO workflow_definitions (id, definition_key, name, created_at) VALUES (@definition, 'jss', 'Joint smart strategy', @Then)", new { definition, Then });
        await c.ExecuteAsync(
            "INSERT INTO workflow_versions (id, definition_id, number, status, content, content_hash, source, created_at) VALUES (@version, @definition, 1, 'published', 'x', @hash, 'file', @Then)",
            new { version, definition, hash = new string('a', 64), Then });
    }

    private static async Task InsertCompanyAsync(System.Data.Common.DbConnection c, Guid id, string name)
    {
        await c.ExecuteAsync(
            "INSERT INTO companies (id, name, country_code, region_code, size_class, created_at, updated_at, version) VALUES (@id, @name, 'LV', 'LV008', 'small', @Then, @Then, 1)",
            new { id, name, Then });
    }

    [SkippableFact]
    public async Task Script_0007_makes_the_unmailed_reminder_notices_due_for_mail()
    {
        fixture.EnsureAvailable();
        var upgrade = await Upgrade.BeforeAsync(fixture, "0007");
        var user = Guid.CreateVersion7();
        var (reminder, other, mailed) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var c = await upgrade.OpenAsync())
        {
            await InsertUserAsync(c, user, "liga@example.org", "broker", "LV008");
            const string insert = """
                INSERT INTO notifications (id, user_id, kind, title, body, delivery_key, created_at, emailed_at)
                VALUES (@id, @user, 'reminder', 'Step due', 'The step is due.', @key, @Then, @emailed)
                """;
            await c.ExecuteAsync(insert, new { id = reminder, user, key = "reminder:a", Then, emailed = (DateTimeOffset?)null });
            await c.ExecuteAsync(insert, new { id = other, user, key = "case:b", Then, emailed = (DateTimeOffset?)null });
            await c.ExecuteAsync(insert, new { id = mailed, user, key = "reminder:c", Then, emailed = (DateTimeOffset?)Then.AddMinutes(5) });
        }

        await upgrade.ApplyAsync();
        await upgrade.CompleteAsync();

        var store = new NotificationStore(upgrade.Factory);
        var due = await store.ListMailDueAsync(Then.AddDays(1), 10);
        Assert.Equal([reminder], due.Select(d => d.NotificationId));
        Assert.Equal(3, (await store.ListForUserAsync(user, unreadOnly: false, 10)).Count);
    }

    [SkippableFact]
    public async Task Script_0021_gives_each_user_their_home_region_as_covered_region()
    {
        fixture.EnsureAvailable();
        var upgrade = await Upgrade.BeforeAsync(fixture, "0021");
        var (broker, coordinator) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var c = await upgrade.OpenAsync())
        {
            await InsertUserAsync(c, broker, "liga@example.org", "broker", "LV008");
            await InsertUserAsync(c, coordinator, "anna@example.org", "coordinator", null);
        }

        await upgrade.ApplyAsync();
        await using (var c = await upgrade.OpenAsync())
        {
            var rows = (await c.QueryAsync<(string UserId, string RegionCode)>("SELECT CAST(user_id AS varchar(40)), region_code FROM user_regions")).ToList();
            Assert.Equal([(broker.ToString(), "LV008")], rows.Select(r => (r.UserId.ToLowerInvariant(), r.RegionCode)));
        }

        await upgrade.CompleteAsync();
        var users = new UserStore(upgrade.Factory);
        Assert.Equal(["LV008"], (await users.FindByIdAsync(broker))!.Regions);
        Assert.Empty((await users.FindByIdAsync(coordinator))!.Regions);
    }

    [SkippableFact]
    public async Task Script_0024_keeps_the_reminders_of_cases_and_the_notices_that_point_at_them()
    {
        fixture.EnsureAvailable();
        var upgrade = await Upgrade.BeforeAsync(fixture, "0024");
        var (user, company, definition, version, @case, step, reminder, notice) =
            (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var due = Then.AddDays(14);
        await using (var c = await upgrade.OpenAsync())
        {
            await InsertUserAsync(c, user, "liga@example.org", "broker", "LV008");
            await InsertCompanyAsync(c, company, "Baltic Amber Works");
            await InsertPublishedVersionAsync(c, definition, version);
            await c.ExecuteAsync(
                """
                INSERT INTO cases (id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_step,
                    step_started_at, data, version, audit_head_hash, audit_count, opened_at, updated_at)
                VALUES (@case, 'LV008-2026-0001', 'Amber in smart packaging', @version, @company, 'LV008', @user, 'open', 'intake',
                    @Then, '{}', 1, @hash, 0, @Then, @Then)
                """,
                new { @case, version, company, user, hash = new string('0', 64), Then });
            await c.ExecuteAsync("INSERT INTO case_steps (id, case_id, step_key, started_at, due_at) VALUES (@step, @case, 'intake', @Then, @due)", new { step, @case, Then, due });
            await c.ExecuteAsync(
                """
                INSERT INTO reminders (id, case_id, case_step_id, step_key, kind, recipient_role, due_at, status, attempts, created_at, notice_key, description)
                VALUES (@reminder, @case, @step, 'intake', 'due', 'broker', @due, 'pending', 2, @Then, 'intake-due', 'Intake is due')
                """,
                new { reminder, @case, step, due, Then });
            await c.ExecuteAsync(
                """
                INSERT INTO notifications (id, user_id, case_id, reminder_id, kind, title, body, delivery_key, created_at)
                VALUES (@notice, @user, @case, @reminder, 'reminder', 'Intake is due', 'LV008-2026-0001: intake is due.', 'reminder:x', @Then)
                """,
                new { notice, user, @case, reminder, Then });
        }

        await upgrade.ApplyAsync();
        await using (var c = await upgrade.OpenAsync())
        {
            Assert.Equal("case", await c.ExecuteScalarAsync<string>("SELECT subject_kind FROM reminders"));
            Assert.Null(await c.ExecuteScalarAsync<string?>("SELECT CAST(subject_id AS varchar(40)) FROM reminders"));
            Assert.Equal(reminder.ToString(), (await c.ExecuteScalarAsync<string>("SELECT CAST(reminder_id AS varchar(40)) FROM notifications"))!.ToLowerInvariant());
        }

        await upgrade.CompleteAsync();
        var kept = (await new ReminderStore(upgrade.Factory).GetAsync(reminder))!;
        Assert.Equal((@case, step, "intake-due", "Intake is due", 2, due), (kept.CaseId, kept.CaseStepId, kept.NoticeKey, kept.Description, kept.Attempts, kept.DueAt));
        Assert.Equal(Core.Cases.ReminderSubjects.Case, kept.SubjectKind);
        Assert.Equal("Intake is due", Assert.Single(await new NotificationStore(upgrade.Factory).ListForUserAsync(user, unreadOnly: false, 10)).Title);
    }

    [SkippableFact]
    public async Task Script_0028_keeps_the_contacts_with_no_legal_basis_and_not_erased()
    {
        fixture.EnsureAvailable();
        var upgrade = await Upgrade.BeforeAsync(fixture, "0028");
        var (company, contact) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var c = await upgrade.OpenAsync())
        {
            await InsertCompanyAsync(c, company, "Baltic Amber Works");
            await c.ExecuteAsync(
                """
                INSERT INTO company_contacts (id, company_id, name, role, email, phone, consent_date, consent_purpose)
                VALUES (@contact, @company, 'Jānis Bērziņš', 'CEO', 'janis@example.lv', '+371 2000 0000', @consent, 'Partner search')
                """,
                new { contact, company, consent = new DateOnly(2026, 4, 1) });
        }

        await upgrade.ApplyAsync();
        await using (var c = await upgrade.OpenAsync())
        {
            var row = await c.QuerySingleAsync<(string? Basis, string? Erased)>("SELECT consent_legal_basis, CAST(erased_at AS varchar(40)) FROM company_contacts");
            Assert.Equal((null, null), row);
        }

        await upgrade.CompleteAsync();
        var read = Assert.Single((await new CompanyStore(upgrade.Factory).GetAsync(company))!.Contacts);
        Assert.Equal(("Jānis Bērziņš", "janis@example.lv", "Partner search", new DateOnly(2026, 4, 1)), (read.Name, read.Email, read.ConsentPurpose, read.ConsentDate));
        Assert.Null(read.ConsentLegalBasis);
    }

    [SkippableFact]
    public async Task Script_0030_carries_a_chosen_language_over_and_leaves_the_rest_to_the_browser()
    {
        fixture.EnsureAvailable();
        var upgrade = await Upgrade.BeforeAsync(fixture, "0030");
        var (latvian, english, unset) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var c = await upgrade.OpenAsync())
        {
            await InsertUserAsync(c, latvian, "liga@example.org", "broker", "LV008", culture: "lv");
            await InsertUserAsync(c, english, "anna@example.org", "coordinator", null, culture: "en");
            await InsertUserAsync(c, unset, "jan@example.org", "broker", "DE60");
        }

        await upgrade.ApplyAsync();
        await upgrade.CompleteAsync();

        var users = new UserStore(upgrade.Factory);
        var read = new[] { latvian, english, unset }.Select(id => users.FindByIdAsync(id).GetAwaiter().GetResult()!).ToList();
        Assert.Equal(["lv", null, null], read.Select(u => u.Language));
        Assert.All(read, u => Assert.Null(u.TimeZone));
        Assert.Equal(["liga@example.org", "anna@example.org", "jan@example.org"], read.Select(u => u.Email));
    }

    [SkippableFact]
    public async Task Script_0032_lists_the_companies_written_before_it_in_the_alphabet_of_the_language()
    {
        fixture.EnsureAvailable();
        var upgrade = await Upgrade.BeforeAsync(fixture, "0032");
        await using (var c = await upgrade.OpenAsync())
        {
            foreach (var name in new[] { "Zeme", "Čiekurs", "Cits", "Ābele", "Bite" })
            {
                await InsertCompanyAsync(c, Guid.CreateVersion7(), name);
            }
        }

        await upgrade.ApplyAsync();
        await upgrade.CompleteAsync();

        var store = new CompanyStore(upgrade.Factory);
        var latvian = await store.SearchAsync(new CompanySearch { RegionCode = "LV008", Order = NameOrder.For(CultureInfo.GetCultureInfo("lv")) });
        var english = await store.SearchAsync(new CompanySearch { RegionCode = "LV008", Order = NameOrder.For(CultureInfo.GetCultureInfo("en")) });
        Assert.Equal(["Ābele", "Bite", "Cits", "Čiekurs", "Zeme"], latvian.Items.Select(i => i.Name));
        Assert.Equal(["Ābele", "Bite", "Čiekurs", "Cits", "Zeme"], english.Items.Select(i => i.Name));
    }

    [SkippableFact]
    public async Task Script_0033_keeps_the_notifications_written_before_templates()
    {
        fixture.EnsureAvailable();
        var upgrade = await Upgrade.BeforeAsync(fixture, "0033");
        var (user, notice) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var c = await upgrade.OpenAsync())
        {
            await InsertUserAsync(c, user, "liga@example.org", "broker", "LV008", culture: "lv");
            await c.ExecuteAsync(
                "INSERT INTO notifications (id, user_id, kind, title, body, delivery_key, created_at) VALUES (@notice, @user, 'assigned', 'Jauns uzdevums', 'Jums ir jauns uzdevums.', 'case:1', @Then)",
                new { notice, user, Then });
        }

        await upgrade.ApplyAsync();
        await upgrade.CompleteAsync();

        var read = Assert.Single(await new NotificationStore(upgrade.Factory).ListForUserAsync(user, unreadOnly: false, 10));
        Assert.Equal(("Jauns uzdevums", "Jums ir jauns uzdevums.", Then), (read.Title, read.Body, read.CreatedAt));
        Assert.Null(read.Template);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteSchemaUpgradeTests(SqliteFixture fixture) : SchemaUpgradeTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaUpgradeTests(PostgresFixture fixture) : SchemaUpgradeTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerSchemaUpgradeTests(SqlServerFixture fixture) : SchemaUpgradeTests(fixture);

/// <summary>
/// Every schema script is additive (new tables, indexes, nullable or defaulted columns), or changes existing data and
/// names the test that fills a database through the previous shapes, applies it and checks the data.
/// </summary>
public sealed partial class SchemaScriptPolicyTests
{
    /// <summary>The scripts that change, move or drop existing data, each with the test that proves its data migration.</summary>
    public static readonly Dictionary<string, string> DataMigrations = new()
    {
        ["0007_mail_at_least_once.sql"] = nameof(SchemaUpgradeTests.Script_0007_makes_the_unmailed_reminder_notices_due_for_mail),
        ["0014_events_feed.sql"] = nameof(Events.EventFeedTests.Events_written_before_the_feed_existed_were_numbered_in_chain_order),
        ["0021_user_administration.sql"] = nameof(SchemaUpgradeTests.Script_0021_gives_each_user_their_home_region_as_covered_region),
        ["0024_training_and_certification.sql"] = nameof(SchemaUpgradeTests.Script_0024_keeps_the_reminders_of_cases_and_the_notices_that_point_at_them),
        ["0030_languages_and_time_zones.sql"] = nameof(SchemaUpgradeTests.Script_0030_carries_a_chosen_language_over_and_leaves_the_rest_to_the_browser),
        ["0038_open_case_counts.sql"] = nameof(SchemaUpgradeTests.Script_0038_counts_the_open_cases_written_before_it),
        ["0040_open_escalations.sql"] = nameof(SchemaUpgradeTests.Script_0040_counts_the_escalations_sent_before_it),
        ["0041_strategy_counts.sql"] = nameof(SchemaUpgradeTests.Script_0041_counts_the_strategies_written_before_it),
        ["0043_company_counts.sql"] = nameof(SchemaUpgradeTests.Script_0043_counts_the_companies_written_before_it),
        ["0044_quiet_triggers.sql"] = nameof(SchemaUpgradeTests.Script_0044_keeps_counting_escalations_and_strategies_and_skips_the_writes_that_change_neither),
    };

    [GeneratedRegex(@"\bDROP\s+(TABLE|COLUMN|CONSTRAINT)\b|\bRENAME\b|\bsp_rename\b|\bALTER\s+COLUMN\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b|\bTRUNCATE\b|\bINSERT\s+INTO\s+\w+\s*\([^)]*\)\s*SELECT\b", RegexOptions.IgnoreCase)]
    private static partial Regex ChangesData();

    /// <summary>ALTER TABLE … ADD of a NOT NULL column: fails or invents values on a table with rows unless it has a default.</summary>
    [GeneratedRegex(@"\bALTER\s+TABLE\s+\w+\s+ADD\s+(COLUMN\s+)?\w+\s[^;\n]*?\bNOT\s+NULL\b[^;\n]*", RegexOptions.IgnoreCase)]
    private static partial Regex AddsNotNullColumn();

    /// <summary>What in a script is not additive, comments left out.</summary>
    internal static IReadOnlyList<string> NonAdditive(string script)
    {
        var sql = string.Join('\n', script.Split('\n').Select(l => l.Contains("--", StringComparison.Ordinal) ? l[..l.IndexOf("--", StringComparison.Ordinal)] : l));
        return
        [
            .. ChangesData().Matches(sql).Select(m => m.Value),
            .. AddsNotNullColumn().Matches(sql).Where(m => !m.Value.Contains("DEFAULT", StringComparison.OrdinalIgnoreCase)).Select(m => m.Value),
        ];
    }

    public static TheoryData<string, string> Scripts()
    {
        var data = new TheoryData<string, string>();
        foreach (var provider in Enum.GetValues<DatabaseProvider>())
        {
            foreach (var name in SchemaMigrator.ScriptNames(provider))
            {
                data.Add(provider.ToString(), Path.GetFileName(name));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Every_script_is_additive_or_has_a_data_migration_test(string provider, string script)
    {
        var text = SchemaMigrator.ReadScript($"db/{SchemaMigrator.ScriptFolder(Enum.Parse<DatabaseProvider>(provider))}/{script}");

        var changes = NonAdditive(text);

        Assert.True(
            changes.Count == 0 || DataMigrations.ContainsKey(script),
            $"{provider} {script} changes existing data ({string.Join("; ", changes)}): list it in DataMigrations with a test that applies the scripts before it, "
            + "inserts rows through the previous shapes, applies it and checks the data (SchemaUpgradeTests).");
    }

    [Fact]
    public void The_listed_scripts_exist_and_their_tests_are_database_tests()
    {
        var sqlite = SchemaMigrator.ScriptNames(DatabaseProvider.Sqlite).Select(Path.GetFileName).ToHashSet();
        var tests = typeof(SchemaUpgradeTests).Assembly.GetTypes().SelectMany(t => t.GetMethods()).Where(m => m.GetCustomAttributes(typeof(SkippableFactAttribute), true).Length > 0).Select(m => m.Name).ToHashSet();

        Assert.All(DataMigrations, e =>
        {
            Assert.Contains(e.Key, sqlite);
            Assert.Contains(e.Value, tests);
        });
    }

    [Fact]
    public void The_check_tells_additive_statements_from_ones_that_change_data()
    {
        Assert.Empty(NonAdditive("CREATE TABLE t (id TEXT NOT NULL PRIMARY KEY);\nALTER TABLE users ADD COLUMN language TEXT NULL;\nALTER TABLE users ADD COLUMN n INTEGER NOT NULL DEFAULT 0; -- DROP TABLE users"));
        Assert.Single(NonAdditive("ALTER TABLE users DROP COLUMN culture;"));
        Assert.Single(NonAdditive("ALTER TABLE users RENAME TO people;"));
        Assert.Single(NonAdditive("UPDATE users SET language = culture;"));
        Assert.Single(NonAdditive("ALTER TABLE reminders ALTER COLUMN case_id DROP NOT NULL;"));
        Assert.Single(NonAdditive("ALTER TABLE users ADD COLUMN region TEXT NOT NULL;"));
        Assert.Single(NonAdditive("INSERT INTO user_regions (user_id, region_code) SELECT id, region_code FROM users;"));
    }
}
