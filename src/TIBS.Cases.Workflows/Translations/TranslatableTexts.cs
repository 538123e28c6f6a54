using System.Globalization;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Workflows.Translations;

/// <summary>
/// One text of a definition that people read and a translation gives in another language: <see cref="Key"/> is its
/// place in a translation sidecar by ids (<c>steps.intake.fields.company.label</c>, as the segments
/// <see cref="Segments"/>), <see cref="English"/> the text of the version, <see cref="SourcePath"/> where the version
/// holds it (<c>stages[0].steps[0].form[0].label</c>, the validator's paths).
/// </summary>
public sealed record TranslatableText(IReadOnlyList<string> Segments, string English, string SourcePath)
{
    public string Key { get; } = string.Join('.', Segments);
}

/// <summary>
/// Every text of a definition that a translation covers, in the order of the version: the definition's name and
/// description; stages, steps and end states by key (name, description); a step's contributors' tasks by role; form
/// fields by key (label, help, choices by value, table columns by key); outcomes and case actions by key (their label);
/// check-ins by key (name and form); a step's partner-track states and ends by key.
/// </summary>
internal static class TranslatableTexts
{
    public static IReadOnlyList<TranslatableText> Of(WorkflowDefinitionDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var texts = new List<TranslatableText>();
        void Add(string? english, string source, params string[] segments)
        {
            if (!string.IsNullOrWhiteSpace(english))
            {
                texts.Add(new TranslatableText(segments, english, source));
            }
        }

        Add(document.Name, "name", "name");
        Add(document.Description, "description", "description");
        for (var i = 0; i < document.Stages.Count; i++)
        {
            var stage = document.Stages[i];
            Add(stage.Name, At("stages", i, "name"), "stages", stage.Key, "name");
            Add(stage.Description, At("stages", i, "description"), "stages", stage.Key, "description");
        }

        for (var i = 0; i < document.Stages.Count; i++)
        {
            for (var j = 0; j < document.Stages[i].Steps.Count; j++)
            {
                Step(document.Stages[i].Steps[j], string.Create(CultureInfo.InvariantCulture, $"stages[{i}].steps[{j}]"), Add);
            }
        }

        for (var i = 0; i < document.EndStates.Count; i++)
        {
            var end = document.EndStates[i];
            Add(end.Name, At("end-states", i, "name"), "end-states", end.Key, "name");
            Add(end.Description, At("end-states", i, "description"), "end-states", end.Key, "description");
        }

        for (var i = 0; i < document.CaseActions.Count; i++)
        {
            Add(document.CaseActions[i].Label, At("case-actions", i, "label"), "case-actions", document.CaseActions[i].Key);
        }

        for (var i = 0; i < document.CheckIns.Count; i++)
        {
            var checkIn = document.CheckIns[i];
            Add(checkIn.Name, At("check-ins", i, "name"), "check-ins", checkIn.Key, "name");
            Fields(checkIn.Form, At("check-ins", i, "form"), ["check-ins", checkIn.Key, "fields"], Add);
        }

        return texts;
    }

    private delegate void Adder(string? english, string source, params string[] segments);

    private static string At(string list, int index, string key) => string.Create(CultureInfo.InvariantCulture, $"{list}[{index}].{key}");

    private static void Step(StepDefinition step, string path, Adder add)
    {
        string[] at = ["steps", step.Key];
        add(step.Name, path + ".name", [.. at, "name"]);
        add(step.Description, path + ".description", [.. at, "description"]);
        for (var i = 0; i < step.Contributors.Count; i++)
        {
            add(step.Contributors[i].Task, $"{path}.{At("contributors", i, "task")}", [.. at, "contributors", step.Contributors[i].Role]);
        }

        Fields(step.Form, path + ".form", [.. at, "fields"], add);
        for (var i = 0; i < step.Outcomes.Count; i++)
        {
            add(step.Outcomes[i].Label, $"{path}.{At("outcomes", i, "label")}", [.. at, "outcomes", step.Outcomes[i].Key]);
        }

        if (step.Tracks is not { } tracks)
        {
            return;
        }

        for (var i = 0; i < tracks.States.Count; i++)
        {
            var state = tracks.States[i];
            var statePath = $"{path}.tracks.{At("states", i, "")}";
            string[] stateAt = [.. at, "tracks", "states", state.Key];
            add(state.Name, statePath + "name", [.. stateAt, "name"]);
            add(state.Description, statePath + "description", [.. stateAt, "description"]);
            for (var k = 0; k < state.Outcomes.Count; k++)
            {
                add(state.Outcomes[k].Label, statePath + At("outcomes", k, "label"), [.. stateAt, "outcomes", state.Outcomes[k].Key]);
            }
        }

        for (var i = 0; i < tracks.Ends.Count; i++)
        {
            var end = tracks.Ends[i];
            add(end.Name, $"{path}.tracks.{At("ends", i, "name")}", [.. at, "tracks", "ends", end.Key, "name"]);
            add(end.Description, $"{path}.tracks.{At("ends", i, "description")}", [.. at, "tracks", "ends", end.Key, "description"]);
        }
    }

    private static void Fields(IReadOnlyList<FieldDefinition> fields, string path, string[] at, Adder add)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var fieldPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            string[] fieldAt = [.. at, field.Key];
            add(field.Label, fieldPath + ".label", [.. fieldAt, "label"]);
            add(field.Help, fieldPath + ".help", [.. fieldAt, "help"]);
            for (var k = 0; k < field.Options.Count; k++)
            {
                var option = field.Options[k];
                add(option.Label ?? option.Value, fieldPath + At(".options", k, option.Label is null ? "value" : "label"), [.. fieldAt, "options", option.Value]);
            }

            Fields(field.Columns, fieldPath + ".columns", [.. fieldAt, "columns"], add);
        }
    }
}
