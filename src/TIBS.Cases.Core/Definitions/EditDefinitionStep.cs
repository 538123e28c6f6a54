using System.Globalization;
using System.Text.RegularExpressions;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Diagrams;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// The structured editor's change to one step of a definition's draft: its name, role, description, due, timers,
/// reminders, form fields (added, changed, reordered, removed) and outcomes (added, retargeted, removed, with their
/// conditions: named ones, or expressions built from a value, an operator and a value). The draft's text (or, without a draft, the published version's as the next version)
/// is loaded, the change applied, the document written back with the YAML writer (comments are not kept; everything
/// else is), checked, and saved as the draft with the row version the form was opened on. A change that brings a new
/// problem saves nothing and names each field that is wrong; a draft changed since the form was opened is a conflict.
/// Removing a field that a condition, a decision table or a join rule reads is refused with those places named.
/// <see cref="PreviewAsync"/> applies the same form to a copy and saves nothing (the live YAML and diagram).
/// </summary>
public sealed partial class EditDefinitionStep(IWorkflowStore store, WorkflowCatalog catalog)
{
    /// <summary>A timer row of the form; a row with every value empty is no timer, <see cref="Remove"/> drops it.</summary>
    public sealed record TimerRow(string? After, string? Action, string? To = null, string? Outcome = null, string? Reason = null, bool Remove = false)
    {
        public bool IsBlank => string.IsNullOrWhiteSpace(After) && string.IsNullOrWhiteSpace(Action) && string.IsNullOrWhiteSpace(To)
            && string.IsNullOrWhiteSpace(Outcome) && string.IsNullOrWhiteSpace(Reason);
    }

    /// <summary>A reminder row of the form; an empty row is no reminder, <see cref="Remove"/> drops it.</summary>
    public sealed record ReminderRow(string? After, string? To = null, bool Remove = false)
    {
        public bool IsBlank => string.IsNullOrWhiteSpace(After) && string.IsNullOrWhiteSpace(To);
    }

    /// <summary>The label of the step's outcome <paramref name="Key"/>.</summary>
    public sealed record OutcomeLabel(string Key, string? Label);

    /// <summary>
    /// <paramref name="DraftId"/> and <paramref name="RowVersion"/>: the draft the form was opened on (both null when
    /// there was none). Field names of errors: <c>name</c>, <c>role</c>, <c>description</c>, <c>due</c>,
    /// <c>timers[i].after</c> (i: the row of <paramref name="Timers"/>), <c>reminders[i].to</c>, <c>outcomes[i].label</c>,
    /// <c>fields[i].key</c> (rows of <see cref="Fields"/>), <c>outcomes[i].conditions[j].expression</c> (rows of
    /// <see cref="OutcomeRows"/>).
    /// </summary>
    public sealed record Request(
        string Key, string StepKey, Guid? DraftId, int? RowVersion,
        string? Name, string? Role, string? Description, string? Due,
        IReadOnlyList<TimerRow> Timers, IReadOnlyList<ReminderRow> Reminders, IReadOnlyList<OutcomeLabel> Outcomes)
    {
        /// <summary>The step's form field by field; null leaves the fields as they are.</summary>
        public IReadOnlyList<FieldRow>? Fields { get; init; }

        /// <summary>The step's outcomes in full (replacing <see cref="Outcomes"/>' labels); null leaves them but their labels.</summary>
        public IReadOnlyList<OutcomeRow>? OutcomeRows { get; init; }
    }

    /// <summary>
    /// The step as stored (after a save: as saved) with the draft it belongs to. InvalidForm: <see cref="FieldErrors"/>
    /// say what is wrong, nothing saved. Conflict: nothing saved, the draft changed since the form was opened.
    /// </summary>
    public sealed record Result(CaseCommandStatus Status, string Message)
    {
        public StepDefinition? Step { get; init; }

        public string? StageName { get; init; }

        /// <summary>The stored draft (null when there is none yet: the step is the published version's).</summary>
        public WorkflowVersionRecord? Draft { get; init; }

        /// <summary>The number the draft has (or gets).</summary>
        public int NextNumber { get; init; }

        /// <summary>The published version to compare the draft with, or null.</summary>
        public int? PublishedNumber { get; init; }

        public IReadOnlyList<FieldError> FieldErrors { get; init; } = [];

