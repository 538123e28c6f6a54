using Bogus;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Testing.Seeding;

/// <summary>A programme region (NUTS 2021, as in db/*/0002_reference_data.sql) and its share of the companies.</summary>
internal sealed record SeedRegion(string Code, string Country, bool Supported, int Weight, string Tld, string Phone);

/// <summary>A seeded company, kept in memory while cases are generated (lead and partner choice).</summary>
internal sealed record SeedCompany(Guid Id, string Name, string Country, string Region, string SizeClass, string RegisterNumber, string[] Nace, string[] S3);

/// <summary>Names, register numbers and texts of the eight countries, from Bogus locales where Bogus has one.</summary>
internal static class SeedPeople
{
    public static readonly SeedRegion[] Regions =
    [
        new("PL84", "PL", true, 14, "pl", "+48"),
        new("LV008", "LV", true, 10, "lv", "+371"),
        new("EE008", "EE", true, 8, "ee", "+372"),
        new("LT01", "LT", true, 10, "lt", "+370"),
        new("LT02", "LT", true, 10, "lt", "+370"),
        new("DE60", "DE", false, 12, "de", "+49"),
        new("FI1C4", "FI", false, 6, "fi", "+358"),
        new("FI19", "FI", false, 8, "fi", "+358"),
        new("DK03", "DK", false, 8, "dk", "+45"),
        new("DK05", "DK", false, 6, "dk", "+45"),
        new("SE23", "SE", false, 8, "se", "+46"),
    ];

    /// <summary>NACE Rev. 2 sections as SMEs in brokerage are spread: manufacturing, trade, ICT and R&amp;D lead.</summary>
    public static readonly (string Code, int Weight)[] Nace =
    [
        ("C", 22), ("G", 12), ("J", 14), ("M", 14), ("A", 5), ("F", 6), ("H", 4), ("I", 4), ("N", 4), ("Q", 4), ("E", 2), ("D", 2), ("K", 2), ("L", 1),
        ("P", 2), ("R", 1), ("S", 2), ("B", 1),
    ];

    /// <summary>The S3 area a company of a NACE section most likely works in.</summary>
    public static string S3For(string nace) => nace switch
    {
        "J" or "K" or "N" => "ict-digitalisation",
        "Q" or "I" => "health-nutrition",
        "A" => "bioeconomy",
        "C" or "B" => "advanced-manufacturing",
        "E" => "water-management",
        "D" => "resource-efficiency",
        "F" or "H" or "L" => "smart-cities",
        _ => "sustainable-innovation",
    };

    public static readonly string[] S3Areas =
        ["ict-digitalisation", "health-nutrition", "sustainable-innovation", "bioeconomy", "advanced-manufacturing", "smart-cities", "resource-efficiency", "water-management"];

    /// <summary>Organisation types: mostly SMEs, some research, public and support organisations.</summary>
    public static readonly (string Size, int Weight)[] Sizes =
    [
        (SizeClasses.Micro, 38), (SizeClasses.Small, 32), (SizeClasses.Medium, 16), (SizeClasses.Large, 3), (SizeClasses.Research, 5),
        (SizeClasses.PublicBody, 2), (SizeClasses.BusinessSupport, 3), (SizeClasses.Ngo, 1),
    ];

    private static readonly Dictionary<string, (string[] Words, string[] Forms, bool Prefix)> Legal = new(StringComparer.Ordinal)
    {
        ["PL"] = (["Technologie", "Systemy", "Drewno", "Żywność", "Logistyka", "Energia", "Medtech", "Metal", "Innowacje"], ["Sp. z o.o.", "S.A.", "sp.k."], false),
        ["LV"] = (["Tehnoloģijas", "Koks", "Pārtika", "Loģistika", "Enerģija", "Metāls", "Dizains", "Inovācijas"], ["SIA", "AS"], true),
        ["EE"] = (["Tehnoloogia", "Puit", "Toit", "Logistika", "Energia", "Metall", "Disain", "Arendus"], ["OÜ", "AS"], false),
        ["LT"] = (["Technologijos", "Mediena", "Maistas", "Logistika", "Energija", "Metalas", "Sprendimai"], ["UAB", "AB"], true),
        ["DE"] = (["Technik", "Systeme", "Logistik", "Energie", "Maschinenbau", "Software", "Lebensmittel", "Meerestechnik"], ["GmbH", "GmbH & Co. KG", "AG"], false),
        ["FI"] = (["Teknologia", "Puu", "Ruoka", "Logistiikka", "Energia", "Metalli", "Ohjelmistot", "Kuitu"], ["Oy", "Oyj"], false),
        ["DK"] = (["Teknik", "Træ", "Fødevarer", "Logistik", "Energi", "Metal", "Software", "Vind"], ["ApS", "A/S"], false),
        ["SE"] = (["Teknik", "Trä", "Livsmedel", "Logistik", "Energi", "Metall", "Mjukvara", "Marin"], ["AB"], false),
    };

