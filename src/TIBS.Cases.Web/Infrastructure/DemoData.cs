using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Core.Training;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>A demo account as printed at first start.</summary>
internal sealed record DemoAccount(string Email, string DisplayName, string Role, string? RegionCode);

/// <summary>A demo partner organisation: the one of <see cref="RegionCode"/>'s brokers.</summary>
internal sealed record DemoOrganisation(string RegionCode, string Name, string Kind, string CountryCode, string WebAddress);

/// <summary>
/// Demo partner organisations (one per region), users (one broker per region, a coordinator, an evaluator, an
/// administrator; each belongs to an organisation), demo SMEs, and the brokers' training.
/// </summary>
internal sealed class DemoData(IUserStore users, ICompanyStore companies, IOrganisationStore organisations, IPasswordHasher<UserAccount> hasher, TimeProvider time, ITrainingStore? training = null)
{
    /// <summary>The region whose organisation the coordinator, the evaluator and the administrator belong to (the lead partner).</summary>
    public const string LeadPartnerRegion = "PL84";

    public static IReadOnlyList<DemoOrganisation> Organisations { get; } =
    [
        new("PL84", "Podlaskie Regional Development Agency", OrganisationKinds.RegionalDevelopmentAgency, "PL", "https://podlaskie-rda.example"),
        new("LV008", "Vidzeme Planning Region", OrganisationKinds.RegionalDevelopmentAgency, "LV", "https://vidzeme-planning.example"),
        new("EE008", "South Estonia Science Park", OrganisationKinds.SciencePark, "EE", "https://south-estonia-park.example"),
        new("LT01", "Vilnius Chamber of Commerce and Industry", OrganisationKinds.ChamberOfCommerce, "LT", "https://vilnius-chamber.example"),
        new("LT02", "Kaunas University of Technology Transfer Office", OrganisationKinds.University, "LT", "https://kaunas-transfer.example"),
        new("DE60", "Hamburg Chamber of Commerce", OrganisationKinds.ChamberOfCommerce, "DE", "https://hamburg-chamber.example"),
        new("FI1C4", "Kymenlaakso Development Agency", OrganisationKinds.RegionalDevelopmentAgency, "FI", "https://kymenlaakso-development.example"),
        new("FI19", "West Finland University of Applied Sciences", OrganisationKinds.University, "FI", "https://west-finland-uas.example"),
        new("DK03", "Southern Denmark Business Development", OrganisationKinds.RegionalDevelopmentAgency, "DK", "https://southern-denmark-business.example"),
        new("DK05", "North Denmark Innovation Agency", OrganisationKinds.SciencePark, "DK", "https://north-denmark-innovation.example"),
        new("SE23", "West Sweden Innovation Agency", OrganisationKinds.SciencePark, "SE", "https://west-sweden-innovation.example"),
    ];

    public static IReadOnlyList<DemoAccount> Accounts { get; } =
    [
        new("broker.pl84@tibs.example", "Anna Kowalska", Roles.Broker, "PL84"),
        new("broker.lv008@tibs.example", "Līga Bērziņa", Roles.Broker, "LV008"),
        new("broker.ee008@tibs.example", "Kadri Tamm", Roles.Broker, "EE008"),
        new("broker.lt01@tibs.example", "Jonas Kazlauskas", Roles.Broker, "LT01"),
        new("broker.lt02@tibs.example", "Rūta Petrauskienė", Roles.Broker, "LT02"),
        new("broker.de60@tibs.example", "Jan Schröder", Roles.Broker, "DE60"),
        new("broker.fi1c4@tibs.example", "Mikko Virtanen", Roles.Broker, "FI1C4"),
        new("broker.fi19@tibs.example", "Aino Korhonen", Roles.Broker, "FI19"),
        new("broker.dk03@tibs.example", "Mette Jensen", Roles.Broker, "DK03"),
        new("broker.dk05@tibs.example", "Søren Nielsen", Roles.Broker, "DK05"),
        new("broker.se23@tibs.example", "Elin Andersson", Roles.Broker, "SE23"),
        new("coordinator@tibs.example", "Piotr Nowak", Roles.Coordinator, null),
        new("evaluator@tibs.example", "Katrin Müller", Roles.Evaluator, null),
        new("admin@tibs.example", "System Administrator", Roles.Administrator, null),
    ];

