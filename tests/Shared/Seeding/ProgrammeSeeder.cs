using System.Diagnostics;
using System.Threading.Channels;
using Bogus;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Testing.Seeding;

/// <summary>What to seed: how many cases and companies, from which seed, as of when (the seed's "now").</summary>
internal sealed record SeedOptions(int Cases, int Companies, int Seed)
{
    /// <summary>The moment the programme is seeded as of: fixed, so the same seed gives the same rows on any day.</summary>
    public DateTimeOffset Now { get; init; } = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    public int CasesPerBatch { get; init; } = 2_000;

    public int CompaniesPerBatch { get; init; } = 10_000;

    /// <summary>Threads generating cases; the rows are the same whatever their number.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Walks per definition version that cases are made from.</summary>
    public int WalksPerVersion { get; init; } = 48;

    /// <summary>The password every seeded user signs in with.</summary>
    public const string Password = "Seeded-programme-2026";
}

/// <summary>What a seed run wrote: rows and writing time per table, and the whole run's time.</summary>
internal sealed record SeedReport(IReadOnlyDictionary<string, (long Rows, TimeSpan Time)> Tables, long Rows, TimeSpan Elapsed, TimeSpan Setup)
{
    /// <summary>Time the producer spent generating rows (all its workers busy), not waiting for the writer.</summary>
    public TimeSpan Generating { get; init; }

    /// <summary>Time the writer spent waiting for the next batch: when it is large, generation is what limits the load.</summary>
    public TimeSpan WriterIdle { get; init; }

    /// <summary>From the first batch to the last one written.</summary>
    public TimeSpan Loading { get; init; }

    /// <summary>After the last batch: indexes and foreign keys put back and checked, statistics, journal.</summary>
    public TimeSpan Finishing { get; init; }

    public double RowsPerSecond => Rows / Elapsed.TotalSeconds;
}

/// <summary>
/// Seeds a realistic programme into an empty database: the schema (the product's migrator), the shipped definitions
/// (the product's import), brokers per region, coordinators, evaluators and an administrator (the product's user
/// store), then companies and cases generated with Bogus and written in bulk (<see cref="SeedWriter"/>). Generation
/// of the next batch overlaps the writing of the previous one.
/// </summary>
internal static class ProgrammeSeeder
{
    public const string DefinitionKey = "joint-smart-strategy";

