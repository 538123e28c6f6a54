using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Companies.DeMinimis;
using TIBS.Cases.Core.Exports;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.IntegrationTests.Companies;

/// <summary>De minimis aid per company on every provider: recording, the three-year ceiling, who may, and the export table.</summary>
public abstract class DeMinimisTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Broker = new(Guid.CreateVersion7(), WorkflowRole.Broker, "LV008");
    private static readonly Actor OtherBroker = new(Guid.CreateVersion7(), WorkflowRole.Broker, "DE60");
    private static readonly Actor Evaluator = new(Guid.CreateVersion7(), WorkflowRole.Evaluator, null);

    private readonly FakeTimeProvider time = new(Now);
    private CompanyStore companies = null!;
    private DeMinimisStore aid = null!;
    private Company company = null!;

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
            companies = new CompanyStore(fixture.Factory);
            aid = new DeMinimisStore(fixture.Factory);
            await CompanyHandlerTests.UsersAsync(fixture, Broker, OtherBroker, Evaluator);
            var created = await new CreateCompany(companies, new ReferenceDataStore(fixture.Factory), time)
                .HandleAsync(new CreateCompany.Request(CompanyHandlerTests.Valid("Cēsis Timber Labs") with { RegisterNumber = "40003521600" }), Broker);
            company = created.Company!;
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<RecordDeMinimisAid.Result> Record(string day, string amount, bool anyway = false, Actor? actor = null) =>
        new RecordDeMinimisAid(companies, aid, time).HandleAsync(
            new RecordDeMinimisAid.Request(company.Id, new DeMinimisFields { GrantedOn = day, GrantingBody = "LIAA", AmountEur = amount, Description = "Brokerage" }, anyway),
            actor ?? Broker);

    [SkippableFact]
    public async Task The_page_shows_the_sum_over_the_last_three_years_and_what_remains()
    {
        fixture.EnsureAvailable();
        Assert.True((await Record("2023-12-02", "100000")).Succeeded); // exactly three years ago: out of the period
        Assert.True((await Record("2023-12-03", "50000,50")).Succeeded);
        Assert.True((await Record("2026-12-02", "20000.25")).Succeeded);

        var view = (await new GetDeMinimisAid(companies, aid, time).HandleAsync(new GetDeMinimisAid.Request(company.Id), Evaluator)).View!;

        Assert.Equal(["2026-12-02", "2023-12-03", "2023-12-02"], view.Records.Select(r => r.GrantedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal((new DateOnly(2023, 12, 3), 70_000.75m, 229_999.25m), (view.LastThreeYears.From, view.LastThreeYears.Sum, view.LastThreeYears.Remaining));
        Assert.False(view.CanRecord); // evaluators read
    }

    [SkippableFact]
    public async Task Aid_over_the_ceiling_is_a_warning_until_confirmed()
    {
        fixture.EnsureAvailable();
        Assert.True((await Record("2024-06-01", "250000")).Succeeded);

        var warned = await Record("2026-05-31", "50000.01");
        var confirmed = await Record("2026-05-31", "50000.01", anyway: true);

        Assert.True(warned.NeedsConfirmation);
        Assert.Equal(
            "With this aid Cēsis Timber Labs would have received EUR 300,000.01 from 1 June 2023 to 31 May 2026, over the de minimis ceiling of EUR 300,000.00 in any three years (Regulation (EU) 2023/2831). Nothing is recorded yet; record it anyway if the company's declaration says so.",
            warned.Message);
        Assert.True(confirmed.Succeeded);
        Assert.Equal(2, (await aid.ListAsync(company.Id)).Count);
    }

    [SkippableFact]
    public async Task Wrong_entries_get_a_message_per_field_and_brokers_of_other_regions_may_not_record()
    {
        fixture.EnsureAvailable();

        var wrong = await new RecordDeMinimisAid(companies, aid, time).HandleAsync(
            new RecordDeMinimisAid.Request(company.Id, new DeMinimisFields { GrantedOn = "2026-12-03", GrantingBody = " ", AmountEur = "12.345" }), Broker);
        var other = await Record("2026-01-01", "100", actor: OtherBroker);

        Assert.Equal(CaseCommandStatus.InvalidForm, wrong.Status);
        Assert.Equal(
            [("GrantedOn", "The date the aid was granted cannot be in the future."), ("GrantingBody", "Enter the body that granted the aid."),
             ("AmountEur", "Enter the amount in euros with at most two decimals, such as 12500.50 (no thousands separators).")],
            wrong.FieldErrors.Select(e => (e.Field, e.Message)));
        Assert.Equal(CaseCommandStatus.Forbidden, other.Status);
        Assert.Empty(await aid.ListAsync(company.Id));
    }

    [SkippableFact]
    public async Task The_export_table_streams_the_records_with_typed_columns()
    {
        fixture.EnsureAvailable();
        Assert.True((await Record("2025-03-01", "1500.5")).Succeeded);
        Assert.True((await Record("2026-01-15", "200")).Succeeded);

        var table = new DeMinimisExport(aid, time).Handle(new DeMinimisExport.Request([company.Id]), Evaluator)!;
        var rows = new List<object?[]>();
        await foreach (var row in table.Rows)
        {
            rows.Add(row);
        }

        Assert.Equal("de-minimis-2026-12-02", table.FileName);
        Assert.Equal(ExportColumnKind.Decimal, table.Columns.Single(c => c.Header == "Amount (EUR)").Kind);
        Assert.Equal(
            [["Cēsis Timber Labs", "Latvia", "40003521600", "Micro enterprise, SME (fewer than 10 staff)", new DateOnly(2025, 3, 1), "LIAA", 1500.50m, "Brokerage"],
             ["Cēsis Timber Labs", "Latvia", "40003521600", "Micro enterprise, SME (fewer than 10 staff)", new DateOnly(2026, 1, 15), "LIAA", 200m, "Brokerage"]],
            rows.Select(r => r[..8]));
        Assert.Null(new DeMinimisExport(aid, time).Handle(new DeMinimisExport.Request(), new Actor(Guid.CreateVersion7(), WorkflowRole.Administrator, null)));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteDeMinimisTests(SqliteFixture fixture) : DeMinimisTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresDeMinimisTests(PostgresFixture fixture) : DeMinimisTests(fixture);
