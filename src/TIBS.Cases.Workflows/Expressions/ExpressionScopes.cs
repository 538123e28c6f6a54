using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Expressions;

/// <summary>A value every condition expression can read, with its kind and meaning (the format docs list them).</summary>
public sealed record ExpressionFact(string Name, ExpressionValueKind Kind, string Meaning);

/// <summary>
/// What an expression in an outcome's condition can read: the step's form (<c>form.&lt;field&gt;</c>), every step's
/// recorded form (<c>steps.&lt;step&gt;.&lt;field&gt;</c>), the decision tables (<c>decision.&lt;key&gt;</c>) and the
/// case's facts (<see cref="CaseFacts"/>). Names are written with underscores for hyphens.
/// </summary>
public static class ExpressionScopes
{
    public const string Today = "today";
    public const string Now = "now";
    public const string CaseRegion = "case.region";
    public const string CaseCountry = "case.country";
    public const string CaseOpened = "case.opened";
    public const string RegionCountry = "region.country";
    public const string StepStarted = "step.started";
    public const string StepFormComplete = "step.form_complete";
    public const string StepCheckInsMissing = "step.check_ins_missing";
    public const string StepLastCheckInDue = "step.last_check_in_due";
    public const string PartnersShortlisted = "partners.shortlisted";
    public const string PartnersShortlistedForeign = "partners.shortlisted_foreign";
    public const string PartnersInterested = "partners.interested";
    public const string PartnersAgreed = "partners.agreed";
    public const string PartnersDeclined = "partners.declined";
    public const string PartnersForeign = "partners.foreign";
    public const string PartnersCountries = "partners.countries";
    public const string FindingsRecorded = "findings.recorded";
    public const string FindingsUnanswered = "findings.unanswered";

    /// <summary>The facts of a case every outcome's expression can read, their meanings in the current UI culture.</summary>
    public static IReadOnlyList<ExpressionFact> CaseFacts =>
    [
        new(Today, ExpressionValueKind.Date, Localized.Text("Today's date (UTC).")),
        new(Now, ExpressionValueKind.Timestamp, Localized.Text("The present moment.")),
        new(CaseRegion, ExpressionValueKind.Text, Localized.Text("The NUTS code of the case's region, e.g. \"LV00\".")),
        new(CaseCountry, ExpressionValueKind.Text, Localized.Text("The lead company's country (ISO code, e.g. \"LV\").")),
        new(CaseOpened, ExpressionValueKind.Date, Localized.Text("The day the case was opened.")),
        new(RegionCountry, ExpressionValueKind.Text, Localized.Text("The country of the case's region (ISO code, from its NUTS code).")),
        new(StepStarted, ExpressionValueKind.Timestamp, Localized.Text("When the current step started.")),
        new(StepFormComplete, ExpressionValueKind.Boolean, Localized.Text("Every required field of the step's form is filled in.")),
        new(StepCheckInsMissing, ExpressionValueKind.Number, Localized.Text("How many check-ins scheduled for the step are not recorded yet.")),
        new(StepLastCheckInDue, ExpressionValueKind.Timestamp, Localized.Text("When the step's last check-in is due (only for steps with check-ins).")),
        new(PartnersShortlisted, ExpressionValueKind.Number, Localized.Text("Partner candidates on the shortlist who have not declined.")),
        new(PartnersShortlistedForeign, ExpressionValueKind.Number, Localized.Text("Of those, how many come from a country other than the lead company's.")),
        new(PartnersInterested, ExpressionValueKind.Number, Localized.Text("Partners who expressed interest or agreed.")),
        new(PartnersAgreed, ExpressionValueKind.Number, Localized.Text("Partners who agreed to take part.")),
        new(PartnersDeclined, ExpressionValueKind.Number, Localized.Text("Partners who declined.")),
        new(PartnersForeign, ExpressionValueKind.Number, Localized.Text("Interested or agreed partners from a country other than the lead company's.")),
        new(PartnersCountries, ExpressionValueKind.TextList, Localized.Text("The countries of the shortlisted partners who have not declined.")),
        new(FindingsRecorded, ExpressionValueKind.Number, Localized.Text("Findings recorded in the case (audits).")),
        new(FindingsUnanswered, ExpressionValueKind.Number, Localized.Text("Findings without an answer yet.")),
    ];