    /// <summary>Creates the demo data when the database has no users. Returns the password used, or null if nothing was seeded.</summary>
    public async Task<string?> SeedIfEmptyAsync(string? configuredPassword, CancellationToken cancellationToken)
    {
        if (await users.CountAsync(cancellationToken) > 0)
        {
            return null;
        }

        var password = string.IsNullOrWhiteSpace(configuredPassword) ? GeneratePassword() : configuredPassword;
        var now = time.GetUtcNow();
        var organisationOfRegion = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var o in Organisations)
        {
            var organisation = new Organisation
            {
                Id = Guid.CreateVersion7(now),
                Name = o.Name,
                Kind = o.Kind,
                CountryCode = o.CountryCode,
                WebAddress = o.WebAddress,
                Version = 1,
                CreatedAt = now,
                UpdatedAt = now,
            };
            await organisations.AddAsync(organisation, null, cancellationToken);
            organisationOfRegion[o.RegionCode] = organisation.Id;
        }

        // Each hash costs a deliberate few dozen milliseconds: the accounts' hashes are computed side by side (a cold
        // start's largest share of work), then the accounts are written in their listed order.
        var accounts = await Task.WhenAll(Accounts.Select(a => Task.Run(() =>
        {
            var user = new UserAccount
            {
                Id = Guid.CreateVersion7(now),
                Email = a.Email,
                DisplayName = a.DisplayName,
                Role = a.Role,
                RegionCode = a.RegionCode,
                OrganisationId = organisationOfRegion[a.RegionCode ?? LeadPartnerRegion],
                PasswordHash = "",
                SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
                CreatedAt = now,
                UpdatedAt = now,
            };
            return user with { PasswordHash = hasher.HashPassword(user, password) };
        }, cancellationToken)));
        var brokers = new List<UserAccount>();
        foreach (var user in accounts)
        {
            await users.InsertAsync(user, cancellationToken);
            if (user.Role == Roles.Broker)
            {
                brokers.Add(user);
            }
        }

        foreach (var company in DemoCompanies(now))
        {
            await companies.InsertAsync(company, cancellationToken);
        }

