using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Stateless.Graph;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Workflows.Diagrams;

/// <summary>How to draw a plan.</summary>
/// <param name="IncludeCaseActions">Draw hold/resume/withdraw/reassign on every stage (default true).</param>
/// <param name="Direction">Direction of the Mermaid graph; Mermaid's default when null.</param>
public sealed record DiagramOptions(bool IncludeCaseActions = true, MermaidGraphDirection? Direction = null);

/// <summary>
/// Mermaid state diagrams of a plan, made by Stateless's <see cref="MermaidGraph"/> from the same state
/// machine the runtime uses: stages are clusters, edges are labelled with the outcome's (or case action's) label and
/// the conditions in words, in brackets.
/// </summary>
public static partial class WorkflowDiagram
{
    /// <summary>CSS class given to the highlighted step.</summary>
    public const string CurrentClass = "current";

    /// <summary>
    /// Diagrams already drawn, per plan (a plan is immutable and shared, and lives as long as its version is cached):
    /// a case page draws its plan with the case's step highlighted on every request, and drawing builds the state
    /// machine and formats its whole graph. The notes and conditions are in the reader's language, so the languages are
    /// part of the key: at most one entry per step and end state, options and language.
    /// </summary>
    private static readonly ConditionalWeakTable<WorkflowPlan, ConcurrentDictionary<(string? Highlight, DiagramOptions Options, string UiCulture, string Culture), string>> Drawn = [];

    /// <summary>The Mermaid text of a plan; when <paramref name="highlight"/> names a step or end state, it is highlighted.</summary>
    public static string Mermaid(WorkflowPlan plan, string? highlight = null, DiagramOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        options ??= new DiagramOptions();
        if (highlight is not null && !plan.Contains(highlight))
        {
            throw new ArgumentException($"'{highlight}' is neither a step nor an end state of {plan.Key} v{plan.Version}.", nameof(highlight));
        }

        var key = (highlight, options, CultureInfo.CurrentUICulture.Name, CultureInfo.CurrentCulture.Name);
        return Drawn.GetOrCreateValue(plan).GetOrAdd(key, static (k, p) => Draw(p, k.Highlight, k.Options), plan);
    }