        /// <summary>The draft's text as stored (read) or as it would be with the form applied (preview, invalid save).</summary>
        public string? Yaml { get; init; }

        /// <summary>The diagram (Mermaid) of <see cref="Yaml"/> when the whole text is valid; null otherwise.</summary>
        public string? Diagram { get; init; }

        /// <summary>
        /// The expression each expression condition of the form stands for (built from its parts or typed), by the
        /// name of its form field (<c>outcomes[i].conditions[j].expression</c>).
        /// </summary>
        public IReadOnlyDictionary<string, string> Expressions { get; init; } = new Dictionary<string, string>();

        /// <summary>Where an outcome may lead: every step and end state of the draft, by key with its name.</summary>
        public IReadOnlyList<Choice> Targets { get; init; } = [];

        /// <summary>What a condition built in the form can read (the step's fields, the case's facts, other steps' fields, decisions), with words.</summary>
        public IReadOnlyList<Choice> Readable { get; init; } = [];
    }

    /// <summary>A value to choose in the form, with the words shown for it.</summary>
    public sealed record Choice(string Value, string Words);

    /// <summary>The most characters a name, role, due or timer value may have in the form.</summary>
    public const int MaxValueLength = 200;

    /// <summary>The most characters of a description.</summary>
    public const int MaxDescriptionLength = 4000;

    /// <summary>The step <paramref name="stepKey"/> of the draft (or of the published version, when there is no draft).</summary>
    public async Task<Result> ReadAsync(string key, string stepKey, Actor actor, CancellationToken cancellationToken = default)
    {
        var (current, refused) = await OpenAsync(key, actor, edit: false, cancellationToken);
        if (current is null)
        {
            return refused!;
        }

        var loaded = WorkflowDefinitions.Load(current.Yaml);
        if (loaded.Document is not { } document)
        {
            return Shaped(new Result(CaseCommandStatus.InvalidForm, TextDoesNotLoad), current);
        }

        if (Find(document, stepKey) is not { } at)
        {
            return new Result(CaseCommandStatus.NotFound, NoSuchStep);
        }

        var check = await catalog.CheckDraftAsync(current.Definition.DefinitionKey, current.Next, current.Yaml, cancellationToken);
        return Shaped(Choices(new Result(CaseCommandStatus.Done, "") { Step = at.Step, StageName = document.Stages[at.Stage].Name, Yaml = current.Yaml, Diagram = DiagramOf(check) }, document, at.Step), current);
    }

    /// <summary>
    /// The draft as it would be with the form applied (its YAML, its diagram when valid, and the form's errors), for the
    /// live view beside the form. Nothing is saved; the same people may preview as may save.
    /// </summary>
    public async Task<Result> PreviewAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (current, refused) = await OpenAsync(request.Key, actor, edit: true, cancellationToken);
        return current is null ? refused! : await ApplyAsync(request, current, save: null, cancellationToken);
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (current, refused) = await OpenAsync(request.Key, actor, edit: true, cancellationToken);
        if (current is null)
        {
            return refused!;
        }

        if (!current.IsCurrent(request.DraftId, request.RowVersion))
        {
            return Shaped(new Result(CaseCommandStatus.Conflict, ConflictMessage), current);
        }

