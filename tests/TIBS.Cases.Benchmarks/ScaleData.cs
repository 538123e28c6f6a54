using System.Globalization;
using Dapper;
using Npgsql;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Data;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// A PostgreSQL database <c>tibs_scale_&lt;cases&gt;</c> filled with generated rows for the <c>queries</c> scenario: one
/// broker per region, --companies companies (accented names, NACE codes, S3 areas) and N cases of the shipped
/// definition (60 % active, 10 % on hold, 30 % closed, opened over three years, a fifth of the active ones overdue),
/// each with its open step, a reference in the application's form (region, year, number in both: LV006-2025-0042),
/// two timeline events, a partner on one case in ten and an escalation on one in a hundred.
/// Rows are written with set-based SQL (generate_series); the database is kept for the next run unless --drop.
/// </summary>
internal static class ScaleData
{
    private static readonly string[] Stems = ["Łódź Meble", "Gaujas Kokapstrāde", "Õunapuu", "Šiaulių Ūkis", "Großhandel Müller", "Ærø Træ", "Åkerström", "Żółć Drewno", "Vidzeme Wood", "Baltic Foods"];
    private static readonly string[] Keywords = ["mēbeles, möbel, træ, drewno", "food processing, packaging", "software, cybersecurity, cloud", "biotech, laboratory, diagnostics"];
    private static readonly string[] Offers = ["wood processing and furniture", "packaging lines and food safety", "software development and cloud hosting", "laboratory testing and clinical trials"];
    private static readonly string[] Needs = ["export partners in Scandinavia", "automation of production", "research partner for new materials", "distribution in Poland"];
    private static readonly string[] Nace = ["C16.2", "C10.8", "J62.0", "M72.1", "C31.0", "A02.2"];

    /// <summary>The name of the databases before <c>_&lt;cases&gt;</c> (option --database-prefix): copies of a kept database can be measured side by side.</summary>
    public static string Prefix { get; set; } = "tibs_scale";

    public static async Task<ConnectionFactory> OpenAsync(string serverConnection, int cases, int companies, Func<ConnectionFactory, Task<BenchEnvironment>> environment)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{Prefix}_{cases}");
        var factory = new ConnectionFactory(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(serverConnection) { Database = name, CommandTimeout = 0 }.ToString());
        await using (var server = new NpgsqlConnection(serverConnection))
        {
            await server.OpenAsync();
            if (await server.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM pg_database WHERE datname = @name", new { name }) == 1)
            {
                try
                {
                    await using var existing = await factory.OpenAsync();
                    // A database loaded before references took the application's form has no reference numbers kept.
                    if (await existing.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cases") == cases
                        && await existing.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM case_sequences)"))
                    {
                        Console.WriteLine($"{name}: {cases} cases already loaded");
                        return factory;
                    }
                }
                catch (PostgresException)
                {
                    // not migrated: loaded again below
                }

                NpgsqlConnection.ClearAllPools();
                await server.ExecuteAsync($"DROP DATABASE \"{name}\" WITH (FORCE)");
            }

            await server.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        }

        var env = await environment(factory);
        await LoadAsync(factory, env, cases, companies);
        return factory;
    }

