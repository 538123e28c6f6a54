using System.Globalization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Drafts;

/// <summary>
/// What a draft may hold: the typed values of the form's own inputs (other names are dropped), each within the length
/// a field accepts (<see cref="FieldLimits"/>) and free of characters no database stores (<see cref="TextRules"/>).
/// Required fields, formats and choices are not checked: a draft is unfinished by nature.
/// </summary>
public static class DraftRules
{
    public static (IReadOnlyDictionary<string, IReadOnlyList<string>> Values, IReadOnlyList<FieldError> Errors) Clean(
        IReadOnlyList<PlanField> fields, IReadOnlyDictionary<string, IReadOnlyList<string>> posted)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(posted);
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        foreach (var (name, list) in posted)
        {
            if (Resolve(fields, name) is not { } target)
            {
                continue;
            }

            var kept = list.Where(v => !string.IsNullOrEmpty(v)).ToList();
            if (kept.Count == 0)
            {
                continue;
            }

            var label = target.Row is { } row ? string.Create(CultureInfo.InvariantCulture, $"{target.Field.Label}, row {row + 1}, {target.Input.Label}") : target.Field.Label;
            if (target.Row >= FieldLimits.MaxTableRows)
            {
                errors.Add(new FieldError(name, string.Create(CultureInfo.InvariantCulture, $"{target.Field.Label}: at most {FieldLimits.MaxTableRows} rows are allowed.")));
                continue;
            }

            if (kept.Count > FieldLimits.MaxValues)
            {
                errors.Add(new FieldError(name, string.Create(CultureInfo.InvariantCulture, $"{label}: at most {FieldLimits.MaxValues} values can be chosen (this has {kept.Count}).")));
                continue;
            }

            var max = FieldLimits.HoldsText(target.Input.Type) ? FieldLimits.MaxLengthOf(target.Input) : FieldLimits.MaxValueLength;
            if (kept.Select(v => TextRules.Problem(label, v, max)).FirstOrDefault(p => p is not null) is { } problem)
            {
                errors.Add(new FieldError(name, problem));
                continue;
            }

            values[name] = kept;
        }

        return (values, errors);
    }

    /// <summary>The field (and for a table cell, its column and row) an input name belongs to, or null for a name the form does not have.</summary>
    public static (PlanField Field, PlanField Input, int? Row)? Resolve(IReadOnlyList<PlanField> fields, string name)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(name);
        var open = name.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return fields.FirstOrDefault(f => f.Key == name && f.Type != FieldType.Table) is { } f ? (f, f, null) : null;
        }

        var close = name.IndexOf("].", open, StringComparison.Ordinal);
        if (close < 0 || !int.TryParse(name.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var row))
        {
            return null;
        }

        var table = fields.FirstOrDefault(f => f.Key == name[..open] && f.Type == FieldType.Table);
        var column = table?.Columns.FirstOrDefault(c => c.Key == name[(close + 2)..]);
        return table is not null && column is not null ? (table, column, row) : null;
    }
}