        return await ApplyAsync(request, current, actor, cancellationToken);
    }

    /// <summary>Applies the form to the text; with <paramref name="save"/> (the actor) saves it when there is no error.</summary>
    private async Task<Result> ApplyAsync(Request request, DraftDocument current, Actor? save, CancellationToken cancellationToken)
    {
        var before = await catalog.CheckDraftAsync(current.Definition.DefinitionKey, current.Next, current.Yaml, cancellationToken);
        if (before.Document is not { } document)
        {
            return Shaped(new Result(CaseCommandStatus.InvalidForm, TextDoesNotLoad), current);
        }

        if (Find(document, request.StepKey) is not { } at)
        {
            return new Result(CaseCommandStatus.NotFound, NoSuchStep);
        }

        var (step, rows, errors) = Apply(at.Step, request);
        var (formStep, expressions) = ApplyRows(document, at.Step, step, request, rows, errors);
        var stepPath = $"stages[{at.Stage}].steps[{at.Index}]";
        var changed = Replace(document, at, formStep);
        CheckRemovedFields(changed, at.Step, formStep, request, errors);
        var yaml = TIBS.Cases.Workflows.Yaml.WorkflowYamlWriter.ToYaml(changed);
        var after = await catalog.CheckDraftAsync(current.Definition.DefinitionKey, current.Next, yaml, cancellationToken);
        var known = before.Errors.Select(e => (e.Path, e.Message)).ToHashSet();
        errors.AddRange(after.Errors
            .Where(e => e.Path.StartsWith(stepPath + ".", StringComparison.Ordinal) || !known.Contains((e.Path, e.Message)))
            .Select(e => ToField(e, stepPath, rows))
            .Where(e => !errors.Exists(x => x.Field == e.Field)));
        var shown = Choices(new Result(CaseCommandStatus.Done, "") { Step = at.Step, StageName = document.Stages[at.Stage].Name, Yaml = yaml, Diagram = DiagramOf(after), Expressions = expressions }, changed, formStep);
        if (errors.Count > 0)
        {
            return Shaped(shown with { Status = CaseCommandStatus.InvalidForm, Message = Localized.Format("Nothing was saved: {0}", string.Join(" ", errors.Select(e => e.Message))), FieldErrors = errors }, current);
        }

        if (save is null)
        {
            return Shaped(shown with { Message = Localized.Text("Nothing is saved until you save the step.") }, current);
        }

        try
        {
            var (draft, problems) = await catalog.SaveDraftAsync(current.Definition.DefinitionKey, yaml, save.AuditId, request.RowVersion, cancellationToken);
            var message = problems.Count == 0
                ? Localized.Format("Step “{0}” saved in draft version {1}. The draft has no problems and can be published.", formStep.Name, draft.Number)
                : Localized.Format("Step “{0}” saved in draft version {1}. The draft has {2} problem(s) elsewhere to fix before publishing.", formStep.Name, draft.Number, problems.Count);
            return shown with
            {
                Message = message,
                Step = formStep,
                Draft = draft,
                NextNumber = draft.Number,
                PublishedNumber = current.Published,
            };
        }
        catch (ConcurrencyConflictException)
        {
            return Shaped(new Result(CaseCommandStatus.Conflict, ConflictMessage), current);
        }
    }

    /// <summary>The answer when the draft changed since the form was opened.</summary>
    public static string ConflictMessage => Localized.Text("Someone else changed this draft since you opened the form (saved, published or discarded it). Nothing was saved; the form now shows the draft as it is stored, with your values kept where you typed them. Review them and save again.");

    private static string TextDoesNotLoad => Localized.Text("The draft's YAML does not load, so its steps cannot be edited in the form. Fix the YAML on the draft page first.");

    private static string NoSuchStep => Localized.Text("The draft has no such step.");

    private static Result Shaped(Result result, DraftDocument current) =>
        result with { Draft = current.Draft, NextNumber = current.Next, PublishedNumber = current.Published };

    private static string? DiagramOf(DefinitionCheck check) =>
        check.IsValid ? WorkflowDiagram.Mermaid(WorkflowPlan.Compile(check.Document!)) : null;

    private async Task<(DraftDocument? Current, Result? Refused)> OpenAsync(string key, Actor actor, bool edit, CancellationToken cancellationToken)
    {
        var (current, refused) = await DraftDocument.OpenAsync(store, key, actor, edit, cancellationToken);
        return current is null ? (null, new Result(refused!.Status, refused.Message)) : (current, null);
    }

    internal static (int Stage, int Index, StepDefinition Step)? Find(WorkflowDefinitionDocument document, string stepKey)
    {
        for (var s = 0; s < document.Stages.Count; s++)
        {
            for (var t = 0; t < document.Stages[s].Steps.Count; t++)
            {
                if (document.Stages[s].Steps[t].Key == stepKey)
                {
                    return (s, t, document.Stages[s].Steps[t]);
                }
            }
        }

        return null;
    }

    internal static WorkflowDefinitionDocument Replace(WorkflowDefinitionDocument document, (int Stage, int Index, StepDefinition Step) at, StepDefinition step)
    {
        var stage = document.Stages[at.Stage];
        var steps = stage.Steps.ToList();
        steps[at.Index] = step;
        var stages = document.Stages.ToList();
        stages[at.Stage] = stage with { Steps = steps };
        return document with { Stages = stages };
    }

    /// <summary>
    /// The step with the form's values, the form rows each kept timer and reminder came from (to name the row of a
    /// problem), and the errors found before validating (empty required values, values too long).
    /// </summary>
    private static (StepDefinition Step, Rows Rows, List<FieldError> Errors) Apply(StepDefinition step, Request request)
    {
        var errors = new List<FieldError>();
        string? Value(string field, string label, string? value, bool required, int max = MaxValueLength) => Text(errors, field, label, value, required, max);

        var rows = new Rows();
        var timers = new List<TimerDefinition>();
        var timerRows = rows.Of("timers");
        for (var i = 0; i < request.Timers.Count; i++)
        {
            var row = request.Timers[i];
            if (row.Remove || row.IsBlank)
            {
                continue;
            }

            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            timers.Add(new TimerDefinition
            {
                After = Value($"timers[{i}].after", $"time after which timer {n} acts (for example P20BD)", row.After, required: true) ?? "",
                Action = Value($"timers[{i}].action", $"action of timer {n}", row.Action, required: true) ?? "",
                To = Value($"timers[{i}].to", $"role of timer {n}", row.To, required: false),
                Outcome = Value($"timers[{i}].outcome", $"outcome of timer {n}", row.Outcome, required: false),
                Reason = Value($"timers[{i}].reason", $"reason of timer {n}", row.Reason, required: false),
            });
            timerRows.Add(i);
        }

        var reminders = new List<ReminderDefinition>();
        var reminderRows = rows.Of("reminders");
        for (var i = 0; i < request.Reminders.Count; i++)
        {
            var row = request.Reminders[i];
            if (row.Remove || row.IsBlank)
            {
                continue;
            }

            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            reminders.Add(new ReminderDefinition
            {
                After = Value($"reminders[{i}].after", $"time after which reminder {n} is sent (for example P3D)", row.After, required: true) ?? "",
                To = Value($"reminders[{i}].to", $"role reminder {n} goes to", row.To, required: false),
            });
            reminderRows.Add(i);
        }

        var outcomes = step.Outcomes.Select((o, i) =>
        {
            var posted = request.Outcomes.FirstOrDefault(p => p.Key == o.Key);
            return posted is null ? o : o with { Label = Value($"outcomes[{i}].label", $"label of the outcome “{o.Key}”", posted.Label, required: true) ?? o.Label };
        }).ToList();

        var edited = step with
        {
            Name = Value("name", "step's name", request.Name, required: true) ?? step.Name,
            Role = Value("role", "role that completes the step", request.Role, required: true) ?? step.Role,
            Description = Value("description", "description", request.Description, required: false, MaxDescriptionLength),
            Due = Value("due", "due time (for example P5D)", request.Due, required: false),
            Timers = timers,
            Reminders = reminders,
            Outcomes = outcomes,
        };
        return (edited, rows, errors);
    }

    /// <summary>A problem of the changed text as a form field's error: the path under the step, rows as the form numbers them.</summary>
    private static FieldError ToField(ValidationError error, string stepPath, Rows rows)
    {
        if (!error.Path.StartsWith(stepPath + ".", StringComparison.Ordinal))
        {
            return new FieldError("", error.Path.Length == 0 ? error.Message : $"{error.Path}: {error.Message}");
        }

        var field = error.Path[(stepPath.Length + 1)..];
        var row = RowIndex().Match(field);
        if (row.Success && rows.Row(row.Groups["list"].Value, row.Groups["index"].Value) is { } r)
        {
            var list = row.Groups["list"].Value;
            var rest = field[row.Length..];
            var index = int.Parse(row.Groups["index"].Value, CultureInfo.InvariantCulture);
            var condition = ConditionIndex().Match(rest);
            if (list == "outcomes" && condition.Success && rows.Row($"outcomes[{index.ToString(CultureInfo.InvariantCulture)}].conditions", condition.Groups["index"].Value) is { } c)
            {
                rest = $".conditions[{c.ToString(CultureInfo.InvariantCulture)}]{rest[condition.Length..]}";
            }

            var options = rest.IndexOf(".options[", StringComparison.Ordinal);
            field = $"{(list == "form" ? "fields" : list)}[{r.ToString(CultureInfo.InvariantCulture)}]{(options >= 0 ? ".options" : rest)}";
        }

        return new FieldError(field, error.Message);
    }

    [GeneratedRegex(@"^(?<list>timers|reminders|form|outcomes)\[(?<index>\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex RowIndex();

    [GeneratedRegex(@"^\.conditions\[(?<index>\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex ConditionIndex();
}
