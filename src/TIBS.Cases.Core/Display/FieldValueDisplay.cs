using System.Globalization;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Display;

/// <summary>One labelled value of a form as people read it; a table's rows come as lines of their own.</summary>
public sealed record DisplayLine(string Label, string Value)
{
    /// <summary>The rows of a table field, each a list of labelled cells; empty for other fields.</summary>
    public IReadOnlyList<IReadOnlyList<DisplayLine>> Rows { get; init; } = [];
}

/// <summary>
/// Turns stored form values into labelled lines: the definition's field labels and option labels, taxonomy names,
/// company and file names, Yes/No, dates in words. A field the definition no longer has (or a value type added later)
/// is shown with a readable label and its text, never dropped.
/// </summary>
public sealed class FieldValueDisplay(ReferenceLabels reference, IReadOnlyDictionary<Guid, string> companyNames, IReadOnlyDictionary<Guid, string> fileNames)
{
    /// <summary>Lines in the order of <paramref name="fields"/>, then any value whose field is not (or no longer) defined.</summary>
    public IReadOnlyList<DisplayLine> Lines(IReadOnlyList<PlanField> fields, IReadOnlyDictionary<string, FieldValue> values)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(values);
        var lines = new List<DisplayLine>();
        foreach (var field in fields)
        {
            if (values.TryGetValue(field.Key, out var value))
            {
                lines.Add(Line(field, field.Key, value));
            }
        }

        var known = fields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        lines.AddRange(values.Where(v => !known.Contains(v.Key)).OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => Line(null, v.Key, v.Value)));
        return lines;
    }

    private DisplayLine Line(PlanField? field, string key, FieldValue value)
    {
        var label = field?.Label is { Length: > 0 } l ? l : Words.Humanize(key);
        if (value is TableValue table)
        {
            var rows = table.Rows.Select(r => (IReadOnlyList<DisplayLine>)Lines(field?.Columns ?? [], r)).ToList();
            var text = string.Join("; ", rows.Select(r => string.Join(", ", r.Select(c => $"{c.Label}: {c.Value}"))));
            return new DisplayLine(label, rows.Count == 0 ? Localized.Text("No rows") : text) { Rows = rows };
        }

        return new DisplayLine(label, Format(field, value));
    }

    /// <summary>One value in words (a table's rows joined); <paramref name="field"/> gives option labels and the taxonomy.</summary>
    public string Format(PlanField? field, FieldValue value) => value switch
    {
        TextValue t => t.Text,
        NumberValue n => n.Number.ToString("#,##0.##########", CultureInfo.InvariantCulture),
        DateValue d => Words.Date(d.Date),
        BooleanValue b => b.Value ? Localized.Text("Yes") : Localized.Text("No"),
        ChoiceValue c => Option(field, c.Value),
        MultiChoiceValue m => string.Join(", ", m.Values.Select(v => Option(field, v))),
        TaxonomyValue x => string.Join(", ", x.Codes.Select(code => reference.Name(field?.Taxonomy ?? x.Taxonomy, code))),
        CompanyValue c => string.Join(", ", c.CompanyIds.Select(Company)),
        FileValue f => string.Join(", ", f.Files.Select(File)),
        TableValue t => Line(field, field?.Key ?? "", t).Value,
        _ => value.ToText(),
    };

    private static string Option(PlanField? field, string value) =>
        field?.Options.FirstOrDefault(o => o.Value == value)?.Label is { Length: > 0 } label ? label : Words.Humanize(value);

    private string Company(string id) =>
        Guid.TryParse(id, out var guid) ? companyNames.GetValueOrDefault(guid) ?? Localized.Text("A company no longer in TIBS") : id;

    private string File(FileReference file) =>
        file.Name is { Length: > 0 } name ? name
        : Guid.TryParse(file.Id, out var guid) && fileNames.TryGetValue(guid, out var stored) ? stored
        : Localized.Text("A file no longer attached");

    /// <summary>Every company id referenced by <paramref name="values"/> (tables included), to look their names up at once.</summary>
    public static IEnumerable<Guid> CompanyIds(IEnumerable<FieldValue> values) => values.SelectMany(v => v switch
    {
        CompanyValue c => c.CompanyIds.Select(id => Guid.TryParse(id, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty),
        TableValue t => CompanyIds(t.Rows.SelectMany(r => r.Values)),
        _ => [],
    });
}
