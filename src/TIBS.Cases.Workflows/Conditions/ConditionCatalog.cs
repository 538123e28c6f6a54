using System.Globalization;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Workflows.Conditions;

/// <summary>What a condition takes as its parameter in YAML.</summary>
public enum ConditionParameterKind
{
    /// <summary>No parameter: <c>- form-complete</c>.</summary>
    None,
    /// <summary>A whole number of at least 1: <c>- min-agreed-partners: 1</c>.</summary>
    Count,
    /// <summary>The key of a field of the step's form: <c>- field-filled: requested-changes</c>.</summary>
    Field,
    /// <summary>The key of a <c>file</c> field of the step's form: <c>- attachment: signed-agreement</c>.</summary>
    FileField,
    /// <summary>A field and a value: <c>- field-equals: {field: eligible, value: yes}</c>.</summary>
    FieldValue,
    /// <summary>
    /// A moment in the step: <c>last-check-in</c> (when the step's last check-in is due) or a duration after the step
    /// started (<c>P12M</c>): <c>- not-before: last-check-in</c>.
    /// </summary>
    Moment,
    /// <summary>An expression over the case's data: <c>- expression: "form.amount >= 10000"</c>.</summary>
    Expression,
}

/// <summary>What a condition needs in the step that uses it.</summary>
public enum ConditionNeeds
{
    Nothing,
    /// <summary>At least one field in the step's form.</summary>
    AnyFormField,
    /// <summary>The field named by the parameter in the step's form.</summary>
    NamedField,
    /// <summary>A <c>file</c> field named by the parameter in the step's form.</summary>
    NamedFileField,
    /// <summary>A check-in bound to the step.</summary>
    CheckIn,
}

/// <summary>Metadata of one condition: its name, parameter, meaning in words and what it needs.</summary>
public sealed record ConditionDescriptor(
    string Name,
    ConditionParameterKind Parameter,
    ConditionNeeds Needs,
    string Meaning,
    string Example);

/// <summary>
/// The registry of conditions coordinators may use in outcomes. Only metadata lives here; whether a
/// condition is met for a case is decided by an <see cref="ICaseConditionEvaluator"/> (in Core).
/// </summary>
public static class ConditionCatalog
{
    public const string FormComplete = "form-complete";
    public const string FieldEquals = "field-equals";
    public const string FieldFilled = "field-filled";
    public const string Attachment = "attachment";
    public const string CandidatesFromOtherCountries = "candidates-from-other-countries";
    public const string MinInterestedPartners = "min-interested-partners";
    public const string PartnersFromOtherCountries = "partners-from-other-countries";
    public const string MinAgreedPartners = "min-agreed-partners";
    public const string CheckInsComplete = "check-ins-complete";
    public const string NotBefore = "not-before";
    public const string FindingsRecorded = "findings-recorded";
    public const string FindingsAnswered = "findings-answered";
    public const string Expression = "expression";

    /// <summary>The moment of <see cref="NotBefore"/> meaning "when the step's last check-in is due".</summary>
    public const string LastCheckIn = "last-check-in";