    private static readonly Dictionary<string, (string[] First, string[] Last)> OwnNames = new(StringComparer.Ordinal)
    {
        ["EE"] = (["Mari", "Jaan", "Kadri", "Toomas", "Liis", "Andres", "Kristiina", "Margus", "Triin", "Peeter"],
            ["Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel", "Lepik", "Oja"]),
        ["LT"] = (["Jonas", "Rūta", "Tomas", "Eglė", "Mantas", "Ieva", "Darius", "Agnė", "Lukas", "Gintarė"],
            ["Kazlauskas", "Jankauskas", "Petrauskas", "Stankevičius", "Vasiliauskas", "Žukauskas", "Butkus", "Paulauskas", "Urbonas", "Kavaliauskas"]),
        ["DK"] = (["Mette", "Lars", "Anne", "Søren", "Camilla", "Henrik", "Louise", "Mads", "Freja", "Jesper"],
            ["Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen", "Jørgensen"]),
    };

    private static readonly Dictionary<string, string> Locales = new(StringComparer.Ordinal)
    {
        ["PL"] = "pl",
        ["LV"] = "lv",
        ["DE"] = "de",
        ["FI"] = "fi",
        ["SE"] = "sv",
    };

    private static readonly Dictionary<string, string[]> Offers = new(StringComparer.Ordinal)
    {
        ["ict-digitalisation"] = ["cloud software for small manufacturers", "cybersecurity audits", "IoT sensors and dashboards", "data analytics services"],
        ["health-nutrition"] = ["functional food ingredients", "telemedicine services", "medical device prototyping", "organic baby food"],
        ["sustainable-innovation"] = ["recycled packaging", "circular design consulting", "repair and refurbishment services", "low-carbon building materials"],
        ["bioeconomy"] = ["wood processing", "forest biomass", "berry and honey products", "bio-based chemicals"],
        ["advanced-manufacturing"] = ["CNC machining", "laser cutting and welding", "industrial automation", "composite parts"],
        ["smart-cities"] = ["smart lighting", "mobility apps", "building energy management", "urban planning tools"],
        ["resource-efficiency"] = ["heat recovery systems", "energy audits", "solar installations", "waste heat use"],
        ["water-management"] = ["water purification", "leak detection", "stormwater solutions", "aquaculture systems"],
    };

    private static readonly string[] Needs =
        ["partners for export to Germany", "a research partner for a new product", "distributors in the Nordic countries", "a pilot customer abroad",
         "know-how in automation", "joint EU project partners", "certification support", "access to test facilities"];

    public static Faker FakerFor(string country) => new(Locales.GetValueOrDefault(country, "en"));

    public static (string First, string Last) PersonName(Faker faker, string country)
    {
        if (OwnNames.TryGetValue(country, out var names))
        {
            return (faker.PickRandom(names.First), faker.PickRandom(names.Last));
        }

        return (faker.Name.FirstName(), faker.Name.LastName());
    }

    public static string CompanyName(Faker faker, string country, string nace)
    {
        var (words, forms, prefix) = Legal[country];
        var (_, last) = PersonName(faker, country);
        var word = words[(nace[0] + faker.Random.Int(0, words.Length - 1)) % words.Length];
        var form = faker.PickRandom(forms);
        return prefix ? $"{form} {last} {word}" : $"{last} {word} {form}";
    }

    public static string OffersFor(Faker faker, string s3) => faker.PickRandom(Offers[s3]);

    public static string NeedFor(Faker faker) => faker.PickRandom(Needs);

    /// <summary>A register number of the country that the application's own check accepts, not yet in <paramref name="taken"/>.</summary>
    public static string? RegisterNumber(Faker faker, string country, HashSet<string> taken)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var r = faker.Random;
            var candidate = country switch
            {
                "PL" => r.Int(1, 9) + r.ReplaceNumbers("#########"),
                "LV" => "4000" + r.ReplaceNumbers("#######"),
                "EE" => "1" + r.ReplaceNumbers("#######"),
                "LT" => "3" + r.ReplaceNumbers("########"),
                "DE" => "DE" + r.Int(1, 9) + r.ReplaceNumbers("########"),
                "FI" => r.Int(1, 3) + r.ReplaceNumbers("######") + "-" + r.ReplaceNumbers("#"),
                "DK" => r.Int(1, 9) + r.ReplaceNumbers("#######"),
                _ => "55" + r.ReplaceNumbers("########"),
            };
            if (RegisterNumbers.Normalise(country, candidate).Number is { } number && taken.Add(number))
            {
                return number;
            }
        }

        return null;
    }

    public static string Slug(string name) => SearchText.Fold(name).Replace("&", "and", StringComparison.Ordinal)
        .Split([' ', '.', ',', '/', '-'], StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } parts
        ? string.Join("-", parts.Take(2))
        : "company";

    public static T Weighted<T>(Faker faker, IReadOnlyList<(T Value, int Weight)> items)
    {
        var pick = faker.Random.Int(1, items.Sum(i => i.Weight));
        foreach (var (value, weight) in items)
        {
            if ((pick -= weight) <= 0)
            {
                return value;
            }
        }

        return items[^1].Value;
    }
}