    private static string Draw(WorkflowPlan plan, string? highlight, DiagramOptions options)
    {
        RefuseUnsafeKeys(plan);

        // Stateless writes guard descriptions as they are; conditions carry text from the definition, so it draws
        // placeholders and the real descriptions go in escaped afterwards.
        var guards = new List<string>();
        string Placeholder(PlanCondition condition)
        {
            guards.Add(condition.Description);
            return string.Create(CultureInfo.InvariantCulture, $"GUARD{guards.Count - 1}X");
        }

        var machine = new WorkflowRuntime(plan).CreateMachine(new CaseSnapshot(plan.StartStep.Key), options.IncludeCaseActions, Placeholder);
        var text = MermaidGraph.Format(machine.GetInfo(), options.Direction).TrimEnd();
        var ids = NodeIds(text);
        string Id(string state) => ids.GetValueOrDefault(state, state);

        var builder = new StringBuilder(Readable(text, plan, ids, guards)).Append('\n');
        foreach (var step in plan.Steps)
        {
            foreach (var note in StepNotes(step))
            {
                builder.Append('\t').Append(Id(step.Key)).Append(" : ").Append(EscapeLabel(note)).Append('\n');
            }
        }

        builder.Append("\tclassDef success fill:#d7f5dd,stroke:#2e7d32\n");
        builder.Append("\tclassDef failure fill:#eeeeee,stroke:#757575\n");
        foreach (var kind in new[] { EndStateKind.Success, EndStateKind.Failure })
        {
            var members = plan.EndStates.Where(e => e.Kind == kind).Select(e => Id(e.Key)).ToList();
            if (members.Count > 0)
            {
                builder.Append("\tclass ").AppendJoin(',', members).Append(' ').Append(kind.ToName()).Append('\n');
            }
        }

        if (highlight is not null)
        {
            builder.Append("\tclassDef ").Append(CurrentClass).Append(" fill:#ffe08a,stroke:#b8860b,stroke-width:3px\n");
            builder.Append("\tclass ").Append(Id(highlight)).Append(' ').Append(CurrentClass).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>The Mermaid node id of a step or end state in diagrams made by <see cref="Mermaid"/>.</summary>
    public static string NodeId(WorkflowPlan plan, string state)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = MermaidGraph.Format(new WorkflowRuntime(plan).CreateMachine(new CaseSnapshot(plan.StartStep.Key), false).GetInfo());
        return NodeIds(text).GetValueOrDefault(state, state);
    }

    /// <summary>
    /// Text from the definition (names, condition values) in a Mermaid label, where it can never be read as syntax:
    /// letters, digits, spaces and harmless punctuation stay; a colon becomes a look-alike ratio sign (Mermaid refuses a
    /// second colon on a line); every other character (line breaks, <c>;</c>, <c>%</c>, <c>#</c>, quotes, brackets,
    /// braces, <c>&lt;</c>, <c>&gt;</c>, …) is written as Mermaid's entity code <c>#&lt;number&gt;;</c>, which Mermaid
    /// decodes only after parsing, so the character is shown but never parsed.
    /// </summary>
    public static string EscapeLabel(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == ':')
            {
                builder.Append('\u2236');
            }
            else if (Rune.IsLetterOrDigit(rune) || rune.Value is ' ' or '-' or '_' or '.' or ',' or '\'' or '(' or ')' or '/' or '?' or '!' or '=' or '+' or '*')
            {
                builder.Append(rune.ToString());
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"#{rune.Value};");
            }
        }

        return builder.ToString();
    }

    /// <summary>Node ids are keys: a plan whose keys are not plain (it did not come through the validator) is not drawn.</summary>
    private static void RefuseUnsafeKeys(WorkflowPlan plan)
    {
        var keys = plan.Steps.Select(s => s.Key).Concat(plan.EndStates.Select(e => e.Key)).Concat(plan.Stages.Select(s => s.Key))
            .Concat(plan.Steps.SelectMany(s => s.Outcomes).Select(o => o.Key)).Concat(plan.CaseActions.Select(a => a.Key));
        if (keys.FirstOrDefault(k => !WorkflowValidator.IsValidKey(k)) is { } bad)
        {
            throw new ArgumentException($"'{EscapeLabel(bad)}' is not a valid key; only validated definitions are drawn.", nameof(plan));
        }
    }

    /// <summary>
    /// States are labelled with the names people know, edges with their trigger and the conditions in brackets; every
    /// piece of text from the definition goes through <see cref="EscapeLabel"/>.
    /// </summary>
    private static string Readable(string text, WorkflowPlan plan, Dictionary<string, string> ids, List<string> guards)
    {
        string NameOf(string key) =>
            key.StartsWith("stage:", StringComparison.Ordinal) && plan.Stages.FirstOrDefault(s => s.StateName == key) is { } stage ? stage.Name
            : plan.TryGetStep(key, out var step) ? step.Name
            : plan.TryGetEndState(key, out var end) ? end.Name
            : key;

        var lines = new List<string>();
        var described = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var separator = line.IndexOf(" : ", StringComparison.Ordinal);
            if (separator < 0)
            {
                lines.Add(line);
                continue;
            }

            var head = line[..separator];
            var label = line[(separator + 3)..];
            if (!head.Contains("-->", StringComparison.Ordinal))
            {
                described.Add(head.Trim());
                lines.Add(head + " : " + EscapeLabel(NameOf(label.Trim())));
                continue;
            }

            // An edge: the trigger (keys) becomes the outcome's or action's label, brackets come from Stateless,
            // placeholders stand for the conditions, which are written as their descriptions.
            var guardAt = label.IndexOf(" [", StringComparison.Ordinal);
            var trigger = guardAt < 0 ? label : label[..guardAt];
            var escaped = EscapeLabel(TriggerLabel(plan, trigger.Trim())) + Placeholders().Replace(guardAt < 0 ? "" : label[guardAt..],
                m => EscapeLabel(guards[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)]));
            lines.Add(head + " : " + escaped);
        }

        // Steps and end states whose key Stateless kept as the node id get their name too.
        var header = lines.FindIndex(l => l.StartsWith("stateDiagram", StringComparison.Ordinal));
        var extra = plan.Steps.Select(s => s.Key).Concat(plan.EndStates.Select(e => e.Key))
            .Where(k => !ids.ContainsKey(k) && !described.Contains(k))
            .Select(k => $"\t{k} : {EscapeLabel(NameOf(k))}");
        lines.InsertRange(header + 1, extra);
        return string.Join('\n', lines);
    }

    /// <summary>What people call a trigger: the outcome's label, or the case action's label ("Withdraw").</summary>
    private static string TriggerLabel(WorkflowPlan plan, string trigger) =>
        plan.FindOutcomeByTrigger(trigger)?.Label
        ?? plan.CaseActions.FirstOrDefault(a => a.Trigger == trigger)?.Label
        ?? trigger;

    [GeneratedRegex("GUARD([0-9]+)X", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholders();

    // Stateless writes "\tfirstcontact : first-contact" for names it had to simplify; read those back.
    private static Dictionary<string, string> NodeIds(string mermaid)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in mermaid.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Contains("-->", StringComparison.Ordinal) || trimmed.StartsWith("state ", StringComparison.Ordinal))
            {
                continue;
            }

            var separator = trimmed.IndexOf(" : ", StringComparison.Ordinal);
            if (separator > 0)
            {
                ids.TryAdd(trimmed[(separator + 3)..].Trim(), trimmed[..separator]);
            }
        }

        return ids;
    }
}