    /// <summary>All known conditions, in the order they are documented; their meanings in the current UI culture.</summary>
    public static IReadOnlyList<ConditionDescriptor> All =>
    [
        new(FormComplete, ConditionParameterKind.None, ConditionNeeds.AnyFormField,
            Localized.Text("All required fields of the step's form are filled in."), "- form-complete"),
        new(FieldEquals, ConditionParameterKind.FieldValue, ConditionNeeds.NamedField,
            Localized.Text("A field of the step's form has the given value (for yes/no fields: yes or no; for choices: an option value)."),
            "- field-equals: { field: eligible, value: yes }"),
        new(FieldFilled, ConditionParameterKind.Field, ConditionNeeds.NamedField,
            Localized.Text("A field of the step's form is filled in."), "- field-filled: requested-changes"),
        new(Attachment, ConditionParameterKind.FileField, ConditionNeeds.NamedFileField,
            Localized.Text("A file is attached in the given file field of the step's form."), "- attachment: signed-agreement"),
        new(CandidatesFromOtherCountries, ConditionParameterKind.Count, ConditionNeeds.Nothing,
            Localized.Text("At least this many shortlisted candidates come from a country other than the lead company's."),
            "- candidates-from-other-countries: 1"),
        new(MinInterestedPartners, ConditionParameterKind.Count, ConditionNeeds.Nothing,
            Localized.Text("At least this many contacted partners have expressed interest."), "- min-interested-partners: 1"),
        new(PartnersFromOtherCountries, ConditionParameterKind.Count, ConditionNeeds.Nothing,
            Localized.Text("At least this many interested or agreed partners come from a country other than the lead company's."),
            "- partners-from-other-countries: 1"),
        new(MinAgreedPartners, ConditionParameterKind.Count, ConditionNeeds.Nothing,
            Localized.Text("At least this many partners have agreed to take part in the joint strategy."), "- min-agreed-partners: 1"),
        new(CheckInsComplete, ConditionParameterKind.None, ConditionNeeds.CheckIn,
            Localized.Text("Every check-in scheduled for the step has been recorded (the last one falls due at the end of the follow-up period)."), "- check-ins-complete"),
        new(NotBefore, ConditionParameterKind.Moment, ConditionNeeds.Nothing,
            Localized.Text("Not before a moment of the step: when its last check-in is due (last-check-in), or a time after the step started (an ISO-8601 duration such as P12M)."),
            "- not-before: last-check-in"),
        new(FindingsRecorded, ConditionParameterKind.Count, ConditionNeeds.Nothing,
            Localized.Text("At least this many findings are recorded in the case (an audit's findings, each with its severity and the step it concerns)."),
            "- findings-recorded: 1"),
        new(FindingsAnswered, ConditionParameterKind.None, ConditionNeeds.Nothing,
            Localized.Text("Every finding recorded in the case has an answer."), "- findings-answered"),
        new(Expression, ConditionParameterKind.Expression, ConditionNeeds.Nothing,
            Localized.Text("An expression over the case's data holds (fields of this and earlier steps, partners, dates, the region, decision tables)."),
            "- expression: \"form.amount >= 10000 && partners.agreed >= 1\""),
    ];

    private static readonly string[] Names = [.. All.Select(d => d.Name)];

    public static bool TryGet(string name, out ConditionDescriptor descriptor)
    {
        descriptor = Names.Contains(name, StringComparer.Ordinal) ? All.First(d => d.Name == name) : null!;
        return descriptor is not null;
    }

