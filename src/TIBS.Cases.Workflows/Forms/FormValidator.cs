using System.Globalization;
using System.Text.RegularExpressions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Forms;

/// <summary>Validates submitted values against the fields of a step or a check-in.</summary>
public static partial class FormValidator
{
    private const string DateFormat = "yyyy-MM-dd";

    public static FormValidationResult Validate(PlanStep step, FormInput input, ITaxonomyLookup? taxonomies = null) =>
        Validate((step ?? throw new ArgumentNullException(nameof(step))).Fields, input, taxonomies);

    public static FormValidationResult Validate(PlanCheckIn checkIn, FormInput input, ITaxonomyLookup? taxonomies = null) =>
        Validate((checkIn ?? throw new ArgumentNullException(nameof(checkIn))).Fields, input, taxonomies);

    /// <summary>Validates and normalizes; values for unknown keys are ignored.</summary>
    public static FormValidationResult Validate(IReadOnlyList<PlanField> fields, FormInput input, ITaxonomyLookup? taxonomies = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(input);
        var values = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        foreach (var field in fields)
        {
            var context = new Context(field.Key, field.Label, taxonomies, errors);
            FieldValue? value;
            if (input.Structured.TryGetValue(field.Key, out var structured))
            {
                value = CheckStructured(field, structured, context);
            }
            else if (field.Type == FieldType.Table)
            {
                value = ParseTable(field, input, context);
            }
            else
            {
                value = Parse(field, input.Strings.GetValueOrDefault(field.Key) ?? [], context);
            }

            if (value is not null)
            {
                values[field.Key] = value;
            }
            else if (field.Required && !context.Failed)
            {
                context.Fail(field.Type == FieldType.Table ? Localized.Format("{0}: add at least one row.", context.Label) : Localized.Format("{0} is required.", context.Label));
            }
        }

        return new FormValidationResult(values, errors);
    }

