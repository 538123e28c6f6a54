using System.Text.Json.Nodes;
using Bogus;
using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.IntegrationTests.Indicators;

/// <summary>
/// Generated programme data (Bogus, seeded) written straight into the tables the indicators read, and kept in memory
/// so that each test can count independently what the SQL should find. Edge cases are always present: withdrawn cases
/// (before and after signing), cases migrated from version 2 to 3, a partner in the lead's own country, a company in
/// two cases, a research organisation, cases sent back to matching.
/// </summary>
internal sealed class IndicatorWorld
{
    public sealed record Organisation(Guid Id, string Name, string Country, string Region, string Size);

    public sealed record Step(Guid Id, string Key, string Stage, DateTimeOffset Start, DateTimeOffset? Due, DateTimeOffset? End, string? Outcome, int Version);

    public enum Progress { Intake, NotEligible, Eligible, WithdrawnEligible, Signed, WithdrawnSigned, Completed }

    public sealed class Case
    {
        public required Guid Id { get; init; }
        public required string Reference { get; init; }
        public required Organisation Lead { get; init; }
        public required string Region { get; init; }
        public required Progress Progress { get; init; }
        public List<(Organisation Organisation, string Status)> Partners { get; } = [];
        public List<Step> Steps { get; } = [];
        public required string[] S3 { get; init; }
        public string AgreementType { get; init; } = "";
        public string[] Innovation { get; init; } = [];
        public int Solutions { get; init; }
        public int TakenUp { get; init; }
        public bool Continues { get; init; }
        public DateTimeOffset Opened { get; init; }
        public int Version { get; set; } = 3;
        public DateTimeOffset? MigratedAt { get; set; }

        public DateTimeOffset? Eligible => Steps.FirstOrDefault(s => s.Key == "eligibility" && s.Outcome == "eligible")?.End;
        public DateTimeOffset? Signed => Steps.FirstOrDefault(s => s.Key == "signed-agreement" && s.Outcome == "signed")?.End;
        public DateTimeOffset? Evaluated => Steps.FirstOrDefault(s => s.Key == "final-evaluation" && s.Outcome == "closed")?.End;
        public DateTimeOffset? Closed => Progress is Progress.Intake or Progress.Eligible or Progress.Signed ? null : Steps.Last().End;
        public string Country => Regions[Region];

        /// <summary>The lead and the partners who agreed.</summary>
        public IEnumerable<Organisation> Parties => Partners.Where(p => p.Status == PipelineStatus.Agreed).Select(p => p.Organisation).Prepend(Lead);
    }

    public static readonly Dictionary<string, string> Regions = new(StringComparer.Ordinal)
    {
        ["PL84"] = "PL",
        ["LV008"] = "LV",
        ["EE008"] = "EE",
        ["LT02"] = "LT",
        ["DE60"] = "DE",
        ["FI1C4"] = "FI",
        ["DK03"] = "DK",
        ["SE23"] = "SE",
    };

    public static readonly string[] S3Areas = ["ict-digitalisation", "health-nutrition", "bioeconomy", "water-management"];
    public static readonly string[] AgreementTypes = ["research-cooperation", "technical-cooperation", "licensing", "distribution"];

    public List<Organisation> Orgs { get; } = [];
    public List<Case> Cases { get; } = [];
    /// <summary>The ids of versions 2 and 3 of the definition, existing (imported) or written by <see cref="WriteAsync"/>.</summary>
    public Dictionary<int, Guid> VersionIds { get; } = [];
    public DateTimeOffset Now { get; } = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static IndicatorWorld Generate(int seed, int cases = 36)
    {
        var world = new IndicatorWorld();
        var f = new Faker { Random = new Randomizer(seed) };
        var regions = Regions.Keys.ToArray();
        string[] sizes = ["micro", "small", "medium", "large", "research"];
        for (var i = 0; i < 18; i++)
        {
            var region = f.PickRandom(regions);
            world.Orgs.Add(new Organisation(Guid.NewGuid(), f.Company.CompanyName(), Regions[region], region, i == 0 ? "research" : f.PickRandom(sizes)));
        }

        var progresses = Enum.GetValues<Progress>();
        for (var i = 0; i < cases; i++)
        {
            // The first cases are the edge cases; the rest are random.
            var progress = i switch { 0 => Progress.WithdrawnEligible, 1 => Progress.WithdrawnSigned, 2 or 3 or 4 => Progress.Completed, _ => f.PickRandom(progresses) };
            var lead = i == 3 ? world.Cases[2].Lead : f.PickRandom(world.Orgs.Where(o => o.Size != "research").ToList());
            var c = new Case
            {
                Id = Guid.NewGuid(),
                Reference = $"{lead.Region}-2025-{9000 + i}",
                Lead = lead,
                Region = lead.Region,
                Progress = progress,
                S3 = f.PickRandom(S3Areas, f.Random.Int(1, 2)).ToArray(),
                AgreementType = f.PickRandom(AgreementTypes),
                Innovation = f.PickRandom(new[] { "product", "process", "marketing", "organisational" }, f.Random.Int(0, 2)).ToArray(),
                Solutions = f.Random.Int(0, 3),
                TakenUp = f.Random.Int(0, 2),
                Continues = f.Random.Bool(),
                Opened = world.Now.AddDays(-f.Random.Int(60, 900)).AddHours(f.Random.Int(0, 23)),
            };
            var others = world.Orgs.Where(o => o.Id != lead.Id).ToList();
            if (i == 2)
            {
                // A partner in the lead's own country: a party, but not across borders.
                var same = new Organisation(Guid.NewGuid(), "Same Country Partner", lead.Country, lead.Region, "small");
                world.Orgs.Add(same);
                c.Partners.Add((same, PipelineStatus.Agreed));
            }
            else
            {
                foreach (var partner in f.PickRandom(others, f.Random.Int(1, 3)))
                {
                    c.Partners.Add((partner, f.Random.WeightedRandom([PipelineStatus.Agreed, PipelineStatus.Declined, PipelineStatus.Interested], [0.7f, 0.15f, 0.15f])));
                }

                if (i == 4 && c.Partners.All(p => p.Organisation != world.Orgs[0]))
                {
                    c.Partners.Add((world.Orgs[0], PipelineStatus.Agreed)); // the research organisation
                }
            }

            c.Version = i % 7 == 3 ? 2 : 3;
            world.AddSteps(c, f, migrated: i % 5 == 1 && c.Version == 3);
            world.Cases.Add(c);
        }

        return world;
    }

