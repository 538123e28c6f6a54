using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Indicators;
using TIBS.Cases.Data.Indicators;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Indicators.IndicatorWorld;

namespace TIBS.Cases.IntegrationTests.Indicators;

/// <summary>
/// Every indicator the SQL computes equals a count made here, independently, from the generated rows — in total, per
/// region, country, S3 area and year, and under a filter — once per available provider.
/// </summary>
public abstract class IndicatorQueriesTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly string[] EnterpriseSizes = ["micro", "small", "medium", "large"];
    private static readonly string[] SmeSizes = ["micro", "small", "medium"];
    /// <summary>Days compared to about a tenth of a second (SQLite's julianday keeps milliseconds).</summary>
    private const double Tolerance = 1e-6;
    private IndicatorWorld world = null!;

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
            world = Generate(seed: 20261202);
            await world.WriteAsync(fixture.Factory);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private IndicatorQueries Queries => new(fixture.Factory);

    /// <summary>What each indicator counts, computed from the generated cases: (case, organisation, amount, counted at).</summary>
    private static IEnumerable<(string Code, Case Case, Organisation Organisation, long Amount, DateTimeOffset At)> Counted(IndicatorWorld w)
    {
        static bool CrossBorder(Case k) => k.Parties.Select(p => p.Country).Distinct().Count() >= 2;
        foreach (var k in w.Cases)
        {
            var enterprises = new List<(Organisation, DateTimeOffset)>();
            if (k.Eligible is { } eligible && EnterpriseSizes.Contains(k.Lead.Size))
            {
                enterprises.Add((k.Lead, eligible));
            }

            if (k.Signed is { } signed)
            {
                enterprises.AddRange(k.Parties.Where(p => p != k.Lead && EnterpriseSizes.Contains(p.Size)).Select(p => (p, signed)));
                foreach (var p in k.Parties)
                {
                    if (EnterpriseSizes.Contains(p.Size) && k.Parties.Any(o => o.Size == "research"))
                    {
                        yield return (IndicatorCatalog.Rco10, k, p, 1, signed);
                    }

                    if (CrossBorder(k))
                    {
                        yield return (IndicatorCatalog.Rco87, k, p, 1, signed);
                    }
                }
            }

            foreach (var (org, at) in enterprises)
            {
                yield return (IndicatorCatalog.Rco01, k, org, 1, at);
                yield return (IndicatorCatalog.Rco04, k, org, 1, at);
            }

            if (k.Progress != Progress.Completed || k.Evaluated is not { } evaluated)
            {
                continue;
            }

            if (CrossBorder(k))
            {
                yield return (IndicatorCatalog.Rco116, k, k.Lead, k.Solutions, evaluated);
                yield return (IndicatorCatalog.Rcr104, k, k.Lead, k.TakenUp, evaluated);
                if (k.Continues)
                {
                    foreach (var p in k.Parties)
                    {
                        yield return (IndicatorCatalog.Rcr84, k, p, 1, evaluated);
                    }
                }
            }

            if (SmeSizes.Contains(k.Lead.Size) && k.Innovation.Intersect(["product", "process"]).Any())
            {
                yield return (IndicatorCatalog.Rcr03, k, k.Lead, 1, evaluated);
            }

            if (SmeSizes.Contains(k.Lead.Size) && k.Innovation.Intersect(["marketing", "organisational"]).Any())
            {
                yield return (IndicatorCatalog.Rcr04, k, k.Lead, 1, evaluated);
            }
        }
    }

    private static long Figure(string code, IEnumerable<(string Code, Case Case, Organisation Organisation, long Amount, DateTimeOffset At)> rows)
    {
        var mine = rows.Where(r => r.Code == code).ToList();
        return IndicatorCatalog.Find(code)!.Unit == IndicatorUnit.Solutions ? mine.Sum(r => r.Amount) : mine.Select(r => r.Organisation.Id).Distinct().LongCount();
    }

    private static Dictionary<(string Code, string Group), long> Expected(IndicatorWorld w, Func<(string Code, Case Case, Organisation Organisation, long Amount, DateTimeOffset At), IEnumerable<string>> groups)
    {
        var rows = Counted(w).SelectMany(r => groups(r).Select(g => (Group: g, Row: r))).ToList();
        return rows.GroupBy(x => (x.Row.Code, x.Group)).ToDictionary(g => g.Key, g => Figure(g.Key.Code, g.Select(x => x.Row)));
    }

    private static void AssertSame(Dictionary<(string Code, string Group), long> expected, IReadOnlyList<IndicatorValue> actual, string group)
    {
        var got = actual.Where(v => group == "" ? v.Group == "" : v.Group != "").Where(v => v.Value != 0 || expected.ContainsKey((v.Code, v.Group)))
            .ToDictionary(v => (v.Code, v.Group), v => v.Value);
        Assert.Equal(expected.Where(e => e.Value != 0).OrderBy(e => e.Key.ToString(), StringComparer.Ordinal), got.Where(e => e.Value != 0).OrderBy(e => e.Key.ToString(), StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Each_indicator_equals_an_independent_count_in_total_and_per_region_country_S3_area_and_year()
    {
        fixture.EnsureAvailable();
        Assert.All(IndicatorCatalog.All, i => Assert.True(Figure(i.Code, Counted(world)) > 0, $"the generated data has no {i.Code}"));

        var total = await Queries.CountAsync(IndicatorFilter.All, null);
        AssertSame(Expected(world, _ => [""]), total, "");
        foreach (var (by, groups) in new (IndicatorDimension, Func<(string Code, Case Case, Organisation Organisation, long Amount, DateTimeOffset At), IEnumerable<string>>)[]
        {
            (IndicatorDimension.Region, r => [r.Case.Region]),
            (IndicatorDimension.Country, r => [r.Case.Country]),
            (IndicatorDimension.S3Area, r => r.Case.S3),
            (IndicatorDimension.Year, r => [r.At.UtcDateTime.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)]),
        })
        {
            var values = await Queries.CountAsync(IndicatorFilter.All, by);
            AssertSame(Expected(world, groups), values, "group");
            AssertSame(Expected(world, _ => [""]), values, "");
        }
    }

    [SkippableFact]
    public async Task A_filter_by_country_S3_area_and_period_counts_only_what_happened_there_then()
    {
        fixture.EnsureAvailable();
        var country = world.Cases[2].Country;
        var s3 = S3Areas[0];
        var from = DateOnly.FromDateTime(world.Now.AddDays(-500).UtcDateTime);
        var to = DateOnly.FromDateTime(world.Now.AddDays(-30).UtcDateTime);
        bool In(DateTimeOffset at) => at >= new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) && at < new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var byCountry = await Queries.CountAsync(new IndicatorFilter(CountryCode: country, From: from, To: to), null);
        var byS3 = await Queries.CountAsync(new IndicatorFilter(S3Area: s3), IndicatorDimension.Region);

        AssertSame(Expected(world, r => r.Case.Country == country && In(r.At) ? [""] : []), byCountry, "");
        AssertSame(Expected(world, r => r.Case.S3.Contains(s3) ? [r.Case.Region] : []), byS3, "group");
    }

    [SkippableFact]
    public async Task A_filter_by_organisation_counts_only_the_cases_whose_broker_belongs_to_it()
    {
        fixture.EnsureAvailable();
        var now = world.Now;
        var (north, south) = (Guid.NewGuid(), Guid.NewGuid());
        var other = Guid.NewGuid();
        var theirs = world.Cases.Where((_, i) => i % 3 == 0).Select(k => k.Id).ToHashSet();
        await using (var c = await fixture.Factory.OpenAsync())
        {
            foreach (var (id, name) in new[] { (north, "North Agency"), (south, "South Agency") })
            {
                await c.ExecuteAsync(
                    "INSERT INTO organisations (id, name, name_key, kind, country_code, is_archived, version, created_at, updated_at) VALUES (@id, @name, @key, 'other', 'LV', @no, 1, @now, @now)",
                    new { id, name, key = name.ToLowerInvariant(), no = false, now });
            }

            await c.ExecuteAsync("UPDATE users SET organisation_id = @north", new { north });
            await c.ExecuteAsync(
                "INSERT INTO users (id, email, display_name, role, region_code, password_hash, security_stamp, created_at, updated_at, organisation_id) VALUES (@other, 'b2@example.eu', 'Second Broker', 'broker', 'EE008', 'h', 's', @now, @now, @south)",
                new { other, now, south });
            foreach (var id in theirs)
            {
                await c.ExecuteAsync("UPDATE cases SET owner_user_id = @other WHERE id = @id", new { other, id });
            }
        }

        var southern = await Queries.CountAsync(new IndicatorFilter(OrganisationId: south), IndicatorDimension.Region);
        var northern = await Queries.CountAsync(new IndicatorFilter(OrganisationId: north), null);
        var nobody = await Queries.CountAsync(new IndicatorFilter(OrganisationId: Guid.NewGuid()), null);
        var behind = await Queries.CasesAsync(new IndicatorFilter(OrganisationId: south), IndicatorCatalog.Rco01, null, null, 1000);

        AssertSame(Expected(world, r => theirs.Contains(r.Case.Id) ? [""] : []), southern, "");
        AssertSame(Expected(world, r => theirs.Contains(r.Case.Id) ? [r.Case.Region] : []), southern, "group");
        AssertSame(Expected(world, r => theirs.Contains(r.Case.Id) ? [] : [""]), northern, "");
        Assert.All(nobody, v => Assert.Equal(0, v.Value));
        Assert.NotEmpty(behind);
        Assert.All(behind, r => Assert.Contains(r.CaseId, theirs));
    }

    [SkippableFact]
    public async Task The_cases_behind_a_figure_are_the_counted_ones_and_edge_cases_count_as_documented()
    {
        fixture.EnsureAvailable();
        var region = world.Cases[2].Region;
        var rco01 = await Queries.CasesAsync(IndicatorFilter.All, IndicatorCatalog.Rco01, IndicatorDimension.Region, region, 1000);
        var rco87 = await Queries.CasesAsync(IndicatorFilter.All, IndicatorCatalog.Rco87, null, null, 1000);
        var rcr84 = await Queries.CasesAsync(IndicatorFilter.All, IndicatorCatalog.Rcr84, null, null, 1000);

        var expected01 = Counted(world).Where(r => r.Code == IndicatorCatalog.Rco01 && r.Case.Region == region).Select(r => (r.Case.Id, r.Organisation.Id)).Order().ToList();
        Assert.Equal(expected01, rco01.Select(r => (r.CaseId, r.CompanyId)).Order().ToList());
        Assert.Equal(Counted(world).Where(r => r.Code == IndicatorCatalog.Rco87).Select(r => r.Case.Id).Distinct().Order(), rco87.Select(r => r.CaseId).Distinct().Order());

        // A partner in the lead's own country: the agreement is not across borders.
        Assert.DoesNotContain(rco87, r => r.CaseId == world.Cases[2].Id);
        Assert.DoesNotContain(rcr84, r => r.CaseId == world.Cases[2].Id);

        // The same company leads two cases: two rows behind the figure, one organisation in it.
        var shared = world.Cases[2].Lead;
        var all01 = await Queries.CasesAsync(IndicatorFilter.All, IndicatorCatalog.Rco01, null, null, 1000);
        Assert.Contains(all01, r => r.CompanyId == shared.Id && r.CaseId == world.Cases[2].Id);
        Assert.Contains(all01, r => r.CompanyId == shared.Id && r.CaseId == world.Cases[3].Id);
        Assert.Equal(Counted(world).Count(r => r.Code == IndicatorCatalog.Rco01 && r.Organisation == shared), all01.Count(r => r.CompanyId == shared.Id));

        var total01 = (await Queries.CountAsync(IndicatorFilter.All, null)).Single(v => v.Code == IndicatorCatalog.Rco01 && v.Group == "").Value;
        Assert.Equal(all01.Select(r => r.CompanyId).Distinct().LongCount(), total01);

        // Withdrawn after eligibility: supported (RCO01), but no result.
        Assert.Contains(all01, r => r.CaseId == world.Cases[0].Id);
        var results = await Queries.CasesAsync(IndicatorFilter.All, IndicatorCatalog.Rcr03, null, null, 1000);
        Assert.DoesNotContain(results, r => r.CaseId == world.Cases[0].Id || r.CaseId == world.Cases[1].Id);
    }

    [SkippableFact]
    public async Task The_cross_border_matrix_strategies_and_agreement_types_equal_independent_counts()
    {
        fixture.EnsureAvailable();
        var pairs = await Queries.CountryPairsAsync(IndicatorFilter.All);
        var strategies = await Queries.StrategiesAsync(IndicatorFilter.All);
        var agreements = await Queries.AgreementTypesAsync(IndicatorFilter.All);

        var partnerships = world.Cases.Where(k => k.Signed is not null)
            .SelectMany(k => k.Partners.Where(p => p.Status == PipelineStatus.Agreed).Select(p => (Lead: k.Lead.Country, Partner: p.Organisation.Country, Organisation: p.Organisation.Id, Case: k.Id))).ToList();
        var expectedPairs = partnerships.GroupBy(p => (p.Lead, p.Partner))
            .Select(g => (g.Key.Lead, g.Key.Partner, (long)g.Select(p => p.Organisation).Distinct().Count(), (long)g.Select(p => p.Case).Distinct().Count())).Order().ToList();
        Assert.Equal(expectedPairs, pairs.Select(p => (p.LeadCountry, p.PartnerCountry, p.Partners, p.Cases)).Order().ToList());
        Assert.Contains(pairs, p => p.LeadCountry == p.PartnerCountry);

        string Year(DateTimeOffset t) => t.UtcDateTime.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var years = world.Cases.Select(k => Year(k.Opened)).Concat(world.Cases.Where(k => k.Closed is not null).Select(k => Year(k.Closed!.Value))).Distinct();
        var expectedYears = years.Select(y => (y,
                (long)world.Cases.Count(k => Year(k.Opened) == y),
                (long)world.Cases.Count(k => k.Progress == Progress.Completed && Year(k.Closed!.Value) == y),
                (long)world.Cases.Count(k => k.Progress is Progress.WithdrawnEligible or Progress.WithdrawnSigned && Year(k.Closed!.Value) == y)))
            .Where(x => x.Item2 + x.Item3 + x.Item4 > 0).Order().ToList();
        Assert.Equal(expectedYears, strategies.Select(s => (s.Year, s.Opened, s.Completed, s.Withdrawn)).Order().ToList());

        var expectedTypes = world.Cases.Where(k => k.Signed is not null).GroupBy(k => k.AgreementType).Select(g => (g.Key, (long)g.Count())).Order().ToList();
        Assert.Equal(expectedTypes, agreements.Select(a => (a.AgreementType, a.Agreements)).Order().ToList());
    }

    [SkippableFact]
    public async Task Median_and_90th_percentile_days_overdue_share_and_sent_back_equal_an_independent_computation_per_version()
    {
        fixture.EnsureAvailable();
        var times = await Queries.StepTimesAsync("joint-smart-strategy", world.Now);
        var stages = await Queries.StageDurationsAsync(IndicatorFilter.All);

        var records = world.Cases.SelectMany(k => k.Steps.Select((s, i) => (Case: k, Step: s, Again: k.Steps.Take(i).Any(e => e.Key == s.Key)))).ToList();
        var expected = records.GroupBy(r => (r.Step.Version, r.Step.Key)).Select(g =>
        {
            var days = g.Where(r => r.Step.End is not null).Select(r => (r.Step.End!.Value - r.Step.Start).TotalDays).ToList();
            var withDue = g.Where(r => r.Step.Due is not null).ToList();
            return (g.Key.Version, g.Key.Key, Completed: (long)days.Count, Median: Percentile(days, 50), P90: Percentile(days, 90),
                WithDue: (long)withDue.Count, Overdue: (long)withDue.Count(r => (r.Step.End ?? world.Now) > r.Step.Due), SentBack: (long)g.Count(r => r.Again));
        }).OrderBy(x => x.Version).ThenBy(x => x.Key, StringComparer.Ordinal).ToList();

        Assert.Contains(expected, e => e.Version == 2);
        Assert.Contains(expected, e => e.SentBack > 0);
        Assert.Equal(expected.Select(e => (e.Version, e.Key)), times.Select(t => (t.Version, t.StepKey)));
        foreach (var (e, t) in expected.Zip(times))
        {
            Assert.Equal((e.Completed, e.WithDue, e.Overdue, e.SentBack), (t.Completed, t.WithDue, t.Overdue, t.SentBack));
            Assert.Equal(e.Median ?? -1, t.MedianDays ?? -1, Tolerance);
            Assert.Equal(e.P90 ?? -1, t.P90Days ?? -1, Tolerance);
        }

        var expectedStages = world.Cases.SelectMany(k => k.Steps.Where(s => s.End is not null).GroupBy(s => s.Stage).Select(g => (Stage: g.Key, Days: g.Sum(s => (s.End!.Value - s.Start).TotalDays))))
            .GroupBy(x => x.Stage).Select(g => (g.Key, (long)g.Count(), Percentile([.. g.Select(x => x.Days)], 50)!.Value)).OrderBy(x => x.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(expectedStages.Select(s => (s.Key, s.Item2)), stages.Select(s => (s.StageKey, s.Cases)));
        Assert.All(expectedStages.Zip(stages), p => Assert.Equal(p.First.Item3, p.Second.MedianDays, Tolerance));
    }

    /// <summary>Linear interpolation between the closest ranks (as PERCENTILE_CONT), computed directly.</summary>
    private static double? Percentile(List<double> values, int percent)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var position = (sorted.Count - 1) * percent / 100.0;
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteIndicatorQueriesTests(SqliteFixture fixture) : IndicatorQueriesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresIndicatorQueriesTests(PostgresFixture fixture) : IndicatorQueriesTests(fixture);
