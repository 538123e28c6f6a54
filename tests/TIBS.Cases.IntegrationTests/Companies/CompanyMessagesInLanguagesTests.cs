using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.IntegrationTests.Companies;

/// <summary>
/// The company handlers answer in the language of the person acting: field errors, the contact person's problems and
/// refusals are one sentence each in Latvian or German, and nothing is stored on a refusal.
/// </summary>
public abstract class CompanyMessagesInLanguagesTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor LatvianBroker = new(Guid.CreateVersion7(), WorkflowRole.Broker, "LV008");
    private static readonly Actor HamburgBroker = new(Guid.CreateVersion7(), WorkflowRole.Broker, "DE60");

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
            await CompanyHandlerTests.UsersAsync(fixture, LatvianBroker, HamburgBroker);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task A_wrong_profile_is_reported_field_by_field_in_latvian_and_german()
    {
        fixture.EnsureAvailable();
        var fields = CompanyHandlerTests.Valid() with
        {
            Name = " ",
            YearFounded = "2027",
            Website = "www.example.com",
            Contacts = [new ContactFields { Email = "ilze(at)example", ConsentPurpose = "Newsletter" }],
        };

        CompanyCommandResult latvian, german;
        using (CultureScope.Of("lv"))
        {
            latvian = await new CreateCompany(companies, reference, time).HandleAsync(new CreateCompany.Request(fields), LatvianBroker);
        }

        using (CultureScope.Of("de"))
        {
            german = await new CreateCompany(companies, reference, time).HandleAsync(new CreateCompany.Request(fields), LatvianBroker);
        }

        var lv = latvian.FieldErrors.ToDictionary(e => e.Field, e => e.Message);
        Assert.Equal("Ievadiet uzņēmuma nosaukumu.", lv["Name"]);
        Assert.Equal("Ievadiet dibināšanas gadu no 1800 līdz 2026, piemēram, 2015.", lv["YearFounded"]);
        Assert.Equal("Kontaktpersona 1: ievadiet personas vārdu un uzvārdu.", lv["Contacts[0].Name"]);
        Assert.Equal("Kontaktpersona 1: ievadiet e-pasta adresi, piemēram, name@example.org.", lv["Contacts[0].Email"]);
        Assert.Equal("Lūdzu, novērsiet šīs problēmas (6).", latvian.Message);
        var de = german.FieldErrors.ToDictionary(e => e.Field, e => e.Message);
        Assert.Equal("Geben Sie den Namen des Unternehmens ein.", de["Name"]);
        Assert.StartsWith("Geben Sie die vollständige Adresse der Website ein", de["Website"], StringComparison.Ordinal);
        Assert.Equal("Kontaktperson 1: Geben Sie das Datum der Einwilligung ein; ein Zweck der Einwilligung braucht ihr Datum.", de["Contacts[0].ConsentDate"]);
        Assert.All([latvian, german], r => Assert.Equal(CaseCommandStatus.InvalidForm, r.Status));
        Assert.Equal(0, await companies.CountAsync());
    }

    [SkippableFact]
    public async Task A_contact_persons_problem_names_the_contact_person_and_a_stranger_is_refused_in_latvian()
    {
        fixture.EnsureAvailable();
        var company = (await new CreateCompany(companies, reference, time).HandleAsync(
            new CreateCompany.Request(CompanyHandlerTests.Valid(), RegisterAnyway: true), LatvianBroker)).Company!;
        var ilze = company.Contacts[0].Id;
        using var latvian = CultureScope.Of("lv");

        var wrong = await new UpdateContact(companies, reference, time).HandleAsync(
            new UpdateContact.Request(company.Id, ilze, new ContactFields { Name = "Ilze Kalniņa", Phone = "call me" }), LatvianBroker);
        var stranger = await new UpdateContact(companies, reference, time).HandleAsync(
            new UpdateContact.Request(company.Id, ilze, new ContactFields { Name = "Ilze Kalniņa" }), HamburgBroker);
        var saved = await new UpdateContact(companies, reference, time).HandleAsync(
            new UpdateContact.Request(company.Id, ilze, new ContactFields { Name = "Ilze Ozola" }), LatvianBroker);

        Assert.Equal(("Phone", "Kontaktpersona: ievadiet tālruņa numuru no cipariem, atstarpēm un zīmēm + ( ) - . /, piemēram, +371 2612 3456."),
            (Assert.Single(wrong.FieldErrors).Field, Assert.Single(wrong.FieldErrors).Message));
        Assert.Equal((CaseCommandStatus.Forbidden, "Brokeri labo sava reģiona uzņēmumus; koordinatori labo visus uzņēmumus."), (stranger.Status, stranger.Message));
        Assert.Equal((CaseCommandStatus.Done, "Uzņēmuma Cēsis Timber Labs kontaktpersona ir saglabāta."), (saved.Status, saved.Message));
        Assert.Equal("Ilze Ozola", Assert.Single((await companies.GetAsync(company.Id))!.Contacts).Name);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCompanyMessagesInLanguagesTests(SqliteFixture fixture) : CompanyMessagesInLanguagesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCompanyMessagesInLanguagesTests(PostgresFixture fixture) : CompanyMessagesInLanguagesTests(fixture);
