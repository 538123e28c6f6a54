using System.Globalization;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Testing;

/// <summary>
/// Fills a form of the definition with valid values as a broker would post them (tables as <c>key[row].column</c>),
/// with chosen values where the path through the workflow depends on them.
/// </summary>
public static class FormFiller
{
    public static FormInput Fill(IReadOnlyList<PlanField> fields, Guid companyId, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        var files = new Dictionary<string, FieldValue>();
        foreach (var field in fields)
        {
            if (overrides is not null && overrides.TryGetValue(field.Key, out var chosen))
            {
                pairs.Add(new(field.Key, chosen));
                continue;
            }

            if (field.Type == FieldType.Table)
            {
                foreach (var column in field.Columns)
                {
                    pairs.Add(new($"{field.Key}[0].{column.Key}", overrides?.GetValueOrDefault($"{field.Key}[0].{column.Key}") ?? Value(column, companyId)));
                }

                continue;
            }

            if (field.Type == FieldType.File)
            {
                files[field.Key] = new FileValue([new FileReference(Guid.NewGuid().ToString(), "signed-agreement.pdf")]);
                continue;
            }

            pairs.Add(new(field.Key, Value(field, companyId)));
        }

        var input = FormInput.FromPairs(pairs);
        foreach (var (key, value) in files)
        {
            input = input.With(key, value);
        }

        return input;
    }

    private static string Value(PlanField field, Guid companyId) => field.Type switch
    {
        FieldType.Text => $"{field.Label} text",
        FieldType.Textarea => $"{field.Label}: a longer answer.",
        FieldType.Number => (field.Min ?? 1m).ToString(CultureInfo.InvariantCulture),
        FieldType.Date => "2026-01-02", // before every test clock: a consent date may not lie in the future
        FieldType.Boolean => "yes",
        FieldType.Choice or FieldType.MultiChoice => field.Options[0].Value,
        FieldType.Taxonomy => field.Taxonomy switch
        {
            "s3-area" => "ict-digitalisation",
            "nace" => "C",
            "region" => "LV008",
            _ => "DE",
        },
        FieldType.Company => companyId.ToString(),
        FieldType.Email => "contact@example.org",
        FieldType.Phone => "+371 2612 3456",
        FieldType.Url => "https://example.com",
        _ => "x",
    };
}
