using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies.Import;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.IntegrationTests.Companies;

/// <summary>
/// On each database, a company import reports its rows' problems and its summary in the importing broker's language,
/// with counts in the language's forms, and writes nothing on a dry run; an administrator's invitation with no role is
/// refused in German naming the roles in German.
/// </summary>
public abstract class ImportAndAccountMessagesInLanguagesTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Broker = new(Guid.CreateVersion7(), WorkflowRole.Broker, "LV008");

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly string[] Headers = ["name", "country", "region", "size_class", "register_number", "contact_name"];

    private static ImportRow Row(int number, params string?[] cells) => new(number, cells);

    [SkippableFact]
    public async Task An_import_reports_row_problems_and_its_summary_in_latvian_and_polish_and_writes_nothing()
    {
        fixture.EnsureAvailable();
        await CompanyHandlerTests.UsersAsync(fixture, Broker);
        var companies = new CompanyStore(fixture.Factory);
        var import = new ImportCompanies(companies, new ReferenceDataStore(fixture.Factory), new FakeTimeProvider(Now));
        ImportRow[] rows =
        [
            Row(2, "Valmiera Glass Fibre", "LV", "LV008", "medium", null, "Anna Bērziņa"),
            Row(3, "valmiera glass fibre", "LV", null, null, null, null),
            Row(4, "Cēsis Robotics", "LV", "LV008", "small", "12345678901", null),
            Row(5, "Gauja Timber", "LV", "LV008", "small", null, null),
            Row(6, "Sigulda Sensors", "LV", "LV008", "small", null, null),
        ];

        ImportReport latvian, polish;
        using (CultureScope.Of("lv"))
        {
            latvian = await import.HandleAsync(new ImportCompanies.Request(Headers, rows, DryRun: true), Broker);
        }

        using (CultureScope.Of("pl"))
        {
            polish = await import.HandleAsync(new ImportCompanies.Request(Headers, rows, DryRun: true), Broker);
        }

        Assert.Equal(new RowProblem(3, "name", "Atkārto rindas 2 uzņēmumu bez kontaktpersonas."), Problem(latvian, 3));
        Assert.Equal(4, Problem(latvian, 4).Row);
        Assert.Equal("register_number", Problem(latvian, 4).Column);
        Assert.Contains("12345678901 izskatās pēc Latvijas personas koda, nevis uzņēmuma reģistrācijas numura", Problem(latvian, 4).Message, StringComparison.Ordinal);
        Assert.Equal("Var importēt: 3 uzņēmumi; tiktu izlaists: 2 rindas. Nekas vēl nav saglabāts.", latvian.Message);
        Assert.Equal(new RowProblem(3, "name", "Powtarza firmę z wiersza 2 bez osoby kontaktowej."), Problem(polish, 3));
        Assert.Equal("Można zaimportować: 3 firmy; pominięte zostałyby: 2 wiersze. Nic jeszcze nie zapisano.", polish.Message);
        Assert.Equal("Numer rejestrowy lub numer VAT (w formie krajowej albo numer VAT z prefiksem kraju).", ColumnIn("pl", ImportColumns.RegisterNumber));
        Assert.Equal(0, await companies.CountAsync());
    }

    [SkippableFact]
    public async Task An_account_without_a_known_role_is_refused_in_german_naming_the_roles_in_german()
    {
        fixture.EnsureAvailable();
        var reference = new ReferenceDataStore(fixture.Factory);

        List<Workflows.Forms.FieldError> german;
        using (CultureScope.Of("de"))
        {
            german = await AdministrationRules.AccessProblemsAsync(reference, "boss", ["LV008"], CancellationToken.None);
        }

        var english = await AdministrationRules.AccessProblemsAsync(reference, "boss", ["LV008"], CancellationToken.None);

        Assert.Equal("Wählen Sie eine Rolle: Innovationsbroker, Partnerkoordinator, Evaluator, Administrator.", Assert.Single(german, e => e.Field == "Role").Message);
        Assert.Equal("Choose a role: Innovation broker, Partner coordinator, Evaluator, Administrator.", Assert.Single(english, e => e.Field == "Role").Message);
    }

    private static RowProblem Problem(ImportReport report, int row) => Assert.Single(report.Rejected, p => p.Row == row);

    private static string ColumnIn(string language, string header)
    {
        using var scope = CultureScope.Of(language);
        return ImportColumns.All.Single(c => c.Header == header).Description;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteImportAndAccountMessagesInLanguagesTests(SqliteFixture fixture) : ImportAndAccountMessagesInLanguagesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresImportAndAccountMessagesInLanguagesTests(PostgresFixture fixture) : ImportAndAccountMessagesInLanguagesTests(fixture);
