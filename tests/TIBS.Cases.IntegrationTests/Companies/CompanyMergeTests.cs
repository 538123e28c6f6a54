using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Companies.DeMinimis;
using TIBS.Cases.Core.Companies.Merge;
using TIBS.Cases.Core.Display;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Companies;

/// <summary>
/// Merging a duplicate company into the one that survives, on every provider: cases, partner entries, contact persons,
/// codes and aid move in one transaction; old events resolve to the survivor; concurrent edits and merges are reported.
/// </summary>
public abstract class CompanyMergeTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private CaseEnvironment env = null!;

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
            env = await CaseEnvironment.CreateAsync(fixture);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private MergeCompanies Merge => env.Service.Handler<MergeCompanies>();

    private ICompanyMergeStore Merges => env.Service.Handler<ICompanyMergeStore>();

    /// <summary>A second registration of the German partner, with a contact person, codes and de minimis aid of its own.</summary>
    private async Task<Company> DuplicateOfGermanPartnerAsync()
    {
        var duplicate = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = "Hamburg Maritime Analytics GmbH",
            CountryCode = "DE",
            RegionCode = "DE60",
            SizeClass = SizeClasses.Small,
            RegisterNumber = "DE136695976",
            NaceCodes = ["C", "J62"],
            S3Areas = ["bioeconomy", "ict-digitalisation"],
            Contacts = [new CompanyContact { Id = Guid.CreateVersion7(), Name = "Jens Möller", Email = "jens@hma.example" }],
            CreatedAt = CaseEnvironment.Start,
            UpdatedAt = CaseEnvironment.Start,
        };
        await env.Companies.InsertAsync(duplicate);
        await env.Service.Handler<IDeMinimisStore>().InsertAsync(new DeMinimisAid
        {
            Id = Guid.CreateVersion7(),
            CompanyId = duplicate.Id,
            GrantedOn = new DateOnly(2025, 4, 1),
            GrantingBody = "Hamburg Invest",
            AmountCents = 12_000_00,
            RecordedAt = CaseEnvironment.Start,
        });
        return duplicate;
    }

    private async Task<CaseRecord> ShortlistedAsync(params Guid[] companies)
    {
        var c = await env.OpenCaseAsync();
        foreach (var company in companies)
        {
            var version = (await env.DetailsAsync(c.Id)).Case.Version;
            var result = await env.Service.ShortlistPartnerAsync(c.Id, version, company, env.LatvianBroker);
            Assert.True(result.Succeeded, result.Message);
        }

        return c;
    }

    [SkippableFact]
    public async Task A_merge_moves_cases_partners_contacts_codes_and_aid_to_the_survivor_and_old_events_show_the_survivor()
    {
        fixture.EnsureAvailable();
        var survivor = env.GermanPartner;
        var duplicate = await DuplicateOfGermanPartnerAsync();
        var both = await ShortlistedAsync(survivor.Id, duplicate.Id);
        var onlyDuplicate = await ShortlistedAsync(duplicate.Id);
        var untouched = await ShortlistedAsync();
        var versionBefore = (await env.DetailsAsync(onlyDuplicate.Id)).Case.Version;

        var result = await Merge.HandleAsync(new MergeCompanies.Request(survivor.Id, duplicate.Id, survivor.Version, duplicate.Version), env.Coordinator);

        Assert.Equal(CaseCommandStatus.Done, result.Status);
        Assert.Equal(
            "Hamburg Maritime Analytics GmbH is merged into Hamburg Maritime Analytics: 2 cases, 2 partner entries, 1 contact person and 1 de minimis record now point to Hamburg Maritime Analytics.",
            result.Message);
        Assert.Null(await env.Companies.GetAsync(duplicate.Id));
        var stored = (await env.Companies.GetAsync(survivor.Id))!;
        Assert.Equal(["Jens Möller"], stored.Contacts.Select(c => c.Name));
        Assert.Equal(["C", "J62"], stored.NaceCodes);
        Assert.Equal(["bioeconomy", "ict-digitalisation"], stored.S3Areas);
        Assert.Equal("DE136695976", stored.RegisterNumber); // the survivor had none: it takes the duplicate's
        Assert.Equal(survivor.Version + 1, stored.Version);
        Assert.Equal([12_000_00L], (await env.Service.Handler<IDeMinimisStore>().ListAsync(survivor.Id)).Select(a => a.AmountCents));

        // The case with both keeps one entry; the other case's entry now names the survivor.
        var bothDetails = await env.DetailsAsync(both.Id);
        Assert.Equal([survivor.Id], bothDetails.Participants.Where(p => p.Role != ParticipantRole.Lead).Select(p => p.CompanyId));
        var onlyDetails = await env.DetailsAsync(onlyDuplicate.Id);
        Assert.Equal([survivor.Id], onlyDetails.Participants.Where(p => p.Role != ParticipantRole.Lead).Select(p => p.CompanyId));
        Assert.Equal(versionBefore + 1, onlyDetails.Case.Version);
        Assert.DoesNotContain((await env.DetailsAsync(untouched.Id)).Events, e => e.Kind == CaseEventKinds.CompanyMerged);

        // Events are never rewritten: the shortlisting still names the duplicate's id, shown as the survivor; the merge is an event of its own.
        Assert.Contains(onlyDetails.Events, e => e.Kind == CaseEventKinds.PartnerShortlisted && e.Data.Contains(duplicate.Id.ToString(), StringComparison.Ordinal));
        Assert.Equal(survivor.Id, (await Merges.SurvivorsAsync([duplicate.Id]))[duplicate.Id]);
        var timeline = await env.Service.Handler<CaseTimeline>().DescribeAsync(onlyDetails, env.Coordinator, new Dictionary<Guid, string>());
        Assert.Equal("Companies merged", timeline[0].Title);
        Assert.Equal(
            "Hamburg Maritime Analytics GmbH was a duplicate of Hamburg Maritime Analytics and is merged into it; the case now names Hamburg Maritime Analytics.",
            Assert.Single(timeline[0].Details));
        Assert.Equal(
            "Hamburg Maritime Analytics (Hamburg) is shortlisted.",
            Assert.Single(timeline.Single(e => e.Title == "Partner shortlisted").Details));
        foreach (var c in new[] { both, onlyDuplicate })
        {
            Assert.True((await env.Service.VerifyAuditAsync(c.Id))!.IsIntact);
        }
    }

    [SkippableFact]
    public async Task Merging_the_lead_company_moves_the_case_and_a_later_merge_of_the_survivor_resolves_the_first_duplicate_too()
    {
        fixture.EnsureAvailable();
        var second = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = "Vidzeme Wood Solutions SIA",
            CountryCode = "LV",
            RegionCode = "LV008",
            SizeClass = SizeClasses.Micro,
            CreatedAt = CaseEnvironment.Start,
            UpdatedAt = CaseEnvironment.Start,
        };
        await env.Companies.InsertAsync(second);
        var opened = await env.Service.OpenCaseAsync(second.Id, null, env.LatvianBroker);
        Assert.True(opened.Succeeded, opened.Message);

        var first = await Merge.HandleAsync(new MergeCompanies.Request(env.LatvianNeighbour.Id, second.Id), env.Coordinator);
        var then = await Merge.HandleAsync(new MergeCompanies.Request(env.Lead.Id, env.LatvianNeighbour.Id), env.Coordinator);

        Assert.True(first.Succeeded, first.Message);
        Assert.True(then.Succeeded, then.Message);
        var details = await env.DetailsAsync(opened.Case!.Id);
        Assert.Equal(env.Lead.Id, details.Case.LeadCompanyId);
        Assert.Equal(env.Lead.Id, details.Participants.Single(p => p.Role == ParticipantRole.Lead).CompanyId);
        Assert.Equal(2, details.Events.Count(e => e.Kind == CaseEventKinds.CompanyMerged));
        var survivors = await Merges.SurvivorsAsync([second.Id, env.LatvianNeighbour.Id]);
        Assert.Equal(env.Lead.Id, survivors[second.Id]);
        Assert.Equal(env.Lead.Id, survivors[env.LatvianNeighbour.Id]);
        Assert.True((await env.Service.VerifyAuditAsync(details.Case.Id))!.IsIntact);
    }

    [SkippableFact]
    public async Task A_company_edited_since_the_page_was_opened_is_reported_and_nothing_is_merged()
    {
        fixture.EnsureAvailable();
        var duplicate = await DuplicateOfGermanPartnerAsync();
        var c = await ShortlistedAsync(duplicate.Id);
        var seen = duplicate.Version;
        var edit = await new UpdateCompany(env.Companies, new TIBS.Cases.Data.Stores.ReferenceDataStore(fixture.Factory), env.Time)
            .HandleAsync(new UpdateCompany.Request(duplicate.Id, seen, CompanyFields.From(duplicate) with { Website = "https://hma.example" }), env.Coordinator);
        Assert.True(edit.Succeeded, edit.Message);

        var result = await Merge.HandleAsync(new MergeCompanies.Request(env.GermanPartner.Id, duplicate.Id, env.GermanPartner.Version, seen), env.Coordinator);

        Assert.Equal(CaseCommandStatus.Conflict, result.Status);
        Assert.Equal("Someone else changed Hamburg Maritime Analytics GmbH since you opened this page; nothing was merged. Review both companies and merge again.", result.Message);
        Assert.NotNull(await env.Companies.GetAsync(duplicate.Id));
        Assert.Equal(duplicate.Id, (await env.DetailsAsync(c.Id)).Participants.Single(p => p.Role != ParticipantRole.Lead).CompanyId);
        Assert.Null(await Merges.FindAsync(duplicate.Id));
    }

    [SkippableFact]
    public async Task Two_coordinators_merging_the_same_duplicate_at_once_get_one_merge_and_one_report()
    {
        fixture.EnsureAvailable();
        var duplicate = await DuplicateOfGermanPartnerAsync();
        var c = await ShortlistedAsync(duplicate.Id);
        var request = new MergeCompanies.Request(env.GermanPartner.Id, duplicate.Id, env.GermanPartner.Version, duplicate.Version);

        var results = await Task.WhenAll(Merge.HandleAsync(request, env.Coordinator), Merge.HandleAsync(request, env.Coordinator));

        Assert.Single(results, r => r.Succeeded);
        var other = Assert.Single(results, r => !r.Succeeded);
        Assert.Contains(other.Status, new[] { CaseCommandStatus.Conflict, CaseCommandStatus.Refused });
        Assert.Single((await env.DetailsAsync(c.Id)).Events, e => e.Kind == CaseEventKinds.CompanyMerged);
        var again = await Merge.HandleAsync(request, env.Coordinator);
        Assert.Equal((CaseCommandStatus.Refused, "Hamburg Maritime Analytics GmbH was already merged into Hamburg Maritime Analytics; there is nothing left to merge."), (again.Status, again.Message));
    }

    [SkippableFact]
    public async Task Only_coordinators_merge_and_never_a_company_into_itself_or_into_one_already_merged()
    {
        fixture.EnsureAvailable();
        var duplicate = await DuplicateOfGermanPartnerAsync();

        var byBroker = await Merge.HandleAsync(new MergeCompanies.Request(env.GermanPartner.Id, duplicate.Id), env.GermanBroker);
        var byEvaluator = await Merge.HandleAsync(new MergeCompanies.Request(env.GermanPartner.Id, duplicate.Id), env.Evaluator);
        var itself = await Merge.HandleAsync(new MergeCompanies.Request(duplicate.Id, duplicate.Id), env.Coordinator);
        Assert.True((await Merge.HandleAsync(new MergeCompanies.Request(env.GermanPartner.Id, duplicate.Id), env.Coordinator)).Succeeded);
        var intoMerged = await Merge.HandleAsync(new MergeCompanies.Request(duplicate.Id, env.LatvianNeighbour.Id), env.Coordinator);

        Assert.Equal((CaseCommandStatus.Forbidden, "Only coordinators merge companies."), (byBroker.Status, byBroker.Message));
        Assert.Equal(CaseCommandStatus.Forbidden, byEvaluator.Status);
        Assert.Equal((CaseCommandStatus.Refused, "A company cannot be merged into itself: choose two different companies."), (itself.Status, itself.Message));
        Assert.Equal(CaseCommandStatus.Refused, intoMerged.Status);
        Assert.Equal("Hamburg Maritime Analytics GmbH was already merged into Hamburg Maritime Analytics: choose Hamburg Maritime Analytics as the company that survives.", intoMerged.Message);
        Assert.Equal(env.GermanPartner.Id, intoMerged.MergedInto);
        Assert.NotNull(await env.Companies.GetAsync(env.LatvianNeighbour.Id));
    }

    [SkippableFact]
    public async Task Companies_with_different_register_numbers_are_not_merged()
    {
        fixture.EnsureAvailable();
        var a = await DuplicateOfGermanPartnerAsync();
        var b = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = "Hamburg Maritime Analytik",
            CountryCode = "DE",
            RegionCode = "DE60",
            SizeClass = SizeClasses.Small,
            RegisterNumber = "HRB 12345 HAMBURG",
            CreatedAt = CaseEnvironment.Start,
            UpdatedAt = CaseEnvironment.Start,
        };
        await env.Companies.InsertAsync(b);

        var result = await Merge.HandleAsync(new MergeCompanies.Request(a.Id, b.Id), env.Coordinator);

        Assert.Equal(CaseCommandStatus.Refused, result.Status);
        Assert.Equal(
            "Hamburg Maritime Analytik and Hamburg Maritime Analytics GmbH have different register numbers (HRB 12345 HAMBURG and DE136695976): they are different companies and are not merged.",
            result.Message);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCompanyMergeTests(SqliteFixture fixture) : CompanyMergeTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCompanyMergeTests(PostgresFixture fixture) : CompanyMergeTests(fixture);