    private void AddSteps(Case c, Faker f, bool migrated)
    {
        var keys = new List<(string Key, string Stage, string? Outcome)> { ("intake", "needs-assessment", "registered") };
        if (c.Progress == Progress.NotEligible)
        {
            keys.Add(("eligibility", "needs-assessment", "not-eligible"));
        }
        else if (c.Progress != Progress.Intake)
        {
            keys.Add(("eligibility", "needs-assessment", "eligible"));
            keys.Add(("matching", "partner-search", "shortlisted"));
            if (f.Random.Bool(0.3f))
            {
                keys.Add(("expressions-of-interest", "partner-search", "back-to-matching"));
                keys.Add(("matching", "partner-search", "shortlisted"));
            }

            keys.Add(("expressions-of-interest", "partner-search", "partner-found"));
            if (c.Progress is Progress.Signed or Progress.WithdrawnSigned or Progress.Completed)
            {
                keys.Add(("signed-agreement", "agreement", "signed"));
                keys.Add(("implementation-follow-up", "follow-up", "follow-up-finished"));
            }

            if (c.Progress == Progress.Completed)
            {
                keys.Add(("final-evaluation", "follow-up", "closed"));
            }
        }

        var open = c.Progress is Progress.Intake or Progress.Eligible or Progress.Signed;
        var at = c.Opened;
        for (var k = 0; k < keys.Count; k++)
        {
            var (key, stage, outcome) = keys[k];
            var last = k == keys.Count - 1;
            var days = Math.Round(f.Random.Double(0.25, 25), 3);
            var end = last && open ? (DateTimeOffset?)null : at.AddDays(days);
            var withdrawn = last && c.Progress is Progress.WithdrawnEligible or Progress.WithdrawnSigned;
            var due = f.Random.Bool(0.8f) ? at.AddDays(f.Random.Int(5, 15)) : (DateTimeOffset?)null;
            c.Steps.Add(new Step(Guid.NewGuid(), key, stage, at, due, end, end is null ? null : withdrawn ? "withdraw" : outcome, c.Version));
            at = end ?? at;
        }

        if (migrated && c.Steps.Count > 1)
        {
            // Moved from version 2 to 3 just after its second step began: the steps begun before belong to version 2.
            var moment = c.Steps[1].Start.AddMinutes(30);
            c.MigratedAt = moment;
            for (var k = 0; k < c.Steps.Count; k++)
            {
                if (c.Steps[k].Start < moment)
                {
                    c.Steps[k] = c.Steps[k] with { Version = 2 };
                }
            }
        }
    }