    /// <summary>
    /// Checks a condition as used in a step; returns every problem in words (empty when it is fine).
    /// </summary>
    /// <param name="condition">The condition as written.</param>
    /// <param name="form">The fields of the step's form.</param>
    /// <param name="stepHasCheckIn">Whether a check-in is bound to the step.</param>
    public static IReadOnlyList<string> Check(ConditionRef condition, IReadOnlyList<FieldDefinition> form, bool stepHasCheckIn)
    {
        var problems = new List<string>();
        if (!TryGet(condition.Name, out var descriptor))
        {
            var hint = Suggest.Closest(condition.Name, Names);
            problems.Add(hint is null
                ? Localized.Format("'{0}' is not a known condition; known conditions: {1}.", condition.Name, string.Join(", ", Names))
                : Localized.Format("'{0}' is not a known condition (did you mean '{1}'?); known conditions: {2}.", condition.Name, hint, string.Join(", ", Names)));
            return problems;
        }

        var name = descriptor.Name;
        switch (descriptor.Parameter)
        {
            case ConditionParameterKind.None:
                if (condition.Argument is not null || condition.Arguments is not null)
                {
                    problems.Add(Localized.Format("{0} takes no parameter; write it as '- {0}'.", name));
                }

                break;
            case ConditionParameterKind.Count:
                if (condition.Arguments is not null || condition.Argument is null)
                {
                    problems.Add(Localized.Format("{0} needs a whole number of at least 1, e.g. '{1}'.", name, descriptor.Example[2..]));
                }
                else if (!int.TryParse(condition.Argument, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                {
                    problems.Add(Localized.Format("{0}: '{1}' is not a whole number of at least 1.", name, condition.Argument));
                }

                break;
            case ConditionParameterKind.Field:
            case ConditionParameterKind.FileField:
                if (condition.Arguments is not null || string.IsNullOrWhiteSpace(condition.Argument))
                {
                    problems.Add(Localized.Format("{0} needs the key of a field of this step's form, e.g. '{1}'.", name, descriptor.Example[2..]));
                }

                break;
            case ConditionParameterKind.Moment:
                if (condition.Arguments is not null || string.IsNullOrWhiteSpace(condition.Argument))
                {
                    problems.Add(Localized.Format("{0} needs '{1}' or a duration after the step starts, e.g. '{2}' or '{0}: P12M'.", name, LastCheckIn, descriptor.Example[2..]));
                }
                else if (condition.Argument == LastCheckIn)
                {
                    if (!stepHasCheckIn)
                    {
                        problems.Add(Localized.Format("{0}: {1} needs check-ins bound to this step (check-ins[].step), but there are none.", name, LastCheckIn));
                    }
                }
                else if (!IsoDuration.TryParse(condition.Argument, out _, out var durationError))
                {
                    problems.Add(Localized.Format("{0}: '{1}' is neither '{2}' nor a duration ({3}).", name, condition.Argument, LastCheckIn, durationError));
                }

                break;
            case ConditionParameterKind.Expression:
                if (condition.Arguments is not null || string.IsNullOrWhiteSpace(condition.Argument))
                {
                    problems.Add(Localized.Format("{0} needs the expression as text, e.g. '{1}'.", name, descriptor.Example[2..]));
                }

                break;
            case ConditionParameterKind.FieldValue:
                if (condition.Arguments is null)
                {
                    problems.Add(Localized.Format("{0} needs a field and a value, e.g. '{1}'.", name, descriptor.Example[2..]));
                }
                else
                {
                    foreach (var key in condition.Arguments.Keys.Where(k => k is not ("field" or "value")))
                    {
                        problems.Add(Localized.Format("{0} has an unknown parameter '{1}'; it takes only 'field' and 'value'.", name, key));
                    }

                    if (string.IsNullOrWhiteSpace(condition.Arguments.GetValueOrDefault("field")))
                    {
                        problems.Add(Localized.Format("{0} is missing 'field' (the key of a field of this step's form).", name));
                    }

                    if (!condition.Arguments.ContainsKey("value"))
                    {
                        problems.Add(Localized.Format("{0} is missing 'value' (the value the field must have).", name));
                    }
                }

                break;
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        switch (descriptor.Needs)
        {
            case ConditionNeeds.AnyFormField when form.Count == 0:
                problems.Add(Localized.Format("{0} needs a form, but this step's form is empty; add fields or remove the condition.", name));
                break;
            case ConditionNeeds.CheckIn when !stepHasCheckIn:
                problems.Add(Localized.Format("{0} needs check-ins bound to this step (check-ins[].step), but there are none.", name));
                break;
            case ConditionNeeds.NamedField:
            case ConditionNeeds.NamedFileField:
                var fieldKey = descriptor.Parameter == ConditionParameterKind.FieldValue
                    ? condition.Arguments!["field"]
                    : condition.Argument!;
                var field = form.FirstOrDefault(f => f.Key == fieldKey);
                if (field is null)
                {
                    var hint = Suggest.Closest(fieldKey, form.Select(f => f.Key));
                    problems.Add((descriptor.Needs == ConditionNeeds.NamedFileField, hint is null) switch
                    {
                        (true, true) => Localized.Format("{0}: {1} needs a file field '{1}' in this step's form, but the form has none.", name, fieldKey),
                        (true, false) => Localized.Format("{0}: {1} needs a file field '{1}' in this step's form, but the form has none (did you mean '{2}'?).", name, fieldKey, hint),
                        (false, true) => Localized.Format("{0}: {1} needs a field '{1}' in this step's form, but the form has none.", name, fieldKey),
                        (false, false) => Localized.Format("{0}: {1} needs a field '{1}' in this step's form, but the form has none (did you mean '{2}'?).", name, fieldKey, hint),
                    });
                }
                else if (descriptor.Needs == ConditionNeeds.NamedFileField && field.Type != "file")
                {
                    problems.Add(Localized.Format("{0}: {1} needs '{1}' to be a file field, but it is a {2} field.", name, fieldKey, field.Type));
                }
                else if (descriptor.Parameter == ConditionParameterKind.FieldValue)
                {
                    CheckValue(name, field, condition.Arguments!["value"], problems);
                }

                break;
        }

        return problems;
    }

    private static void CheckValue(string name, FieldDefinition field, string value, List<string> problems)
    {
        switch (field.Type)
        {
            case "boolean" when value is not ("yes" or "no"):
                problems.Add(Localized.Format("{0}: '{1}' is a yes/no field, so the value must be yes or no, not '{2}'.", name, field.Key, value));
                break;
            case "choice" or "multi-choice" when field.Options.Count > 0 && field.Options.All(o => o.Value != value):
                problems.Add(Localized.Format("{0}: '{1}' is not an option of '{2}' (options: {3}).", name, value, field.Key, string.Join(", ", field.Options.Select(o => o.Value))));
                break;
            case "table" or "file":
                problems.Add(Localized.Format("{0} cannot compare a {1} field ('{2}') with a value.", name, field.Type, field.Key));
                break;
        }
    }

    /// <summary>
    /// The expression that means the same as a named condition (each named condition is expressible as an expression;
    /// the format docs list them), for the step's <paramref name="form"/>; null for a condition not in the catalog.
    /// </summary>
    public static string? AsExpression(ConditionRef condition, IReadOnlyList<FieldDefinition> form)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(form);
        string Field(string? key) => "form." + (key ?? "").Replace('-', '_');
        var n = condition.Argument ?? "1";
        switch (condition.Name)
        {
            case FormComplete:
                return "step.form_complete";
            case FieldFilled or Attachment:
                return $"has({Field(condition.Argument)})";
            case FieldEquals:
                var key = condition.Arguments?.GetValueOrDefault("field");
                var value = condition.Arguments?.GetValueOrDefault("value") ?? "";
                var field = form.FirstOrDefault(f => f.Key == key);
                return field?.Type switch
                {
                    "boolean" => $"{Field(key)} == {(value == "yes" ? "true" : "false")}",
                    "number" => $"{Field(key)} == {value}",
                    "multi-choice" or "file" => $"\"{value}\" in {Field(key)}",
                    "taxonomy" or "company" when field.Multiple => $"\"{value}\" in {Field(key)}",
                    _ => $"{Field(key)} == \"{value}\"",
                };
            case CandidatesFromOtherCountries:
                return $"partners.shortlisted_foreign >= {n}";
            case MinInterestedPartners:
                return $"partners.interested >= {n}";
            case PartnersFromOtherCountries:
                return $"partners.foreign >= {n}";
            case MinAgreedPartners:
                return $"partners.agreed >= {n}";
            case CheckInsComplete:
                return "step.check_ins_missing == 0";
            case NotBefore:
                return condition.Argument == LastCheckIn ? "now >= step.last_check_in_due" : $"now >= add(step.started, \"{condition.Argument}\")";
            case FindingsRecorded:
                return $"findings.recorded >= {n}";
            case FindingsAnswered:
                return "findings.unanswered == 0";
            case Expression:
                return condition.Argument;
            default:
                return null;
        }
    }

    /// <summary>The name shown on diagram edges and in messages, e.g. <c>field-equals: eligible = yes</c>.</summary>
    public static string GuardName(ConditionRef condition) =>
        condition.Arguments is not null
            ? condition.Name == FieldEquals && condition.Arguments.TryGetValue("field", out var f) && condition.Arguments.TryGetValue("value", out var v)
                ? $"{condition.Name}: {f} = {v}"
                : $"{condition.Name}: {string.Join(", ", condition.Arguments.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}"
            : condition.Argument is not null ? $"{condition.Name}: {condition.Argument}" : condition.Name;

    /// <summary>
    /// The condition in words for a given form, as people read it on pages and diagrams: field labels instead of keys,
    /// option labels instead of values, Yes/No for yes/no fields, e.g. "Consent to process contact data is Yes".
    /// </summary>
    public static string Describe(ConditionRef condition, IReadOnlyList<FieldDefinition> form)
    {
        string Label(string? key) => form.FirstOrDefault(f => f.Key == key) is { } field && field.Label.Length > 0 ? field.Label : key ?? "";
        int.TryParse(condition.Argument, NumberStyles.None, CultureInfo.InvariantCulture, out var n);
        return condition.Name switch
        {
            FormComplete => Localized.Text("All required fields of the form are filled in"),
            FieldEquals => Localized.Format("{0} is {1}", Label(condition.Arguments?.GetValueOrDefault("field")), OptionLabel(form, condition)),
            FieldFilled => Localized.Format("{0} is filled in", Label(condition.Argument)),
            Attachment => Localized.Format("A file is attached in '{0}'", Label(condition.Argument)),
            CandidatesFromOtherCountries => n == 1
                ? Localized.Text("At least 1 shortlisted candidate comes from a country other than the lead company's")
                : Localized.Format("At least {0} shortlisted candidates come from a country other than the lead company's", n),
            MinInterestedPartners => n == 1
                ? Localized.Text("At least 1 contacted partner has expressed interest")
                : Localized.Format("At least {0} contacted partners have expressed interest", n),
            PartnersFromOtherCountries => n == 1
                ? Localized.Text("At least 1 interested or agreed partner comes from a country other than the lead company's")
                : Localized.Format("At least {0} interested or agreed partners come from a country other than the lead company's", n),
            MinAgreedPartners => n == 1
                ? Localized.Text("At least 1 partner has agreed to take part")
                : Localized.Format("At least {0} partners have agreed to take part", n),
            CheckInsComplete => Localized.Text("All check-ins scheduled so far are recorded"),
            FindingsRecorded => n == 1 ? Localized.Text("At least 1 finding is recorded") : Localized.Format("At least {0} findings are recorded", n),
            FindingsAnswered => Localized.Text("Every finding has an answer"),
            Expression => Localized.Format("The rule {0} holds", condition.Argument),
            NotBefore when condition.Argument == LastCheckIn => Localized.Text("The step's last check-in is due"),
            NotBefore when IsoDuration.TryParse(condition.Argument, out var after, out _) => Localized.Format("The step started at least {0} ago", after.ToWords()),
            _ => TryGet(condition.Name, out var descriptor) ? descriptor.Meaning.TrimEnd('.') : Localized.Text("A condition not known to this version of TIBS"),
        };
    }

    private static string OptionLabel(IReadOnlyList<FieldDefinition> form, ConditionRef condition)
    {
        var value = condition.Arguments?.GetValueOrDefault("value") ?? "";
        var field = form.FirstOrDefault(f => f.Key == condition.Arguments?.GetValueOrDefault("field"));
        if (field?.Type == "boolean" || (field is null && value is "yes" or "no"))
        {
            return value switch { "yes" => Localized.Text("Yes"), "no" => Localized.Text("No"), _ => $"'{value}'" };
        }

        var option = field?.Options.FirstOrDefault(o => o.Value == value);
        return option?.Label is { Length: > 0 } label ? $"'{label}'" : $"'{value}'";
    }
}
