using System.Globalization;
using Bogus;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Simulation;

/// <summary>Sample codes per taxonomy for generated values when the caller supplies none.</summary>
public static class SimulationTaxonomies
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sample { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["country"] = ["PL", "LV", "EE", "LT", "DE", "FI", "DK", "SE"],
        ["region"] = ["PL84", "LV008", "EE008", "LT0", "DE6", "FI1C5", "DK03", "SE23"],
        ["s3-area"] = ["ict", "sustainable-innovation", "health-nutrition"],
        ["nace"] = ["C", "J", "M"],
    };

    /// <summary>A lookup that knows exactly the given codes.</summary>
    public static ITaxonomyLookup Lookup(IReadOnlyDictionary<string, IReadOnlyList<string>> codes) => new KnownCodes(codes);

    private sealed class KnownCodes(IReadOnlyDictionary<string, IReadOnlyList<string>> codes) : ITaxonomyLookup
    {
        public bool IsKnown(string taxonomy, string code) => codes.TryGetValue(taxonomy, out var known) && known.Contains(code, StringComparer.Ordinal);
    }
}

/// <summary>
/// Fills forms with generated values that the real <see cref="FormValidator"/> accepts: types, required fields, options,
/// min/max, lengths and table columns respected. Optional fields are sometimes left empty, so conditions on them are
/// explored both ways. Deterministic for a given <see cref="Faker"/> seed.
/// </summary>
internal sealed class SimulatedForms(Faker faker, IReadOnlyDictionary<string, IReadOnlyList<string>> taxonomyCodes)
{
    private int _files;

    /// <summary>Posted pairs for the fields (as an HTML form would post them); <paramref name="given"/> values win.</summary>
    public FormInput Generate(IReadOnlyList<PlanField> fields, DateTimeOffset now, IReadOnlyDictionary<string, IReadOnlyList<string>>? given = null)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var field in fields)
        {
            if (given is not null && given.Keys.Any(k => k == field.Key || k.StartsWith(field.Key + "[", StringComparison.Ordinal)))
            {
                continue;
            }

            if (!field.Required && faker.Random.Bool(0.3f))
            {
                continue;
            }

            if (field.Type == FieldType.Table)
            {
                var rows = faker.Random.Int(1, 3);
                for (var r = 0; r < rows; r++)
                {
                    foreach (var column in field.Columns.Where(c => c.Required || faker.Random.Bool(0.7f)))
                    {
                        pairs.AddRange(Values(column, now).Select(v => Pair($"{field.Key}[{r}].{column.Key}", v)));
                    }
                }
            }
            else
            {
                pairs.AddRange(Values(field, now).Select(v => Pair(field.Key, v)));
            }
        }

        foreach (var (key, values) in given ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            pairs.AddRange(values.Select(v => Pair(key, v)));
        }

        return FormInput.FromPairs(pairs);
    }

    private static KeyValuePair<string, string?> Pair(string key, string value) => new(key, value);

    private IEnumerable<string> Values(PlanField field, DateTimeOffset now)
    {
        switch (field.Type)
        {
            case FieldType.Text:
                return [Fit(faker.Lorem.Sentence(faker.Random.Int(2, 6)), field)];
            case FieldType.Textarea:
                return [Fit(faker.Lorem.Paragraph(), field)];
            case FieldType.Email:
                return [Fit($"{faker.Internet.UserName().Replace("'", "", StringComparison.Ordinal)}@example.org", field)];
            case FieldType.Phone:
                return [Fit("+371 2" + faker.Random.ReplaceNumbers("### ####"), field)];
            case FieldType.Url:
                return [Fit($"https://{faker.Internet.DomainWord()}.example.org/", field)];
            case FieldType.Number:
                return [Number(field).ToString(CultureInfo.InvariantCulture)];
            case FieldType.Date:
                return [DateOnly.FromDateTime(now.UtcDateTime).AddDays(faker.Random.Int(-60, 60)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)];
            case FieldType.Boolean:
                return [faker.Random.Bool() ? "yes" : "no"];
            case FieldType.Choice:
                return [faker.Random.ListItem([.. field.Options]).Value];
            case FieldType.MultiChoice:
                return faker.Random.ListItems([.. field.Options], faker.Random.Int(1, field.Options.Count)).Select(o => o.Value);
            case FieldType.Taxonomy:
                var codes = taxonomyCodes.GetValueOrDefault(field.Taxonomy ?? "") ?? [];
                return codes.Count == 0 ? [] : faker.Random.ListItems([.. codes], field.Multiple ? faker.Random.Int(1, Math.Min(2, codes.Count)) : 1);
            case FieldType.Company:
                return Enumerable.Range(0, field.Multiple ? faker.Random.Int(1, 2) : 1).Select(_ => faker.Random.Guid().ToString());
            case FieldType.File:
                return Enumerable.Range(0, field.Multiple ? faker.Random.Int(1, 2) : 1).Select(_ => $"simulated-file-{++_files}");
            default:
                return [];
        }
    }

    private decimal Number(PlanField field)
    {
        var min = field.Min ?? (field.Max is { } max ? Math.Min(0, max - 1000) : 0);
        var top = field.Max ?? min + 1000;
        var integral = decimal.Truncate(min) == min && decimal.Truncate(top) == top && top - min >= 1;
        if (integral)
        {
            return faker.Random.Decimal(min, top + 1 - 0.000001m) is var d ? Math.Min(top, decimal.Floor(d)) : min;
        }

        return Math.Round(faker.Random.Decimal(min, top), 2) is var r && r >= min && r <= top ? r : min;
    }

    private static string Fit(string text, PlanField field)
    {
        var max = FieldLimits.MaxLengthOf(field);
        return text.Length <= max ? text : text[..max].TrimEnd() is { Length: > 0 } cut ? cut : "x";
    }
}
