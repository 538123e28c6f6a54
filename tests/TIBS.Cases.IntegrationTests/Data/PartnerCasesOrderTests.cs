using Dapper;
using TIBS.Cases.Core.Work;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// "My work" lists the partner participations of the broker's regions region by region, each read in its order up to
/// a page (decision 0057): the list is exactly what one sorted read over every region showed, with ties on the time of
/// the last change, closed cases, cases of the broker's own regions, other roles and more than a page.
/// </summary>
public abstract class PartnerCasesOrderTests(DatabaseFixture fixture)
{
    private static readonly string[] Regions = ["LV008", "DE60", "PL84"];

    /// <summary>The statement "My work" ran before, kept here as the reference.</summary>
    private const string Previous =
        """
        SELECT c.id AS case_id, c.reference, c.title, c.region_code AS case_region_code, cp.id AS participant_id, co.name AS company_name,
               cp.pipeline_status, cp.updated_at
        FROM case_participants cp
        JOIN cases c ON c.id = cp.case_id
        JOIN companies co ON co.id = cp.company_id
        WHERE cp.region_code IN ({0}) AND cp.role = 'partner' AND NOT (c.region_code IN ({0})) AND c.status <> 'closed'
        ORDER BY cp.updated_at DESC, cp.id
        """;

    [SkippableFact]
    public async Task My_work_lists_the_same_partner_cases_in_the_same_order_as_one_sorted_read()
    {
        await SeedAsync(1500);
        var queries = new WorkQueries(fixture.Factory);
        foreach (var regions in new[] { new[] { "LV008", "DE60" }, ["PL84"], ["DE60", "PL84", "LV008"], ["LV008", "LV008"], ["EE004"] })
        {
            var listed = await queries.PartnerCasesAsync(regions);

            var expected = await PreviousReadAsync(regions);
            Assert.Equal(expected, listed.Select(Row).ToList());
            Assert.Equal(regions[0] == "EE004" || regions.Length == 3, listed.Count == 0);
        }

        Assert.Equal(500, (await queries.PartnerCasesAsync(["PL84"])).Count);
        Assert.Empty(await queries.PartnerCasesAsync([]));
    }

    [SkippableFact]
    public async Task Pages_after_the_last_listed_participation_list_every_partner_case_once_in_the_same_order()
    {
        await SeedAsync(1500);
        var queries = new WorkQueries(fixture.Factory);
        foreach (var regions in new[] { new[] { "LV008", "DE60" }, ["PL84"] })
        {
            var listed = new List<PartnerCaseItem>();
            PartnerCaseCursor? after = null;
            for (var pages = 0; pages < 100; pages++)
            {
                var page = await queries.PartnerCasesAsync(regions, after, 37);
                listed.AddRange(page);
                if (page.Count < 37)
                {
                    break;
                }

                after = new PartnerCaseCursor(page[^1].UpdatedAt, page[^1].ParticipantId);
            }

            // Every partner case of the regions (more than the 500 of one page), each once, in one sorted read's order,
            // across the ties on the time of the last change.
            var expected = await PreviousReadAsync(regions, 100_000);
            Assert.True(expected.Count > 500, $"{expected.Count} partner cases");
            Assert.Equal(expected, listed.Select(Row).ToList());
        }
    }

    private static string Row(PartnerCaseItem i) =>
        $"{i.CaseId}|{i.Reference}|{i.Title}|{i.CaseRegionCode}|{i.ParticipantId}|{i.CompanyName}|{i.PipelineStatus}|{i.UpdatedAt.ToUniversalTime():O}";

    private async Task<List<string>> PreviousReadAsync(string[] regions, int take = 500)
    {
        var p = new DynamicParameters(new { take });
        var list = string.Join(", ", regions.Distinct().Select((r, i) => { p.Add($"r{i}", r); return $"@r{i}"; }));
        await using var c = await fixture.Factory.OpenAsync();
        var rows = await c.QueryAsync<PartnerCaseItem>(fixture.Factory.Dialect.Limit(string.Format(System.Globalization.CultureInfo.InvariantCulture, Previous, list), "@take"), p);
        return [.. rows.Select(Row)];
    }

    /// <summary>A company per region, <paramref name="cases"/> cases over the three regions (some closed or on hold), and
    /// on each case participations of the other companies as partners or in other roles, changed at a handful of times.</summary>
    private async Task SeedAsync(int cases)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var now = new DateTimeOffset(DateTimeOffset.UtcNow.Year, 6, 15, 12, 0, 0, TimeSpan.Zero);
        var (owner, version) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var companies = Regions.ToDictionary(r => r, _ => Guid.CreateVersion7());
        await using var c = await fixture.Factory.OpenAsync();
        await c.ExecuteAsync(
            "INSERT INTO users (id, email, display_name, role, region_code, password_hash, security_stamp, created_at, updated_at) VALUES (@owner, 'owner@partners.example', 'Owner', 'broker', 'LV008', 'h', 's', @now, @now)",
            new { owner, now });
        foreach (var (region, id) in companies)
        {
            await c.ExecuteAsync(
                "INSERT INTO companies (id, name, country_code, region_code, size_class, created_at, updated_at, version) VALUES (@id, @name, 'LV', @region, 'small', @now, @now, 1)",
                new { id, name = $"Works of {region}", region, now });
        }

        var definition = Guid.CreateVersion7();
        await c.ExecuteAsync("INSERT INTO workflow_definitions (id, definition_key, name, created_at) VALUES (@definition, 'jss', 'Joint smart strategy', @now)", new { definition, now });
        await c.ExecuteAsync(
            "INSERT INTO workflow_versions (id, definition_id, number, status, content, content_hash, source, created_at) VALUES (@version, @definition, 1, 'published', 'x', @hash, 'file', @now)",
            new { version, definition, hash = new string('a', 64), now });
        await using var tx = await c.BeginTransactionAsync();
        for (var n = 0; n < cases; n++)
        {
            var region = Regions[n % 3];
            var @case = Guid.CreateVersion7();
            await c.ExecuteAsync(
                """
                INSERT INTO cases (id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_step,
                    step_started_at, data, version, audit_head_hash, audit_count, opened_at, updated_at)
                VALUES (@case, @reference, @title, @version, @company, @region, @owner, @status, 'intake', @now, '{}', 1, @hash, 0, @now, @now)
                """,
                new
                {
                    @case,
                    reference = $"{region}-{(n * 7919) % 100000:D5}",
                    title = $"Case {n}",
                    version,
                    company = companies[region],
                    region,
                    owner,
                    status = (n % 10) switch { 7 => "on-hold", 8 or 9 => "closed", _ => "active" },
                    now,
                    hash = new string('0', 64),
                },
                tx);
            foreach (var (other, k) in Regions.Where(r => r != region).Select((r, k) => (r, k)))
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO case_participants (id, case_id, company_id, region_code, role, pipeline_status, added_at, updated_at)
                    VALUES (@id, @case, @company, @other, @role, @pipeline, @now, @updated)
                    """,
                    new
                    {
                        id = Guid.NewGuid(),
                        @case,
                        company = companies[other],
                        other,
                        role = (n + k) % 5 == 0 ? "lead" : "partner",
                        pipeline = (n % 3) switch { 0 => "identified", 1 => "contacted", _ => "interested" },
                        now,
                        updated = now.AddHours(-((n * 13 + k) % 7)),
                    },
                    tx);
            }
        }

        await tx.CommitAsync();
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePartnerCasesOrderTests(SqliteFixture fixture) : PartnerCasesOrderTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPartnerCasesOrderTests(PostgresFixture fixture) : PartnerCasesOrderTests(fixture);