    public static async Task<SeedReport> RunAsync(DatabaseProvider provider, string connectionString, SeedOptions options, string workflowsFolder, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        var total = Stopwatch.StartNew();
        var factory = new ConnectionFactory(provider, connectionString);
        await new SchemaMigrator(factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(TimeSpan.Zero, cancellationToken);
        await using (var c = await factory.OpenAsync(cancellationToken))
        {
            if (await c.ExecuteScalarAsync<long>("SELECT (SELECT COUNT(*) FROM cases) + (SELECT COUNT(*) FROM companies)") > 0)
            {
                throw new InvalidOperationException("The seed loads into an empty database; this one has cases or companies already.");
            }
        }

        var store = new WorkflowStore(factory);
        var catalog = new WorkflowCatalog(store, TimeProvider.System);
        await catalog.ImportFolderAsync(workflowsFolder, cancellationToken);
        var walks = new List<SeedWalk>();
        var checkInForms = new Dictionary<(int, string), string>();
        foreach (var version in (await store.ListVersionsAsync(DefinitionKey, cancellationToken)).Where(v => v.Status == "published").OrderBy(v => v.Number))
        {
            var plan = await catalog.GetPlanAsync(version.Id, cancellationToken);
            walks.AddRange(await CaseTemplates.WalkAsync(version.Number, version.Id, plan, options.WalksPerVersion, options.Seed + version.Number));
            foreach (var checkIn in plan.CheckIns)
            {
                var form = FormValidator.Validate(checkIn, FormFiller.Fill(checkIn.Fields, CaseTemplates.CompanyPlaceholder));
                checkInForms[(version.Number, checkIn.Key)] = form.IsValid ? FormDataJson.Serialize(form.Values) : "{}";
            }
        }

        var brokers = await UsersAsync(factory, options, cancellationToken);
        var setup = total.Elapsed;
        log?.WriteLine($"setup (schema, definitions, {brokers.Values.Sum(b => b.Count)} brokers, {walks.Count} walks): {setup.TotalSeconds:F1} s");

        await using var writer = await SeedWriter.OpenAsync(provider, connectionString, cancellationToken);
        var companies = new List<SeedCompany>(options.Companies);
        var companyFaker = new Faker { Random = new Randomizer(options.Seed) };
        var taken = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var fakers = SeedPeople.Regions.Select(r => r.Country).Distinct().ToDictionary(c => c, SeedPeople.FakerFor, StringComparer.Ordinal);
        var channel = Channel.CreateBounded<SeedBatch>(writer.Parallelism + 1);
        var generating = new Stopwatch();
        var producer = Task.Run(async () =>
        {
            try
            {
                for (var start = 0; start < options.Companies; start += options.CompaniesPerBatch)
                {
                    generating.Start();
                    var batch = new SeedBatch();
                    for (var i = start; i < Math.Min(options.Companies, start + options.CompaniesPerBatch); i++)
                    {
                        companies.Add(CompanySeeder.Add(batch, companyFaker, fakers, taken, options, i));
                    }

                    generating.Stop();
                    await channel.Writer.WriteAsync(batch, cancellationToken);
                }

                generating.Start();
                var seeder = new CaseSeeder(options, walks, companies, brokers, checkInForms);
                var cases = new CaseGenerator(seeder, options.Workers, options.Cases);
                generating.Stop();
                for (var start = 0; start < options.Cases; start += options.CasesPerBatch)
                {
                    generating.Start();
                    var batch = cases.Generate(start, Math.Min(options.Cases, start + options.CasesPerBatch));
                    generating.Stop();
                    await channel.Writer.WriteAsync(batch, cancellationToken);
                }

                var sequences = new SeedBatch();
                foreach (var ((region, year), last) in seeder.References.OrderBy(r => r.Key.Region, StringComparer.Ordinal).ThenBy(r => r.Key.Year))
                {
                    sequences.Add(SeedTables.Sequences, region, year, last);
                }

                await channel.Writer.WriteAsync(sequences, cancellationToken);
                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, cancellationToken);

        long written = 0;
        var nextReport = 100_000L;
        var idle = new Stopwatch();
        var loading = Stopwatch.StartNew();
        var progress = new Lock();

        // As many consumers as the writer takes batches at once: each writes a whole batch in its own transaction.
        async Task ConsumeAsync()
        {
            while (true)
            {
                bool more;
                lock (progress)
                {
                    idle.Start();
                }

                try
                {
                    more = await channel.Reader.WaitToReadAsync(cancellationToken);
                }
                finally
                {
                    lock (progress)
                    {
                        idle.Stop();
                    }
                }

                if (!more)
                {
                    return;
                }

                while (channel.Reader.TryRead(out var batch))
                {
                    await writer.WriteAsync(batch, cancellationToken);
                    lock (progress)
                    {
                        written += batch.Count;
                        if (written >= nextReport)
                        {
                            log?.WriteLine($"  {written:N0} rows, {written / loading.Elapsed.TotalSeconds:N0} rows/s");
                            nextReport += 1_000_000;
                        }
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, writer.Parallelism).Select(_ => Task.Run(ConsumeAsync, cancellationToken)));
        await producer;
        var loaded = loading.Elapsed;
        var finishing = Stopwatch.StartNew();
        await writer.FinishAsync(log, cancellationToken);
        return new SeedReport(writer.Tally.Tables, writer.Tally.Rows, total.Elapsed - setup, setup)
        {
            Generating = generating.Elapsed,
            WriterIdle = idle.Elapsed,
            Loading = loaded,
            Finishing = finishing.Elapsed,
        };
    }

    /// <summary>Three brokers per region, a coordinator per country, two evaluators and an administrator, through the user store.</summary>
    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<SeedUser>>> UsersAsync(ConnectionFactory factory, SeedOptions options, CancellationToken cancellationToken)
    {
        var users = new UserStore(factory);
        var faker = new Faker { Random = new Randomizer(options.Seed ^ 0x5eed) };
        var ids = new SeedIds(faker.Random);
        var hash = new PasswordHasher<UserAccount>().HashPassword(null!, SeedOptions.Password);
        var now = options.Now.AddYears(-3);
        var result = new Dictionary<string, IReadOnlyList<SeedUser>>(StringComparer.Ordinal);
        async Task<SeedUser> AddAsync(string role, string? region, string country, string mailbox)
        {
            var local = SeedPeople.FakerFor(country);
            local.Random = new Randomizer(faker.Random.Int());
            var (first, last) = SeedPeople.PersonName(local, country);
            var user = new UserAccount
            {
                Id = ids.Next(now),
                Email = $"{mailbox}@seed.tibs.example",
                DisplayName = $"{first} {last}",
                Role = role,
                RegionCode = region,
                Regions = region is null ? [] : [region],
                PasswordHash = hash,
                SecurityStamp = Convert.ToHexStringLower(faker.Random.Bytes(16)),
                CreatedAt = now,
                UpdatedAt = now,
            };
            await users.InsertAsync(user, cancellationToken);
            return new SeedUser(user.Id, role, region);
        }

        foreach (var region in SeedPeople.Regions)
        {
            var list = new List<SeedUser>();
            for (var i = 1; i <= 3; i++)
            {
                list.Add(await AddAsync(Roles.Broker, region.Code, region.Country, $"broker{i}.{region.Code.ToLowerInvariant()}"));
            }

            result[region.Code] = list;
        }

        foreach (var country in SeedPeople.Regions.DistinctBy(r => r.Country))
        {
            await AddAsync(Roles.Coordinator, country.Code, country.Country, $"coordinator.{country.Country.ToLowerInvariant()}");
        }

        await AddAsync(Roles.Evaluator, null, "DE", "evaluator1");
        await AddAsync(Roles.Evaluator, null, "FI", "evaluator2");
        await AddAsync(Roles.Administrator, null, "LV", "administrator");
        return result;
    }
}

/// <summary>One company with its NACE sections, S3 areas and contact person.</summary>
internal static class CompanySeeder
{
    public static SeedCompany Add(SeedBatch batch, Faker faker, Dictionary<string, Faker> fakers, Dictionary<string, HashSet<string>> taken, SeedOptions options, int index)
    {
        var region = SeedPeople.Weighted(faker, SeedPeople.Regions.Select(r => (r, r.Weight)).ToList());
        var local = fakers[region.Country];
        local.Random = new Randomizer(faker.Random.Int());
        var nace = SeedPeople.Weighted(faker, SeedPeople.Nace);
        var naceCodes = faker.Random.Bool(0.25f) ? new[] { nace, SeedPeople.Weighted(faker, SeedPeople.Nace) }.Distinct().ToArray() : [nace];
        var s3 = SeedPeople.S3For(nace);
        var s3Codes = faker.Random.Bool(0.35f) ? new[] { s3, faker.PickRandom(SeedPeople.S3Areas) }.Distinct().ToArray() : [s3];
        var size = SeedPeople.Weighted(faker, SeedPeople.Sizes);
        var name = SeedPeople.CompanyName(local, region.Country, nace);
        if (!taken.TryGetValue(region.Country, out var numbers))
        {
            taken[region.Country] = numbers = [];
        }

        var register = SeedPeople.RegisterNumber(faker, region.Country, numbers)
            ?? throw new InvalidOperationException($"No free register number found for company {index} in {region.Country}.");
        var created = options.Now.AddDays(-faker.Random.Double(30, 1500));
        created = new DateTimeOffset(created.UtcTicks - (created.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var ids = new SeedIds(faker.Random);
        var id = ids.Next(created);
        var slug = SeedPeople.Slug(name);
        var offers = SeedPeople.OffersFor(faker, s3);
        var needs = SeedPeople.NeedFor(faker);
        var keywords = string.Join(", ", s3Codes.Concat([offers.Split(' ')[^1]]));
        var languages = string.Join(", ", new[] { region.Country.ToLowerInvariant() switch { "dk" => "da", "se" => "sv", "ee" => "et", var c => c }, "en" }.Concat(faker.Random.Bool(0.3f) ? ["de"] : []).Distinct());
        batch.Add(SeedTables.Companies, id, name, region.Country, region.Code, size, register, faker.Random.Int(1991, 2024), $"https://www.{slug}.{region.Tld}",
            offers, needs, keywords, languages, null, created, created, 1, SearchText.CompanyName(name), SearchText.CompanyText(name, keywords, offers, needs));
        foreach (var code in naceCodes)
        {
            batch.Add(SeedTables.CompanyNace, id, code);
        }

        foreach (var code in s3Codes)
        {
            batch.Add(SeedTables.CompanyS3, id, code);
        }

        var (first, last) = SeedPeople.PersonName(local, region.Country);
        batch.Add(SeedTables.CompanyContacts, ids.Next(created), id, $"{first} {last}", faker.PickRandom("Managing director", "Head of R&D", "Export manager", "Owner"),
            $"{SearchText.Fold(first)}.{SearchText.Fold(last)}@{slug}.{region.Tld}".Replace(' ', '-'), $"{region.Phone} {faker.Random.ReplaceNumbers("### ####")}",
            DateOnly.FromDateTime(created.UtcDateTime), "Brokerage services of the TIBS programme", null);
        return new SeedCompany(id, name, region.Country, region.Code, size, register, naceCodes, s3Codes);
    }
}
