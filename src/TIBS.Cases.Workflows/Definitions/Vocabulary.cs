namespace TIBS.Cases.Workflows.Definitions;

/// <summary>
/// The one role vocabulary of the solution: who may act on a step or a case action, and (all but
/// <see cref="PartnerBroker"/>, which a broker is on a case of a partner's region) the kind of user an account is.
/// Stored and written in YAML as <see cref="RoleNames"/>.
/// </summary>
public enum WorkflowRole
{
    Broker,
    PartnerBroker,
    Coordinator,
    Evaluator,
    Administrator,
}

/// <summary>The stored (lower-case) names of <see cref="WorkflowRole"/>: in definitions, user accounts and claims.</summary>
public static class RoleNames
{
    public const string Broker = "broker";
    public const string PartnerBroker = "partner-broker";
    public const string Coordinator = "coordinator";
    public const string Evaluator = "evaluator";
    public const string Administrator = "administrator";
}

/// <summary>Types of form fields.</summary>
public enum FieldType
{
    Text,
    Textarea,
    Number,
    Date,
    Boolean,
    Choice,
    MultiChoice,
    Taxonomy,
    Company,
    File,
    Table,
    /// <summary>An e-mail address (one line, checked like a company contact's e-mail).</summary>
    Email,
    /// <summary>A phone number (digits, spaces and + ( ) - . /).</summary>
    Phone,
    /// <summary>An absolute http or https address.</summary>
    Url,
}

/// <summary>Whether an end state counts as a success or a failure.</summary>
public enum EndStateKind
{
    Success,
    Failure,
}

/// <summary>The four kinds of case-wide actions.</summary>
public enum CaseActionKind
{
    Hold,
    Resume,
    Withdraw,
    Reassign,
}

/// <summary>Names used in YAML for the enums of the definition, and conversions both ways.</summary>
public static class WorkflowNames
{
    private static readonly Dictionary<string, WorkflowRole> RoleByName = new(StringComparer.Ordinal)
    {
        [RoleNames.Broker] = WorkflowRole.Broker,
        [RoleNames.PartnerBroker] = WorkflowRole.PartnerBroker,
        [RoleNames.Coordinator] = WorkflowRole.Coordinator,
        [RoleNames.Evaluator] = WorkflowRole.Evaluator,
        [RoleNames.Administrator] = WorkflowRole.Administrator,
    };

    private static readonly Dictionary<string, FieldType> FieldTypeByName = new(StringComparer.Ordinal)
    {
        ["text"] = FieldType.Text,
        ["textarea"] = FieldType.Textarea,
        ["number"] = FieldType.Number,
        ["date"] = FieldType.Date,
        ["boolean"] = FieldType.Boolean,
        ["choice"] = FieldType.Choice,
        ["multi-choice"] = FieldType.MultiChoice,
        ["taxonomy"] = FieldType.Taxonomy,
        ["company"] = FieldType.Company,
        ["file"] = FieldType.File,
        ["table"] = FieldType.Table,
        ["email"] = FieldType.Email,
        ["phone"] = FieldType.Phone,
        ["url"] = FieldType.Url,
    };

    private static readonly Dictionary<string, CaseActionKind> ActionKindByName = new(StringComparer.Ordinal)
    {
        ["hold"] = CaseActionKind.Hold,
        ["resume"] = CaseActionKind.Resume,
        ["withdraw"] = CaseActionKind.Withdraw,
        ["reassign"] = CaseActionKind.Reassign,
    };

    /// <summary>Role names as written in YAML.</summary>
    public static IReadOnlyCollection<string> Roles => RoleByName.Keys;

    /// <summary>Field type names as written in YAML.</summary>
    public static IReadOnlyCollection<string> FieldTypes => FieldTypeByName.Keys;

    /// <summary>Taxonomies a <c>taxonomy</c> field may refer to; their codes live outside this library.</summary>
    public static IReadOnlyList<string> Taxonomies { get; } = ["s3-area", "nace", "region", "country"];

    /// <summary>End state kinds as written in YAML.</summary>
    public static IReadOnlyList<string> EndStateKinds { get; } = ["success", "failure"];

    /// <summary>Case action kinds as written in YAML.</summary>
    public static IReadOnlyCollection<string> CaseActionKinds => ActionKindByName.Keys;

    public static bool TryParseRole(string? name, out WorkflowRole role) =>
        RoleByName.TryGetValue(name ?? "", out role);

    public static bool TryParseFieldType(string? name, out FieldType type) =>
        FieldTypeByName.TryGetValue(name ?? "", out type);

    public static bool TryParseCaseActionKind(string? name, out CaseActionKind kind) =>
        ActionKindByName.TryGetValue(name ?? "", out kind);

    public static bool TryParseEndStateKind(string? name, out EndStateKind kind)
    {
        switch (name)
        {
            case "success":
                kind = EndStateKind.Success;
                return true;
            case "failure":
                kind = EndStateKind.Failure;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    public static string ToName(this WorkflowRole role) => RoleByName.First(p => p.Value == role).Key;

    public static string ToName(this FieldType type) => FieldTypeByName.First(p => p.Value == type).Key;

    public static string ToName(this CaseActionKind kind) => ActionKindByName.First(p => p.Value == kind).Key;

    public static string ToName(this EndStateKind kind) => kind == EndStateKind.Success ? "success" : "failure";
}
