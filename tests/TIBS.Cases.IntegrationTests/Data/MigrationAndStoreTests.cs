using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>Schema, reference data and stores, run once per available provider.</summary>
public abstract class MigrationAndStoreTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task Migrations_apply_to_an_empty_database_and_a_second_run_changes_nothing()
    {
        fixture.EnsureAvailable();
        var factory = new ConnectionFactory(fixture.Provider, await fixture.CreateEmptyDatabaseAsync());
        var migrator = new SchemaMigrator(factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System);

        var first = await migrator.MigrateAsync(TimeSpan.Zero);
        var second = await migrator.MigrateAsync(TimeSpan.Zero);

        Assert.Equal(SchemaMigrator.ScriptNames(fixture.Provider), first.Applied);
        Assert.True(first.Applied.Count >= 2);
        Assert.Empty(second.Applied);
        Assert.Empty(migrator.PendingScripts());
        await using var c = await factory.OpenAsync();
        Assert.Equal(first.Applied.Count, await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM {SchemaMigrator.JournalTable}"));
    }

    [SkippableFact]
    public async Task Reference_data_holds_the_partner_regions_NACE_sections_and_S3_areas()
    {
        fixture.EnsureAvailable();
        var store = new ReferenceDataStore(fixture.Factory);

        var regions = await store.RegionsAsync();
        var nace = await store.NaceSectionsAsync();
        var s3 = await store.S3AreasAsync();

        Assert.Equal(["PL84", "LV008", "EE008", "LT01", "LT02", "DE60", "FI1C4", "FI19", "DK03", "DK05", "SE23"], regions.Select(r => r.Code));
        Assert.Equal("Lõuna-Eesti (South Estonia)", regions.Single(r => r.Code == "EE008").Name);
        Assert.Equal(["PL", "LV", "EE", "LT", "DE", "FI", "DK", "SE"], regions.Select(r => r.CountryCode).Distinct());
        Assert.Equal(Enumerable.Range('A', 21).Select(c => ((char)c).ToString()), nace.Select(n => n.Code));
        Assert.Equal("Information and communication", nace.Single(n => n.Code == "J").Name);
        Assert.Equal(8, s3.Count);
        Assert.Contains(s3, a => a.Name == "ICT and digitalisation (incl. cybersecurity)");
    }

    [SkippableFact]
    public async Task Users_round_trip_with_ids_timestamps_and_case_insensitive_email()
    {
        fixture.EnsureAvailable();
        var store = new UserStore(fixture.Factory);
        var now = new DateTimeOffset(2026, 3, 14, 9, 26, 53, 589, TimeSpan.FromHours(2)).AddTicks(7);
        var user = new UserAccount
        {
            Id = Guid.CreateVersion7(now),
            Email = "Liga.Berzina@Example.org",
            DisplayName = "Līga Bērziņa",
            Role = Roles.Broker,
            RegionCode = "LV008",
            PasswordHash = "hash",
            SecurityStamp = "stamp",
            CreatedAt = now,
            UpdatedAt = now,
        };

        await store.InsertAsync(user);
        var found = await store.FindByEmailAsync("  LIGA.berzina@example.ORG ");

        Assert.NotNull(found);
        Assert.Equal(user.Id, found.Id);
        Assert.Equal("liga.berzina@example.org", found.Email);
        Assert.Equal("Līga Bērziņa", found.DisplayName);
        Assert.Equal("LV008", found.RegionCode);
        Assert.Equal(TIBS.Cases.Core.Timestamps.Normalize(now), found.CreatedAt); // same instant, to the microsecond
        Assert.Equal(TimeSpan.Zero, found.CreatedAt.Offset);
        Assert.True(found.IsActive);
        Assert.Equal(1, await store.CountAsync());
    }

    [SkippableFact]
    public async Task Concurrent_sign_in_failures_all_count_old_ones_are_forgotten_and_a_reset_clears_them()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var store = new SignInThrottleStore(fixture.Factory);
        var now = TIBS.Cases.Core.Timestamps.Normalize(DateTimeOffset.UtcNow);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => store.RecordFailureAsync("account:a@b.example", now, now.AddHours(-1))));
        await store.RecordFailureAsync("address:10.0.0.1", now.AddHours(-2), now.AddHours(-3));
        await store.RecordFailureAsync("address:10.0.0.2", now, now.AddHours(-1)); // forgets 10.0.0.1's old row
        var counted = await store.GetAsync(["account:a@b.example", "address:10.0.0.1", "address:10.0.0.2"]);
        await store.ResetAsync("account:a@b.example");
        var afterReset = await store.GetAsync(["account:a@b.example"]);

        Assert.Equal(4, counted.Single(c => c.Key == "account:a@b.example").Failures);
        Assert.Equal(now, counted.Single(c => c.Key == "account:a@b.example").LastFailureAt);
        Assert.DoesNotContain(counted, c => c.Key == "address:10.0.0.1");
        Assert.Equal(1, counted.Single(c => c.Key == "address:10.0.0.2").Failures);
        Assert.Empty(afterReset);
    }

    [SkippableFact]
    public async Task People_are_read_by_id_or_by_role_and_region_in_one_query()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var users = new UserStore(fixture.Factory);
        var now = TIBS.Cases.Core.Timestamps.Normalize(DateTimeOffset.UtcNow);
        var template = new UserAccount { Id = Guid.Empty, Email = "", DisplayName = "", Role = Roles.Broker, PasswordHash = "x", SecurityStamp = "s", CreatedAt = now, UpdatedAt = now };
        UserAccount Person(string email, string role, string? region, bool active = true) =>
            template with { Id = Guid.CreateVersion7(), Email = email, DisplayName = email, Role = role, RegionCode = region, IsActive = active };
        var tartu = Person("tartu@b.example", Roles.Broker, "EE008");
        var vidzeme = Person("vidzeme@b.example", Roles.Broker, "LV008");
        var gone = Person("gone@b.example", Roles.Broker, "LV008", active: false);
        var hamburg = Person("hamburg@b.example", Roles.Broker, "DE60");
        var coordinator = Person("coordinator@b.example", Roles.Coordinator, null);
        foreach (var u in new[] { tartu, vidzeme, gone, hamburg, coordinator })
        {
            await users.InsertAsync(u);
        }

        Assert.Equal(new[] { vidzeme.Id, gone.Id }.Order(), (await users.GetManyAsync([vidzeme.Id, gone.Id, Guid.NewGuid()])).Select(u => u.Id).Order());
        Assert.Empty(await users.GetManyAsync([]));
        Assert.Equal([tartu.Email, vidzeme.Email], (await users.ListInRoleAsync(Roles.Broker, ["EE008", "LV008"])).Select(u => u.Email));
        Assert.Equal([gone.Email, vidzeme.Email], (await users.ListInRoleAsync(Roles.Broker, ["LV008"], activeOnly: false)).Select(u => u.Email));
        Assert.Equal(4, (await users.ListInRoleAsync(Roles.Broker, activeOnly: false)).Count);
        Assert.Empty(await users.ListInRoleAsync(Roles.Broker, []));
        Assert.Equal([coordinator.Id], (await users.ListInRoleAsync(Roles.Coordinator)).Select(u => u.Id));
    }

    [SkippableFact]
    public async Task Sessions_are_revoked_one_at_a_time_or_all_of_a_user()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var users = new UserStore(fixture.Factory);
        var sessions = new UserSessionStore(fixture.Factory);
        var now = TIBS.Cases.Core.Timestamps.Normalize(DateTimeOffset.UtcNow);
        var user = new UserAccount { Id = Guid.CreateVersion7(), Email = "s@b.example", DisplayName = "S", Role = Roles.Coordinator, PasswordHash = "x", SecurityStamp = "s", CreatedAt = now, UpdatedAt = now };
        await users.InsertAsync(user);
        var service = new SessionService(sessions, TimeProvider.System, new SessionSettings());
        var first = await service.StartAsync(user.Id, "Mozilla/5.0");
        var second = await service.StartAsync(user.Id, null);
        var third = await service.StartAsync(user.Id, null);

        Assert.True(await service.IsActiveAsync(first.Id, user.Id));
        Assert.False(await service.IsActiveAsync(first.Id, Guid.NewGuid())); // a session names its user
        Assert.True(await service.EndAsync(first.Id));
        Assert.False(await service.IsActiveAsync(first.Id, user.Id));
        Assert.True(await service.IsActiveAsync(second.Id, user.Id));
        Assert.Equal(2, await service.RevokeAllSessionsAsync(user.Id));
        Assert.False(await service.IsActiveAsync(second.Id, user.Id));
        Assert.False(await service.IsActiveAsync(third.Id, user.Id));

        // The user's state is read with the session: an older security stamp or a deactivated account lets no session in.
        var fourth = await service.StartAsync(user.Id, null);
        Assert.True(await service.IsActiveAsync(fourth.Id, user.Id, "s"));
        var counting = new CountingConnectionFactory(fixture.Factory);
        Assert.True(await new SessionService(new UserSessionStore(counting), TimeProvider.System, new SessionSettings()).IsActiveAsync(fourth.Id, user.Id, "s"));
        Assert.Equal(1, counting.Counted.Total); // the session with its user's state, in one statement (last seen is not due again yet)
        Assert.False(await service.IsActiveAsync(fourth.Id, user.Id, "an older stamp"));
        await using (var c = await fixture.Factory.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE users SET is_active = @no WHERE id = @id", new { no = false, id = user.Id });
        }

        Assert.False(await service.IsActiveAsync(fourth.Id, user.Id, "s"));
        Assert.False(await service.IsActiveAsync(Guid.CreateVersion7(), user.Id));
        Assert.Equal(64, (await sessions.FindAsync(first.Id))!.UserAgentHash!.Length);
    }

    [SkippableFact]
    public async Task Companies_round_trip_with_codes_areas_and_contacts()
    {
        fixture.EnsureAvailable();
        var store = new CompanyStore(fixture.Factory);
        var now = DateTimeOffset.UtcNow;
        var company = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = "Vidzeme Wood Solutions",
            CountryCode = "LV",
            RegionCode = "LV008",
            SizeClass = SizeClasses.Micro,
            YearFounded = 2015,
            NaceCodes = ["C16", "C"],
            S3Areas = ["bioeconomy"],
            Keywords = "timber, CLT",
            Contacts = [new CompanyContact { Id = Guid.CreateVersion7(), Name = "Māris Ozols", Email = "m@example.org", ConsentDate = new DateOnly(2026, 2, 28), ConsentPurpose = "Partner search" }],
            CreatedAt = now,
            UpdatedAt = now,
        };

        await store.InsertAsync(company);
        var loaded = await store.GetAsync(company.Id);

        Assert.NotNull(loaded);
        Assert.Equal(["C", "C16"], loaded.NaceCodes);
        Assert.Equal(["bioeconomy"], loaded.S3Areas);
        var contact = Assert.Single(loaded.Contacts);
        Assert.Equal(new DateOnly(2026, 2, 28), contact.ConsentDate);
        Assert.Equal("Māris Ozols", contact.Name);
        Assert.Null(await store.GetAsync(Guid.NewGuid()));
    }

    [SkippableFact]
    public async Task A_company_in_an_unknown_region_is_refused_by_the_database()
    {
        fixture.EnsureAvailable();
        var store = new CompanyStore(fixture.Factory);
        var now = DateTimeOffset.UtcNow;
        var company = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = "Nowhere Ltd",
            CountryCode = "XX",
            RegionCode = "XX99",
            SizeClass = SizeClasses.Small,
            NaceCodes = ["C"],
            CreatedAt = now,
            UpdatedAt = now,
        };

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.InsertAsync(company));
        Assert.Equal(0, await store.CountAsync()); // the transaction left nothing behind
    }

    [SkippableFact]
    public async Task Respawn_reset_empties_data_but_keeps_reference_data_and_journal()
    {
        fixture.EnsureAvailable();
        var now = DateTimeOffset.UtcNow;
        await new UserStore(fixture.Factory).InsertAsync(new UserAccount
        {
            Id = Guid.CreateVersion7(),
            Email = "x@y.example",
            DisplayName = "X",
            Role = Roles.Evaluator,
            PasswordHash = "h",
            SecurityStamp = "s",
            CreatedAt = now,
            UpdatedAt = now,
        });

        await fixture.ResetAsync();

        await using var c = await fixture.Factory.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users"));
        Assert.Equal(11, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM regions"));
        Assert.True(await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM {SchemaMigrator.JournalTable}") >= 2);
    }

    [SkippableFact]
    public async Task Only_one_draft_per_workflow_definition_is_allowed()
    {
        fixture.EnsureAvailable();
        await using var c = await fixture.Factory.OpenAsync();
        var definitionId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await c.ExecuteAsync(
            "INSERT INTO workflow_definitions (id, definition_key, name, created_at, row_version) VALUES (@definitionId, 'jss', 'Joint smart strategy', @now, 1)",
            new { definitionId, now });
        const string insertDraft = """
            INSERT INTO workflow_versions (id, definition_id, number, status, content, content_hash, source, created_at, row_version)
            VALUES (@id, @definitionId, @number, 'draft', 'x', @hash, 'editor', @now, 1)
            """;
        await c.ExecuteAsync(insertDraft, new { id = Guid.CreateVersion7(), definitionId, number = 1, hash = new string('a', 64), now });

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            c.ExecuteAsync(insertDraft, new { id = Guid.CreateVersion7(), definitionId, number = 2, hash = new string('b', 64), now }));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteMigrationAndStoreTests(SqliteFixture fixture) : MigrationAndStoreTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationAndStoreTests(PostgresFixture fixture) : MigrationAndStoreTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerMigrationAndStoreTests(SqlServerFixture fixture) : MigrationAndStoreTests(fixture);