    public static async Task DropAsync(string serverConnection, int cases)
    {
        NpgsqlConnection.ClearAllPools();
        await using var server = new NpgsqlConnection(serverConnection);
        await server.OpenAsync();
        await server.ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"DROP DATABASE IF EXISTS \"{Prefix}_{cases}\" WITH (FORCE)"));
    }

    private static async Task LoadAsync(ConnectionFactory factory, BenchEnvironment env, int cases, int companies)
    {
        var started = DateTimeOffset.UtcNow;
        await using var c = await factory.OpenAsync();
        var regions = (await c.QueryAsync<(string Code, string Country)>("SELECT code, country_code FROM regions ORDER BY code")).ToList();
        var now = DateTimeOffset.UtcNow;
        foreach (var (code, _) in regions)
        {
            var user = new UserAccount
            {
                Id = Guid.CreateVersion7(),
                Email = $"broker.{code.ToLowerInvariant()}@scale.example",
                DisplayName = $"Broker {code}",
                Role = Roles.Broker,
                RegionCode = code,
                PasswordHash = "x",
                SecurityStamp = "s",
                CreatedAt = now,
                UpdatedAt = now,
            };
            await env.Users.InsertAsync(user);
        }

        var (version, plan) = await env.Catalog.GetPublishedAsync(BenchEnvironment.DefinitionKey);
        var steps = plan.Steps.ToArray();
        var stems = Stems.Select(SearchText.Fold).ToArray();
        var texts = Enumerable.Range(0, Keywords.Length).Select(i => SearchText.Fold(string.Join('\n', Keywords[i], Offers[i], Needs[i]))).ToArray();
        var p = new
        {
            companies,
            cases,
            regs = regions.Select(r => r.Code).ToArray(),
            countries = regions.Select(r => r.Country).ToArray(),
            stems = Stems,
            folded = stems,
            keywords = Keywords,
            offers = Offers,
            needs = Needs,
            texts,
            nace = Nace,
            sizes = new[] { SizeClasses.Micro, SizeClasses.Small, SizeClasses.Medium, SizeClasses.Large, SizeClasses.Research },
            version = version.Id,
            stepKeys = steps.Select(s => s.Key).ToArray(),
            stageKeys = steps.Select(s => s.StageKey ?? "").ToArray(),
            now,
        };
        string[] statements =
        [
            """
            INSERT INTO companies (id, name, country_code, region_code, size_class, year_founded, offers, needs, keywords, languages, created_at, updated_at, version, search_name, search_text)
            SELECT gen_random_uuid(), @stems[1 + g % 10] || ' ' || g, @countries[1 + (g / 10) % cardinality(@regs)], @regs[1 + (g / 10) % cardinality(@regs)],
                   @sizes[1 + g % 5], 1990 + g % 30, @offers[1 + g % 4], @needs[1 + (g / 4) % 4], @keywords[1 + g % 4], 'en, de',
                   @now, @now, 1, @folded[1 + g % 10] || ' ' || g, @folded[1 + g % 10] || ' ' || g || chr(10) || @texts[1 + g % 4]
            FROM generate_series(1, @companies) g
            """,
            """
            INSERT INTO company_nace_codes (company_id, nace_code)
            SELECT id, @nace[1 + abs(hashtext(id::text)) % 6] FROM companies co
            WHERE NOT EXISTS (SELECT 1 FROM company_nace_codes x WHERE x.company_id = co.id)
            """,
            """
            INSERT INTO company_s3_areas (company_id, s3_code)
            SELECT DISTINCT co.id, s.code FROM companies co
            JOIN LATERAL (SELECT code, row_number() OVER (ORDER BY code) AS n, COUNT(*) OVER () AS total FROM s3_areas) s
              ON s.n IN (1 + abs(hashtext(co.id::text)) % s.total, 1 + abs(hashtext(co.name)) % s.total)
            WHERE NOT EXISTS (SELECT 1 FROM company_s3_areas x WHERE x.company_id = co.id)
            """,
            """
            CREATE TEMP TABLE scale_leads AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM companies;
            CREATE TEMP TABLE scale_brokers AS SELECT region_code, id FROM users WHERE role = 'broker' AND email LIKE '%@scale.example';
            WITH x AS (
                SELECT g, @regs[1 + g % cardinality(@regs)] AS region,
                       CASE WHEN g % 10 < 6 THEN 'active' WHEN g % 10 = 6 THEN 'on-hold' ELSE 'closed' END AS status,
                       1 + g % cardinality(@stepKeys) AS step,
                       @now - (@cases - g) * (interval '3 years' / @cases) AS opened
                FROM generate_series(1, @cases) g),
            -- The application's reference: region, year of opening, the case's number in its region and year.
            y AS (SELECT x.*, extract(year FROM x.opened AT TIME ZONE 'UTC')::int AS year FROM x),
            n AS (SELECT y.*, (row_number() OVER (PARTITION BY y.region, y.year ORDER BY y.g))::text AS number FROM y),
            r AS (SELECT n.*, n.region || '-' || n.year || '-' || lpad(n.number, greatest(4, length(n.number)), '0') AS reference FROM n)
            INSERT INTO cases (id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_stage, current_step,
                               step_started_at, step_due_at, data, version, audit_head_hash, audit_count, opened_at, updated_at, closed_at, search_text)
            SELECT gen_random_uuid(), r.reference, 'Joint smart strategy ' || r.g, @version, l.id, r.region, b.id,
                   r.status, CASE WHEN r.status = 'closed' THEN NULL ELSE NULLIF(@stageKeys[r.step], '') END,
                   CASE WHEN r.status <> 'closed' THEN @stepKeys[r.step] WHEN r.g % 3 = 0 THEN 'withdrawn' ELSE 'completed' END,
                   r.opened, CASE WHEN r.status = 'closed' THEN NULL WHEN r.g % 5 = 0 THEN @now - interval '3 days' ELSE @now + (r.g % 60) * interval '1 day' END,
                   '{}', 1, repeat('0', 64), 2, r.opened, r.opened, CASE WHEN r.status = 'closed' THEN r.opened + interval '90 days' END,
                   lower(r.reference) || chr(10) || 'joint smart strategy ' || r.g
            FROM r
            JOIN scale_leads l ON l.n = 1 + r.g % @companies
            JOIN scale_brokers b ON b.region_code = r.region
            """,
            """
            INSERT INTO case_sequences (region_code, year, last_value)
            SELECT region_code, split_part(reference, '-', 2)::int, MAX(split_part(reference, '-', 3)::int) FROM cases GROUP BY 1, 2
            """,
            """
            INSERT INTO case_steps (id, case_id, step_key, stage_key, started_at, due_at, completed_at, outcome)
            SELECT gen_random_uuid(), id, current_step, current_stage, step_started_at, step_due_at, closed_at, CASE WHEN closed_at IS NULL THEN NULL ELSE 'done' END FROM cases
            """,
            """
            INSERT INTO case_events (case_id, seq, id, occurred_at, actor_user_id, kind, step_key, data, prev_hash, hash)
            SELECT c.id, e.seq, gen_random_uuid(), c.opened_at + (e.seq - 1) * interval '1 day', c.owner_user_id, e.kind, c.current_step, '{}', repeat('0', 64), repeat('0', 64)
            FROM cases c CROSS JOIN (VALUES (1, 'case-opened'), (2, 'note-added')) e(seq, kind)
            """,
            """
            INSERT INTO case_participants (id, case_id, company_id, region_code, role, pipeline_status, added_at, updated_at)
            SELECT gen_random_uuid(), c.id, p.id, p.region_code, 'partner', 'contacted', c.opened_at, c.opened_at
            FROM (SELECT c.*, row_number() OVER (ORDER BY c.id) AS n FROM cases c) c
            JOIN scale_leads l ON l.n = 1 + (c.n * 7) % @companies
            JOIN companies p ON p.id = l.id
            WHERE c.n % 10 = 0 AND p.id <> c.lead_company_id
            """,
            """
            INSERT INTO reminders (id, case_id, case_step_id, step_key, kind, recipient_role, due_at, status, created_at)
            SELECT gen_random_uuid(), s.case_id, s.id, s.step_key, 'escalation', 'coordinator', s.started_at, 'sent', s.started_at
            FROM case_steps s WHERE s.completed_at IS NULL AND abs(hashtext(s.id::text)) % 100 = 0
            """,
        ];
        foreach (var sql in statements)
        {
            await c.ExecuteAsync(new CommandDefinition(sql, p, commandTimeout: 0));
        }

        await using (var plain = new NpgsqlConnection(factory.ConnectionString))
        {
            // VACUUM (for index-only scans) cannot run in the factory's statement handling; a plain connection runs it.
            await plain.OpenAsync();
            await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", plain) { CommandTimeout = 0 };
            await vacuum.ExecuteNonQueryAsync();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {cases} cases and {companies} companies in {(DateTimeOffset.UtcNow - started).TotalSeconds:F0} s"));
    }
}
