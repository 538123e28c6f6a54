using System.Text;
using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Companies.Import;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web.Imports;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.IntegrationTests.Companies;

/// <summary>
/// A company's identity on every provider: the register number stored normalised and unique per country, the same
/// number refused at registration, editing and import, a close name in the same region a warning the person may overrule.
/// </summary>
public abstract class CompanyIdentityTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Broker = new(Guid.CreateVersion7(), WorkflowRole.Broker, "LV008");

    private readonly FakeTimeProvider time = new(Now);
    private CompanyStore companies = null!;
    private ReferenceDataStore reference = null!;
    private Company registered = null!;

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
            companies = new CompanyStore(fixture.Factory);
            reference = new ReferenceDataStore(fixture.Factory);
            await CompanyHandlerTests.UsersAsync(fixture, Broker);
            var result = await Create(Fields("SIA Gaujas Kokapstrāde", "40003521600"));
            Assert.True(result.Succeeded, result.Message);
            registered = result.Company!;
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static CompanyFields Fields(string name, string? number, string region = "LV008") =>
        CompanyHandlerTests.Valid(name) with { RegisterNumber = number, RegionCode = region, SizeClass = SizeClasses.Small };

    private Task<CompanyCommandResult> Create(CompanyFields fields, bool anyway = false) =>
        new CreateCompany(companies, reference, time).HandleAsync(new CreateCompany.Request(fields, anyway), Broker);

    [SkippableFact]
    public async Task The_number_is_stored_normalised_and_shown_with_the_organisation_type()
    {
        fixture.EnsureAvailable();

        var stored = (await companies.GetAsync(registered.Id))!;

        Assert.Equal("40003521600", stored.RegisterNumber);
        Assert.Equal(SizeClasses.Small, stored.SizeClass);
        Assert.Equal("Small enterprise, SME (10–49 staff)", CompanyRules.SizeClassName(stored.SizeClass));
        Assert.Equal(registered.Id, (await companies.FindByRegisterNumberAsync("LV", "40003521600"))!.Id);
        Assert.Null(await companies.FindByRegisterNumberAsync("EE", "40003521600"));
    }

    [SkippableFact]
    public async Task Registering_the_same_number_again_is_refused_with_the_company_that_has_it_even_in_its_VAT_form()
    {
        fixture.EnsureAvailable();

        var same = await Create(Fields("Vidzemes Koks", "LV 4000 3521 600"), anyway: true);

        Assert.Equal(CaseCommandStatus.InvalidForm, same.Status);
        var error = Assert.Single(same.FieldErrors);
        Assert.Equal(("RegisterNumber", "This number is already registered for SIA Gaujas Kokapstrāde: open that company instead of registering it again."), (error.Field, error.Message));
        Assert.Equal(registered.Id, same.SameNumber!.Id);
        Assert.Equal(1, await companies.CountAsync());
    }

    [SkippableFact]
    public async Task A_wrong_number_gets_its_reason_under_the_field()
    {
        fixture.EnsureAvailable();

        var wrong = await Create(Fields("Vidzemes Koks", "40003521601"));

        Assert.Equal(CaseCommandStatus.InvalidForm, wrong.Status);
        Assert.Equal(("RegisterNumber", "The Latvian registration number 40003521601 is not valid: its check digit (the last one) does not match."),
            (wrong.FieldErrors[0].Field, wrong.FieldErrors[0].Message));
    }

    [SkippableFact]
    public async Task A_close_name_in_the_same_region_is_a_warning_that_registering_anyway_overrules()
    {
        fixture.EnsureAvailable();

        var warned = await Create(Fields("Gaujas Kokapstrade Ltd", null));
        var otherRegion = await Create(Fields("Gaujas Kokapstrade Ltd", null, region: "EE008") with { CountryCode = "EE" });
        var anyway = await Create(Fields("Gaujas Kokapstrāde", null), anyway: true);

        Assert.Equal(CaseCommandStatus.Refused, warned.Status);
        Assert.Equal([registered.Id], warned.ProbableDuplicates.Select(d => d.Id));
        Assert.StartsWith("Gaujas Kokapstrade Ltd is a probable duplicate of SIA Gaujas Kokapstrāde in the same region.", warned.Message, StringComparison.Ordinal);
        Assert.True(otherRegion.Succeeded, otherRegion.Message);
        Assert.True(anyway.Succeeded, anyway.Message);
        Assert.Equal(3, await companies.CountAsync());
    }

    [SkippableFact]
    public async Task A_close_name_with_a_different_register_number_is_a_different_company()
    {
        fixture.EnsureAvailable();

        var different = await Create(Fields("Gaujas Kokapstrade", "40103521607"));

        Assert.Null(RegisterNumbers.Normalise("LV", "40103521607").Problem);
        Assert.True(different.Succeeded, different.Message);
    }

    [SkippableFact]
    public async Task Editing_a_company_to_another_companys_number_is_refused()
    {
        fixture.EnsureAvailable();
        var other = (await Create(Fields("Cēsis Robotics", null))).Company!;

        var edit = await new UpdateCompany(companies, reference, time)
            .HandleAsync(new UpdateCompany.Request(other.Id, other.Version, CompanyFields.From(other) with { RegisterNumber = "LV40003521600" }), Broker);

        Assert.Equal(CaseCommandStatus.InvalidForm, edit.Status);
        Assert.Equal(registered.Id, edit.SameNumber!.Id);
        Assert.Null((await companies.GetAsync(other.Id))!.RegisterNumber);
    }

    [SkippableFact]
    public async Task The_database_refuses_a_second_company_with_the_same_number_in_the_same_country()
    {
        fixture.EnsureAvailable();
        var copy = registered with { Id = Guid.CreateVersion7(), Name = "Another name", Contacts = [] };

        var taken = await Assert.ThrowsAsync<RegisterNumberTakenException>(() => companies.InsertAsync(copy));

        Assert.Equal(registered.Id, taken.Existing.Id);
        await companies.InsertAsync(copy with { CountryCode = "EE", RegionCode = "EE008" });
        Assert.Equal(2, await companies.CountAsync());
    }

    [SkippableFact]
    public async Task The_import_dry_run_lists_the_same_number_and_the_similar_name_and_leaves_both_out()
    {
        fixture.EnsureAvailable();
        var csv = "name,country,region,size_class,register_number\r\n"
            + "Vidzemes Koks,LV,LV008,small,LV40003521600\r\n" // the number of SIA Gaujas Kokapstrāde
            + "Gaujas Kokapstrade Ltd,LV,LV008,small,\r\n" // a close name in the same region
            + "Valmiera Public Library,LV,LV008,public-body,90000064195\r\n" // a new public body with its own number
            + "Cēsis Robotics,LV,LV008,small,40003521601\r\n"; // a wrong check digit
        var bytes = Encoding.UTF8.GetBytes(csv);
        var (contents, problem) = CompanyImportFile.Read(new MemoryStream(bytes), "companies.csv", bytes.Length);
        Assert.Null(problem);

        var report = await new ImportCompanies(companies, reference, time).HandleAsync(new ImportCompanies.Request(contents!.Headers, contents.Rows, DryRun: true), Broker);

        Assert.Equal(
            [(2, "Same register number", "SIA Gaujas Kokapstrāde"), (3, "Similar name in the same region", "SIA Gaujas Kokapstrāde")],
            report.Duplicates.Select(d => (d.Row, d.Reason, d.ExistingName)));
        Assert.True(report.Duplicates[0].SameNumber);
        Assert.Equal(["Valmiera Public Library"], report.Accepted.Select(a => a.Name));
        var rejected = Assert.Single(report.Rejected);
        Assert.Equal((5, "register_number", "The Latvian registration number 40003521601 is not valid: its check digit (the last one) does not match."),
            (rejected.Row, rejected.Column, rejected.Message));
        Assert.Equal(1, await companies.CountAsync());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCompanyIdentityTests(SqliteFixture fixture) : CompanyIdentityTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCompanyIdentityTests(PostgresFixture fixture) : CompanyIdentityTests(fixture);