        await SeedTrainingAsync(brokers, now, cancellationToken);
        return password;
    }

    /// <summary>
    /// Three modules, two of them required for certification, and every demo broker certified (completed a month ago);
    /// the last broker's optional matchmaking training runs out within the overview's 60 days.
    /// </summary>
    private async Task SeedTrainingAsync(IReadOnlyList<UserAccount> brokers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (training is null)
        {
            return;
        }

        var modules = new[]
        {
            Module("Joint Smart Strategy method", "How a joint smart strategy is built with an SME: needs assessment, S3 areas, partner profile, the agreement and its follow-up.", 36, true),
            Module("Partner search and matchmaking", "Finding partner SMEs and research organisations in other regions, scoring matches and the first contact.", 24, false),
            Module("Data protection for brokers", "GDPR for brokers: what may be recorded about companies and their people, how long, and who may see it.", 12, true),
        };
        foreach (var m in modules)
        {
            await training.AddModuleAsync(m, null, cancellationToken); // demo data, like the demo users, is not an administrator's action
        }

        var completed = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddMonths(-1);
        foreach (var broker in brokers)
        {
            foreach (var m in modules)
            {
                var on = m.RequiredForCertification || broker != brokers[^1] ? completed : new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddMonths(-(m.ValidityMonths ?? 0)).AddDays(30);
                await training.RecordCompletionAsync(
                    new TrainingCompletion
                    {
                        Id = Guid.CreateVersion7(now),
                        UserId = broker.Id,
                        ModuleId = m.Id,
                        CompletedOn = on,
                        ExpiresOn = m.ValidityMonths is { } v ? on.AddMonths(v) : null,
                        Trainer = "TIBS programme training team",
                        RecordedAt = now,
                    },
                    [],
                    null,
                    cancellationToken);
            }
        }

        TrainingModule Module(string title, string description, int months, bool required) => new()
        {
            Id = Guid.CreateVersion7(now),
            Title = title,
            Description = description,
            ValidityMonths = months,
            RequiredForCertification = required,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Creates an administrator when the database has no users at all. Returns whether one was created.</summary>
    public async Task<bool> CreateFirstAdministratorAsync(string email, string password, CancellationToken cancellationToken)
    {
        if (await users.CountAsync(cancellationToken) > 0)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var user = new UserAccount
        {
            Id = Guid.CreateVersion7(now),
            Email = email,
            DisplayName = "Administrator",
            Role = Roles.Administrator,
            PasswordHash = "",
            SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await users.InsertAsync(user with { PasswordHash = hasher.HashPassword(user, password) }, cancellationToken);
        return true;
    }

    /// <summary>A readable random password: four groups of four letters and digits.</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 16);
        return string.Join('-', chars.Chunk(4).Select(c => new string(c)));
    }

    private static IEnumerable<Company> DemoCompanies(DateTimeOffset now)
    {
        Company Make(string name, string country, string region, string size, int year, string[] nace, string[] s3, string offers, string needs, string keywords, string languages, string contact, string email) => new()
        {
            Id = Guid.CreateVersion7(now),
            Name = name,
            CountryCode = country,
            RegionCode = region,
            SizeClass = size,
            YearFounded = year,
            Website = $"https://{name.ToLowerInvariant().Replace(' ', '-').Replace(".", "", StringComparison.Ordinal)}.example",
            NaceCodes = nace,
            S3Areas = s3,
            Offers = offers,
            Needs = needs,
            Keywords = keywords,
            Languages = languages,
            Contacts =
            [
                new CompanyContact
                {
                    Id = Guid.CreateVersion7(now), Name = contact, Role = "Managing director", Email = email,
                    ConsentDate = DateOnly.FromDateTime(now.UtcDateTime), ConsentPurpose = "Partner search and follow-up in the TIBS brokerage programme",
                },
            ],
            CreatedAt = now,
            UpdatedAt = now,
        };

        yield return Make("Podlasie Dairy Tech", "PL", "PL84", SizeClasses.Small, 2009, ["C", "C10"], ["health-nutrition", "bioeconomy"],
            "Lactose-free dairy processing line, pilot production capacity", "Partner for functional food R&D and export to Nordic markets",
            "dairy, functional food, fermentation", "pl, en", "Tomasz Zieliński", "tomasz@podlasie-dairy.example");
        yield return Make("Vidzeme Wood Solutions", "LV", "LV008", SizeClasses.Micro, 2015, ["C", "C16"], ["bioeconomy", "sustainable-innovation"],
            "Cross-laminated timber elements, small-series production", "Technology partner for digital design of timber buildings",
            "timber, CLT, construction, circular", "lv, en, ru", "Māris Ozols", "maris@vidzeme-wood.example");
        yield return Make("Valga Smart Sensors", "EE", "EE008", SizeClasses.Micro, 2018, ["C", "C26"], ["ict-digitalisation", "smart-cities"],
            "Low-power IoT sensors for building monitoring", "Distribution partner and cloud analytics know-how",
            "IoT, sensors, smart buildings", "et, en", "Kristjan Kask", "kristjan@valga-sensors.example");
        yield return Make("Kaunas BioLab", "LT", "LT02", SizeClasses.Small, 2012, ["M", "M72"], ["health-nutrition", "advanced-manufacturing"],
            "Contract research in enzymes and bio-assays", "Industrial partner to scale up enzyme production",
            "biotechnology, enzymes, assays", "lt, en", "Eglė Vaitkutė", "egle@kaunas-biolab.example");
        yield return Make("Hamburg Maritime Analytics", "DE", "DE60", SizeClasses.Medium, 2006, ["J", "J62"], ["ict-digitalisation", "resource-efficiency"],
            "Data platform for port logistics and energy efficiency", "Pilot sites and sensor suppliers in the Baltic states",
            "logistics, data platform, IoT, energy efficiency", "de, en", "Lars Becker", "lars@hh-maritime.example");
        yield return Make("Kouvola Circular Packaging", "FI", "FI1C4", SizeClasses.Small, 2011, ["C", "C17"], ["sustainable-innovation", "bioeconomy"],
            "Fibre-based packaging from forest side streams", "Food producers to pilot biodegradable packaging",
            "packaging, fibre, circular, food", "fi, en, sv", "Jukka Laine", "jukka@kouvola-pack.example");
        yield return Make("Aabenraa Water Systems", "DK", "DK03", SizeClasses.Medium, 2003, ["E", "E36"], ["water-management", "resource-efficiency"],
            "Decentralised water treatment units", "Municipal pilots in Poland and Lithuania",
            "water treatment, municipal, filtration", "da, en, de", "Henrik Madsen", "henrik@aabenraa-water.example");
        yield return Make("Gothenburg HealthTech", "SE", "SE23", SizeClasses.Small, 2016, ["J", "Q"], ["health-nutrition", "ict-digitalisation"],
            "Remote patient monitoring software", "Clinical partners and nutrition research for elderly care",
            "e-health, monitoring, nutrition, software", "sv, en", "Karin Lindqvist", "karin@gbg-healthtech.example");
    }
}
