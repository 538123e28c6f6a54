using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.IntegrationTests.Companies;

/// <summary>The company use cases of Core (registering, editing, contact persons, queries) on every provider: rules, rights and concurrent edits.</summary>
public abstract class CompanyHandlerTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor LatvianBroker = new(Guid.CreateVersion7(), WorkflowRole.Broker, "LV008");
    private static readonly Actor HamburgBroker = new(Guid.CreateVersion7(), WorkflowRole.Broker, "DE60");
    private static readonly Actor Coordinator = new(Guid.CreateVersion7(), WorkflowRole.Coordinator, null);
    private static readonly Actor Evaluator = new(Guid.CreateVersion7(), WorkflowRole.Evaluator, null);

    private readonly FakeTimeProvider time = new(Now);
    private CompanyStore companies = null!;
    private ReferenceDataStore reference = null!;

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
            companies = new CompanyStore(fixture.Factory);
            reference = new ReferenceDataStore(fixture.Factory);
            await UsersAsync(fixture, LatvianBroker, HamburgBroker, Coordinator, Evaluator);
        }
    }

    /// <summary>Stores users for the actors (companies name their author).</summary>
    internal static async Task UsersAsync(DatabaseFixture fixture, params Actor[] actors)
    {
        var users = new UserStore(fixture.Factory);
        foreach (var actor in actors)
        {
            await users.InsertAsync(new UserAccount
            {
                Id = actor.UserId,
                Email = $"{actor.UserId:N}@test.example",
                DisplayName = Roles.Name(actor.Role),
                Role = Roles.Name(actor.Role),
                RegionCode = actor.RegionCode,
                PasswordHash = "x",
                SecurityStamp = "s",
                CreatedAt = Now,
                UpdatedAt = Now,
            });
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private CreateCompany Create() => new(companies, reference, time);

    private UpdateCompany Update() => new(companies, reference, time);

    internal static CompanyFields Valid(string name = "Cēsis Timber Labs") => new()
    {
        Name = name,
        CountryCode = "LV",
        RegionCode = "LV008",
        SizeClass = SizeClasses.Micro,
        YearFounded = "2019",
        NaceSections = ["C"],
        NaceDetail = "c16, M72.1",
        S3Areas = ["bioeconomy"],
        Keywords = "timber, modules, , Timber",
        Languages = "LV, en",
        Contacts = [new ContactFields { Name = "Ilze Kalniņa", Email = "ilze@example.org", ConsentDate = "2026-01-15", ConsentPurpose = "Partner search" }],
    };

    private async Task<Company> RegisteredAsync(string name = "Cēsis Timber Labs")
    {
        var result = await Create().HandleAsync(new CreateCompany.Request(Valid(name), RegisterAnyway: true), LatvianBroker);
        Assert.Equal(CaseCommandStatus.Done, result.Status);
        return (await companies.GetAsync(result.Company!.Id))!;
    }

    [SkippableFact]
    public async Task Registering_stores_the_cleaned_profile_with_its_author_and_version_1()
    {
        fixture.EnsureAvailable();

        var result = await Create().HandleAsync(new CreateCompany.Request(Valid()), LatvianBroker);

        Assert.Equal((CaseCommandStatus.Done, "Cēsis Timber Labs is registered."), (result.Status, result.Message));
        var stored = await companies.GetAsync(result.Company!.Id);
        Assert.NotNull(stored);
        Assert.Equal(["C", "C16", "M72.1"], stored.NaceCodes);
        Assert.Equal(("timber, modules", "lv, en", 2019, 1), (stored.Keywords, stored.Languages, stored.YearFounded, stored.Version));
        Assert.Equal(LatvianBroker.UserId, stored.CreatedBy);
        Assert.Equal("Ilze Kalniņa", Assert.Single(stored.Contacts).Name);
    }

    [SkippableFact]
    public async Task Each_wrong_field_is_reported_under_its_key_in_words_and_nothing_is_stored()
    {
        fixture.EnsureAvailable();
        var fields = Valid() with
        {
            Name = " ",
            RegionCode = "DE60",
            YearFounded = "2027",
            NaceDetail = "X99",
            Website = "www.example.com",
            Contacts = [new ContactFields { Email = "ilze(at)example", ConsentPurpose = "Newsletter" }],
        };

        var result = await Create().HandleAsync(new CreateCompany.Request(fields), Coordinator);

        Assert.Equal(CaseCommandStatus.InvalidForm, result.Status);
        var errors = result.FieldErrors.ToDictionary(e => e.Field, e => e.Message);
        Assert.Equal("Enter the company's name.", errors["Name"]);
        Assert.Equal("Hamburg is not in Latvia: choose a region of Latvia.", errors["RegionCode"]);
        Assert.Equal("Enter the year founded as a year from 1800 to 2026, such as 2015.", errors["YearFounded"]);
        Assert.StartsWith("Not a NACE code: 'X99'.", errors["NaceDetail"], StringComparison.Ordinal);
        Assert.StartsWith("Enter the website's full address", errors["Website"], StringComparison.Ordinal);
        Assert.Equal("Contact person 1: enter the person's name.", errors["Contacts[0].Name"]);
        Assert.Equal("Contact person 1: enter an e-mail address such as name@example.org.", errors["Contacts[0].Email"]);
        Assert.Equal("Contact person 1: enter the date the consent was given; a consent purpose needs its date.", errors["Contacts[0].ConsentDate"]);
        Assert.Equal(0, await companies.CountAsync());
    }

    [SkippableFact]
    public async Task Evaluators_may_neither_register_nor_search_nor_read()
    {
        fixture.EnsureAvailable();
        var company = await RegisteredAsync();

        Assert.Equal(CaseCommandStatus.Forbidden, (await Create().HandleAsync(new CreateCompany.Request(Valid("Other")), Evaluator)).Status);
        Assert.Null(await new SearchCompanies(companies).HandleAsync(new SearchCompanies.Request(), Evaluator));
        Assert.Equal(CaseCommandStatus.Forbidden, (await new GetCompany(companies, reference).HandleAsync(new GetCompany.Request(company.Id), Evaluator)).Status);
        Assert.Null(await new CompanyFormOptions(reference).HandleAsync(Evaluator));
        Assert.Equal(1, await companies.CountAsync());
    }

    [SkippableFact]
    public async Task Brokers_edit_companies_of_their_own_region_only_and_coordinators_every_one()
    {
        fixture.EnsureAvailable();
        var company = await RegisteredAsync();

        var refused = await Update().HandleAsync(new UpdateCompany.Request(company.Id, 1, Valid("Taken over")), HamburgBroker);
        var contact = await new AddContact(companies, reference, time).HandleAsync(new AddContact.Request(company.Id, new ContactFields { Name = "Intruder" }), HamburgBroker);
        var saved = await Update().HandleAsync(new UpdateCompany.Request(company.Id, 1, Valid("Cēsis Timber Labs SIA")), Coordinator);

        Assert.Equal(CaseCommandStatus.Forbidden, refused.Status);
        Assert.Equal(CaseCommandStatus.Forbidden, contact.Status);
        Assert.Equal((CaseCommandStatus.Done, "Cēsis Timber Labs SIA is saved."), (saved.Status, saved.Message));
        var stored = await companies.GetAsync(company.Id);
        Assert.Equal(("Cēsis Timber Labs SIA", 2, 1), (stored!.Name, stored.Version, stored.Contacts.Count));
        Assert.Equal(CaseCommandStatus.NotFound, (await Update().HandleAsync(new UpdateCompany.Request(Guid.NewGuid(), 1, Valid()), Coordinator)).Status);
    }

    [SkippableFact]
    public async Task A_concurrent_edit_is_reported_with_the_differences_and_never_overwritten()
    {
        fixture.EnsureAvailable();
        var company = await RegisteredAsync();
        var first = await Update().HandleAsync(new UpdateCompany.Request(company.Id, 1, Valid("Cēsis Timber Labs Ltd")), LatvianBroker);

        var second = await Update().HandleAsync(new UpdateCompany.Request(company.Id, 1, Valid() with { Needs = "Digital design partner" }), Coordinator);

        Assert.Equal(CaseCommandStatus.Done, first.Status);
        Assert.Equal(CaseCommandStatus.Conflict, second.Status);
        Assert.Equal(CompanyCommandResult.ConflictMessage, second.Message);
        Assert.Equal(2, second.Company!.Version);
        Assert.Contains(new CompanyDifference("Name", "Cēsis Timber Labs Ltd", "Cēsis Timber Labs"), second.Differences);
        Assert.Contains(new CompanyDifference("What it needs", "(empty)", "Digital design partner"), second.Differences);
        var stored = await companies.GetAsync(company.Id);
        Assert.Equal(("Cēsis Timber Labs Ltd", null, 2), (stored!.Name, stored.Needs, stored.Version));
    }

    [SkippableFact]
    public async Task Contact_persons_are_added_changed_and_removed_one_at_a_time()
    {
        fixture.EnsureAvailable();
        var company = await RegisteredAsync();
        var ilze = company.Contacts[0].Id;

        var added = await new AddContact(companies, reference, time).HandleAsync(
            new AddContact.Request(company.Id, new ContactFields { Name = "Andris Ozols", Role = "CTO", Phone = "+371 2612 3456" }), LatvianBroker);
        var wrong = await new UpdateContact(companies, reference, time).HandleAsync(
            new UpdateContact.Request(company.Id, ilze, new ContactFields { Name = "Ilze Kalniņa", Email = "not an address" }), LatvianBroker);
        var changed = await new UpdateContact(companies, reference, time).HandleAsync(
            new UpdateContact.Request(company.Id, ilze, new ContactFields { Name = "Ilze Kalniņa-Ozola", Email = "ilze@example.org" }, ExpectedVersion: 2), LatvianBroker);
        var stale = await new RemoveContact(companies, reference, time).HandleAsync(new RemoveContact.Request(company.Id, ilze, ExpectedVersion: 2), LatvianBroker);
        var removed = await new RemoveContact(companies, reference, time).HandleAsync(new RemoveContact.Request(company.Id, ilze), LatvianBroker);
        var unknown = await new RemoveContact(companies, reference, time).HandleAsync(new RemoveContact.Request(company.Id, ilze), LatvianBroker);

        Assert.Equal(CaseCommandStatus.Done, added.Status);
        Assert.NotNull(added.ContactId);
        Assert.Equal(CaseCommandStatus.InvalidForm, wrong.Status);
        Assert.Equal(("Email", "The contact person: enter an e-mail address such as name@example.org."), (wrong.FieldErrors[0].Field, wrong.FieldErrors[0].Message));
        Assert.Equal(CaseCommandStatus.Done, changed.Status);
        Assert.Equal(CaseCommandStatus.Conflict, stale.Status);
        Assert.Equal(CaseCommandStatus.Done, removed.Status);
        Assert.Equal((CaseCommandStatus.NotFound, "The contact person was not found."), (unknown.Status, unknown.Message));
        var stored = await companies.GetAsync(company.Id);
        var andris = Assert.Single(stored!.Contacts);
        Assert.Equal((added.ContactId!.Value, "Andris Ozols", "CTO"), (andris.Id, andris.Name, andris.Role));
        Assert.Equal(4, stored.Version);
    }

    [SkippableFact]
    public async Task Reading_a_company_names_its_region_and_tells_whether_the_actor_may_edit_it()
    {
        fixture.EnsureAvailable();
        var company = await RegisteredAsync();
        var get = new GetCompany(companies, reference);

        var own = await get.HandleAsync(new GetCompany.Request(company.Id), LatvianBroker);
        var other = await get.HandleAsync(new GetCompany.Request(company.Id), HamburgBroker);

        Assert.Equal((CaseCommandStatus.Done, true, "Vidzeme"), (own.Status, own.View!.CanEdit, own.View.RegionName));
        Assert.Equal("Bioeconomy", own.View.S3Names["bioeconomy"]);
        Assert.False(other.View!.CanEdit);
        Assert.Equal(CaseCommandStatus.NotFound, (await get.HandleAsync(new GetCompany.Request(Guid.NewGuid()), LatvianBroker)).Status);
    }

    [SkippableFact]
    public async Task Searching_pages_with_a_cursor_and_refuses_unsearchable_filters()
    {
        fixture.EnsureAvailable();
        foreach (var n in Enumerable.Range(1, 3))
        {
            await RegisteredAsync($"Paged Timber {n}");
        }

        var search = new SearchCompanies(companies);
        var first = await search.HandleAsync(new SearchCompanies.Request(Text: "PAGED timber", PageSize: 2), Coordinator);
        var second = await search.HandleAsync(new SearchCompanies.Request(Text: "paged timber", After: first!.NextCursor, PageSize: 2), Coordinator);
        var bad = await search.HandleAsync(new SearchCompanies.Request(Text: "a\u0001b"), Coordinator);

        Assert.Equal(["Paged Timber 1", "Paged Timber 2"], first.Items.Select(i => i.Name));
        Assert.True(first.IsFirstPage && first.IsFiltered);
        Assert.Equal(["Paged Timber 3"], second!.Items.Select(i => i.Name));
        Assert.Null(second.NextCursor);
        Assert.False(second.IsFirstPage);
        Assert.Equal("q", Assert.Single(bad!.FilterErrors).Field);
        Assert.Empty(bad.Items);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCompanyHandlerTests(SqliteFixture fixture) : CompanyHandlerTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCompanyHandlerTests(PostgresFixture fixture) : CompanyHandlerTests(fixture);