    public async Task WriteAsync(IDbConnectionFactory db)
    {
        await using var c = await db.OpenAsync();
        var user = await c.ExecuteScalarAsync<Guid?>("SELECT id FROM users WHERE role = 'broker'") ?? Guid.Empty;
        if (user == Guid.Empty)
        {
            user = Guid.NewGuid();
            await c.ExecuteAsync("INSERT INTO users (id, email, display_name, role, region_code, password_hash, security_stamp, created_at, updated_at) VALUES (@user, 'b@example.eu', 'Broker', 'broker', 'LV008', 'h', 's', @Now, @Now)", new { user, Now });
        }

        var definition = await c.ExecuteScalarAsync<Guid?>("SELECT id FROM workflow_definitions WHERE definition_key = 'joint-smart-strategy'");
        if (definition is null)
        {
            definition = Guid.NewGuid();
            await c.ExecuteAsync("INSERT INTO workflow_definitions (id, definition_key, name, created_at, row_version) VALUES (@definition, 'joint-smart-strategy', 'SME Joint Smart Strategy', @Now, 1)", new { definition, Now });
        }

        foreach (var number in new[] { 2, 3 })
        {
            var id = await c.ExecuteScalarAsync<Guid?>("SELECT id FROM workflow_versions WHERE definition_id = @definition AND number = @number", new { definition, number });
            if (id is null)
            {
                id = Guid.NewGuid();
                await c.ExecuteAsync("INSERT INTO workflow_versions (id, definition_id, number, status, content, content_hash, source, created_at, published_at, row_version) VALUES (@id, @definition, @number, 'published', 'x', @hash, 'file', @Now, @Now, 1)", new { id, definition, number, hash = $"h{number}", Now });
            }

            VersionIds[number] = id.Value;
        }

        foreach (var o in Orgs)
        {
            await c.ExecuteAsync("INSERT INTO companies (id, name, country_code, region_code, size_class, created_at, updated_at, version) VALUES (@Id, @Name, @Country, @Region, @Size, @now, @now, 1)", new { o.Id, o.Name, o.Country, o.Region, o.Size, now = Now });
        }

        foreach (var k in Cases)
        {
            var closed = k.Closed is not null;
            var end = k.Progress switch { Progress.Completed => "completed", Progress.NotEligible => "not-eligible", _ => "withdrawn" };
            var current = closed ? end : k.Steps[^1].Key;
            await c.ExecuteAsync(
                """
                INSERT INTO cases (id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_step, step_started_at, data, version, audit_head_hash, audit_count, opened_at, updated_at, closed_at)
                VALUES (@Id, @Reference, @title, @version, @lead, @Region, @user, @status, @current, @started, @data, 1, @head, @count, @Opened, @Opened, @closedAt)
                """,
                new
                {
                    k.Id,
                    k.Reference,
                    title = $"Strategy {k.Reference}",
                    version = VersionIds[k.Version],
                    lead = k.Lead.Id,
                    k.Region,
                    user,
                    status = closed ? CaseStatus.Closed : CaseStatus.Active,
                    current,
                    started = k.Steps[^1].Start,
                    data = Data(k),
                    k.Opened,
                    closedAt = k.Closed,
                    // The chain's head and count as the events below leave them, so that later records append after them.
                    head = k.MigratedAt is null ? "x" : "b",
                    count = k.MigratedAt is null ? 1 : 2
                });
            foreach (var (org, status) in k.Partners.Select(p => (p.Organisation, p.Status)).Prepend((k.Lead, PipelineStatus.Agreed)))
            {
                await c.ExecuteAsync(
                    "INSERT INTO case_participants (id, case_id, company_id, region_code, role, pipeline_status, added_at, updated_at) VALUES (@id, @caseId, @company, @region, @role, @status, @at, @at)",
                    new { id = Guid.NewGuid(), caseId = k.Id, company = org.Id, region = org.Region, role = org == k.Lead ? ParticipantRole.Lead : ParticipantRole.Partner, status, at = k.Opened });
            }

            foreach (var s in k.Steps)
            {
                await c.ExecuteAsync(
                    "INSERT INTO case_steps (id, case_id, step_key, stage_key, started_at, due_at, completed_at, outcome) VALUES (@Id, @caseId, @Key, @Stage, @Start, @Due, @End, @Outcome)",
                    new { s.Id, caseId = k.Id, s.Key, s.Stage, s.Start, s.Due, s.End, s.Outcome });
            }

            if (k.MigratedAt is { } moved)
            {
                var data = new JsonObject { ["definition"] = "joint-smart-strategy", ["fromVersion"] = 2, ["toVersion"] = 3 }.ToJsonString();
                await c.ExecuteAsync(
                    "INSERT INTO case_events (case_id, seq, id, occurred_at, kind, step_key, data, prev_hash, hash) VALUES (@caseId, 2, @id, @moved, 'case-migrated', 'matching', @data, 'a', 'b')",
                    new { caseId = k.Id, id = Guid.NewGuid(), moved, data });
            }
        }
    }

    private static string Data(Case k)
    {
        var json = CaseData.With("{}", "needs-assessment", new Dictionary<string, FieldValue> { ["s3-areas"] = new TaxonomyValue("s3-area", k.S3) });
        if (k.Signed is not null)
        {
            json = CaseData.With(json, "joint-strategy", new Dictionary<string, FieldValue> { ["agreement-type"] = new ChoiceValue(k.AgreementType) });
        }

        if (k.Evaluated is not null)
        {
            json = CaseData.With(json, "final-evaluation", new Dictionary<string, FieldValue>
            {
                ["innovation-introduced"] = new MultiChoiceValue(k.Innovation),
                ["jointly-developed-solutions"] = new NumberValue(k.Solutions),
                ["solutions-taken-up"] = new NumberValue(k.TakenUp),
                ["cooperation-continues"] = new BooleanValue(k.Continues),
            });
        }

        return json;
    }
}