    /// <summary>True when every required field has a value: what the <c>form-complete</c> condition checks.</summary>
    public static bool IsComplete(IReadOnlyList<PlanField> fields, IReadOnlyDictionary<string, FieldValue> values)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(values);
        return fields.Where(f => f.Required).All(f => values.ContainsKey(f.Key));
    }

    private sealed class Context(string key, string label, ITaxonomyLookup? taxonomies, List<FieldError> errors)
    {
        public string Key { get; } = key;

        public string Label { get; } = label;

        public ITaxonomyLookup? Taxonomies { get; } = taxonomies;

        public bool Failed { get; private set; }

        public List<FieldError> Errors { get; } = errors;

        public void Fail(string message)
        {
            if (!Failed)
            {
                Errors.Add(new FieldError(Key, message));
                Failed = true;
            }
        }

        public Context Cell(PlanField column, int row) =>
            new($"{Key}[{row}].{column.Key}", $"{Label}, row {row + 1}, {column.Label}", Taxonomies, Errors);
    }

    private static FieldValue? Parse(PlanField field, IReadOnlyList<string> raw, Context context)
    {
        var texts = raw.Select(r => r.Trim()).Where(r => r.Length > 0).ToList();
        if (texts.Count == 0)
        {
            return null;
        }

        var multiValued = field.Type is FieldType.MultiChoice
            || (field.Multiple && field.Type is FieldType.Taxonomy or FieldType.Company or FieldType.File);
        if (!multiValued && texts.Count > 1)
        {
            context.Fail(Localized.Format("{0}: only one value is allowed, but {1} were given.", context.Label, texts.Count));
            return null;
        }

        var text = texts[0];
        FieldValue? value;
        switch (field.Type)
        {
            case FieldType.Text or FieldType.Email or FieldType.Phone or FieldType.Url:
                value = new TextValue(text);
                break;
            case FieldType.Textarea:
                value = new TextValue(raw.First(r => r.Trim().Length > 0).Replace("\r\n", "\n", StringComparison.Ordinal).Trim());
                break;
            case FieldType.Number:
                if (!TryParseNumber(text, out var number))
                {
                    context.Fail(Localized.Format("{0}: {1} is not a number.", context.Label, text));
                    return null;
                }

                value = new NumberValue(number);
                break;
            case FieldType.Date:
                if (!DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    context.Fail(Localized.Format("{0}: {1} is not a date (use YYYY-MM-DD).", context.Label, text));
                    return null;
                }

                value = new DateValue(date);
                break;
            case FieldType.Boolean:
                switch (text.ToLowerInvariant())
                {
                    case "yes" or "true" or "on" or "1":
                        value = new BooleanValue(true);
                        break;
                    case "no" or "false" or "off" or "0":
                        value = new BooleanValue(false);
                        break;
                    default:
                        context.Fail(Localized.Format("{0}: {1} is not yes or no.", context.Label, text));
                        return null;
                }

                break;
            case FieldType.Choice:
                value = new ChoiceValue(text);
                break;
            case FieldType.MultiChoice:
                value = new MultiChoiceValue(SplitList(texts, field));
                break;
            case FieldType.Taxonomy:
                value = new TaxonomyValue(field.Taxonomy ?? "", SplitList(texts, field));
                break;
            case FieldType.Company:
                value = new CompanyValue(SplitList(texts, field));
                break;
            case FieldType.File:
                value = new FileValue([.. SplitList(texts, field).Select(id => new FileReference(id))]);
                break;
            default:
                context.Fail(Localized.Format("{0}: cannot be filled in from text.", context.Label));
                return null;
        }

        return Constrain(field, value, context);
    }

    // Several values may come as repeated keys or, for multi-valued fields, comma-separated in one value.
    private static List<string> SplitList(List<string> texts, PlanField field)
    {
        var items = texts.Count == 1 && !field.Options.Any(o => o.Value == texts[0] || o.Label == texts[0])
            ? texts[0].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [.. texts];
        return [.. items.Distinct(StringComparer.Ordinal)];
    }

    private static FieldValue? CheckStructured(PlanField field, FieldValue value, Context context)
    {
        var matches = (field.Type, value) switch
        {
            (FieldType.Text or FieldType.Textarea, TextValue t) => t.Text.Trim().Length > 0 ? true : (bool?)null,
            (FieldType.Email or FieldType.Phone or FieldType.Url, TextValue t) => t.Text.Trim().Length > 0 ? true : (bool?)null,
            (FieldType.Number, NumberValue) => true,
            (FieldType.Date, DateValue) => true,
            (FieldType.Boolean, BooleanValue) => true,
            (FieldType.Choice, ChoiceValue c) => c.Value.Length > 0 ? true : null,
            (FieldType.MultiChoice, MultiChoiceValue m) => m.Values.Count > 0 ? true : null,
            (FieldType.Taxonomy, TaxonomyValue t) => t.Codes.Count > 0 ? true : null,
            (FieldType.Company, CompanyValue c) => c.CompanyIds.Count > 0 ? true : null,
            (FieldType.File, FileValue f) => f.Files.Count > 0 ? true : null,
            (FieldType.Table, TableValue t) => t.Rows.Count > 0 ? true : null,
            _ => false,
        };
        if (matches is null)
        {
            return null;
        }

        if (matches == false)
        {
            context.Fail(Localized.Format("{0}: expected a {1} value.", context.Label, field.Type.ToName()));
            return null;
        }

        if (value is TableValue table)
        {
            if (table.Rows.Count > FieldLimits.MaxTableRows)
            {
                context.Fail(Localized.Format("{0}: at most {1} rows are allowed.", context.Label, FieldLimits.MaxTableRows));
                return null;
            }

            var rows = new List<IReadOnlyDictionary<string, FieldValue>>();
            for (var r = 0; r < table.Rows.Count; r++)
            {
                var row = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
                foreach (var column in field.Columns)
                {
                    var cell = context.Cell(column, r);
                    var checkedValue = table.Rows[r].TryGetValue(column.Key, out var v) ? CheckStructured(column, v, cell) : null;
                    if (checkedValue is not null)
                    {
                        row[column.Key] = checkedValue;
                    }
                    else if (column.Required && !cell.Failed)
                    {
                        cell.Fail(Localized.Format("{0} is required.", cell.Label));
                    }
                }

                rows.Add(row);
            }

            return rows.Any(r => r.Count > 0) ? new TableValue(rows) : null;
        }

        return Constrain(field, value, context);
    }

    private static FieldValue? Constrain(PlanField field, FieldValue value, Context context)
    {
        if (TooMany(value, context))
        {
            return null;
        }

        switch (value)
        {
            case TextValue t when t.Text.Length <= FieldLimits.MaxLengthOf(field) && FormatProblem(field.Type, t.Text.Trim()) is { } hint:
                context.Fail($"{context.Label}: {hint}");
                return null;
            case TextValue t when t.Text.Length > FieldLimits.MaxLengthOf(field):
                context.Fail(Localized.Format("{0}: at most {1:N0} characters are allowed (this has {2:N0}).", context.Label, FieldLimits.MaxLengthOf(field), t.Text.Length));
                return null;
            case NumberValue n when field.Min is { } min && n.Number < min:
                context.Fail(Localized.Format("{0}: must be at least {1} (was {2}).", context.Label, min.ToString(CultureInfo.InvariantCulture), n.ToText()));
                return null;
            case NumberValue n when field.Max is { } max && n.Number > max:
                context.Fail(Localized.Format("{0}: must be at most {1} (was {2}).", context.Label, max.ToString(CultureInfo.InvariantCulture), n.ToText()));
                return null;
            case ChoiceValue c:
                var option = FindOption(field, c.Value);
                if (option is null)
                {
                    context.Fail(Localized.Format("{0}: {1} is not one of the options ({2}).", context.Label, c.Value, string.Join(", ", field.Options.Select(o => o.Label))));
                    return null;
                }

                return new ChoiceValue(option.Value);
            case MultiChoiceValue m:
                var chosen = new List<PlanOption>();
                foreach (var item in m.Values)
                {
                    var found = FindOption(field, item);
                    if (found is null)
                    {
                        context.Fail(Localized.Format("{0}: {1} is not one of the options ({2}).", context.Label, item, string.Join(", ", field.Options.Select(o => o.Label))));
                        return null;
                    }

                    chosen.Add(found);
                }

                return new MultiChoiceValue([.. field.Options.Where(chosen.Contains).Select(o => o.Value)]);
            case TaxonomyValue t:
                if (!field.Multiple && t.Codes.Count > 1)
                {
                    context.Fail(Localized.Format("{0}: only one value is allowed, but {1} were given.", context.Label, t.Codes.Count));
                    return null;
                }

                var unknown = context.Taxonomies is null ? null : t.Codes.FirstOrDefault(code => !context.Taxonomies.IsKnown(field.Taxonomy ?? "", code));
                if (unknown is not null)
                {
                    context.Fail(Localized.Format("{0}: {1} is not a known {2} code.", context.Label, unknown, field.Taxonomy));
                    return null;
                }

                return t with { Taxonomy = field.Taxonomy ?? t.Taxonomy };
            case CompanyValue c when !field.Multiple && c.CompanyIds.Count > 1:
                context.Fail(Localized.Format("{0}: only one company may be chosen.", context.Label));
                return null;
            case FileValue f when !field.Multiple && f.Files.Count > 1:
                context.Fail(Localized.Format("{0}: only one file may be attached.", context.Label));
                return null;
        }

        return value;
    }

    /// <summary>Fails when a multi-valued field has more values, or longer ones, than any form needs.</summary>
    private static bool TooMany(FieldValue value, Context context)
    {
        IReadOnlyList<string> items = value switch
        {
            MultiChoiceValue m => m.Values,
            TaxonomyValue t => t.Codes,
            CompanyValue c => c.CompanyIds,
            FileValue f => [.. f.Files.Select(x => x.Id)],
            ChoiceValue c => [c.Value],
            _ => [],
        };
        if (items.Count > FieldLimits.MaxValues)
        {
            context.Fail(Localized.Format("{0}: at most {1} values can be chosen (this has {2}).", context.Label, FieldLimits.MaxValues, items.Count));
            return true;
        }

        if (items.Any(i => i.Length > FieldLimits.MaxValueLength))
        {
            context.Fail(Localized.Format("{0}: a value is too long to be one of the choices (at most {1} characters).", context.Label, FieldLimits.MaxValueLength));
            return true;
        }

        return false;
    }

    /// <summary>What to write instead, when <paramref name="text"/> does not have the format of an e-mail, phone or URL field.</summary>
    private static string? FormatProblem(FieldType type, string text) => type switch
    {
        FieldType.Email when !ContactFormats.IsEmail(text) => ContactFormats.EmailHint,
        FieldType.Phone when !ContactFormats.IsPhone(text) => ContactFormats.PhoneHint,
        FieldType.Url when !ContactFormats.IsWebsite(text) => ContactFormats.WebsiteHint,
        _ => null,
    };

    private static PlanOption? FindOption(PlanField field, string text) =>
        field.Options.FirstOrDefault(o => o.Value == text)
        ?? field.Options.FirstOrDefault(o => string.Equals(o.Value, text, StringComparison.OrdinalIgnoreCase)
                                             || string.Equals(o.Label, text, StringComparison.OrdinalIgnoreCase));
}