    /// <summary>The kind of a field's value in expressions; null for fields expressions cannot read (tables).</summary>
    public static ExpressionValueKind? KindOf(string fieldType, bool multiple) => fieldType switch
    {
        "number" => ExpressionValueKind.Number,
        "date" => ExpressionValueKind.Date,
        "boolean" => ExpressionValueKind.Boolean,
        "multi-choice" or "file" => ExpressionValueKind.TextList,
        "taxonomy" or "company" => multiple ? ExpressionValueKind.TextList : ExpressionValueKind.Text,
        "table" => null,
        _ => ExpressionValueKind.Text,
    };

    /// <summary>Everything an expression in an outcome of <paramref name="step"/> can read.</summary>
    public static ExpressionScope AtOutcome(WorkflowDefinitionDocument document, StepDefinition step)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(step);
        var variables = CaseFacts.ToDictionary(f => f.Name, f => f.Kind, StringComparer.Ordinal);
        AddFields(variables, "form", step.Form);
        foreach (var other in document.Stages.SelectMany(s => s.Steps))
        {
            AddFields(variables, $"steps.{Name(other.Key)}", other.Form);
        }

        foreach (var decision in document.Decisions)
        {
            variables[$"decision.{Name(decision.Key)}"] = DecisionKind(decision.Output?.Kind);
        }

        return new ExpressionScope(variables);
    }

    /// <summary>What the inputs of decision tables can read: the case's facts and every step's recorded fields.</summary>
    public static ExpressionScope ForDecisions(WorkflowDefinitionDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var variables = CaseFacts.ToDictionary(f => f.Name, f => f.Kind, StringComparer.Ordinal);
        foreach (var other in document.Stages.SelectMany(s => s.Steps))
        {
            AddFields(variables, $"steps.{Name(other.Key)}", other.Form);
        }

        return new ExpressionScope(variables);
    }

    /// <summary>The values of a form for an expression, under <paramref name="prefix"/> (<c>form</c> or <c>steps.x</c>).</summary>
    public static void AddForm(IDictionary<string, object?> values, string prefix, IReadOnlyList<PlanField> fields, IReadOnlyDictionary<string, FieldValue> form)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(form);
        foreach (var field in fields)
        {
            if (form.TryGetValue(field.Key, out var value) && ToValue(value, field.Multiple) is { } converted)
            {
                values[$"{prefix}.{Name(field.Key)}"] = converted;
            }
        }
    }

    /// <summary>A field's value as expressions read it (null: not readable).</summary>
    public static object? ToValue(FieldValue value, bool multiple) => value switch
    {
        TextValue t => t.Text,
        NumberValue n => n.Number,
        DateValue d => d.Date,
        BooleanValue b => b.Value,
        ChoiceValue c => c.Value,
        MultiChoiceValue m => m.Values,
        TaxonomyValue t => multiple ? t.Codes : t.Codes.FirstOrDefault(),
        CompanyValue c => multiple ? c.CompanyIds : c.CompanyIds.FirstOrDefault(),
        FileValue f => f.Files.Select(x => x.Name ?? x.Id).ToList(),
        _ => null,
    };

    /// <summary>A key as written in expressions: hyphens become underscores.</summary>
    public static string Name(string key) => key.Replace('-', '_');

    internal static ExpressionValueKind DecisionKind(string? kind) => kind switch
    {
        "number" => ExpressionValueKind.Number,
        "boolean" => ExpressionValueKind.Boolean,
        "date" => ExpressionValueKind.Date,
        _ => ExpressionValueKind.Text,
    };

    private static void AddFields(Dictionary<string, ExpressionValueKind> variables, string prefix, IReadOnlyList<FieldDefinition> fields)
    {
        foreach (var field in fields)
        {
            if (KindOf(field.Type, field.Multiple) is { } kind && WorkflowValidatorKey(field.Key))
            {
                variables[$"{prefix}.{Name(field.Key)}"] = kind;
            }
        }
    }

    private static bool WorkflowValidatorKey(string key) => Validation.WorkflowValidator.IsValidKey(key);
}
