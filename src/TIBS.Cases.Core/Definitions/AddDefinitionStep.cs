using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Validation;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// The structured editor adds a step to a definition's draft, right after a given step in the same stage, with its key,
/// name and role. Its form and outcomes are added in the step's own form afterwards; until then the draft lists the
/// step's problems (no outcomes, nothing leads to it), as any draft may have problems. Guarded by the draft's row
/// version like every draft edit.
/// </summary>
public sealed class AddDefinitionStep(IWorkflowStore store, WorkflowCatalog catalog)
{
    /// <summary>Field names of errors: <c>key</c>, <c>name</c>, <c>role</c>, <c>after</c>.</summary>
    public sealed record Request(string Key, string After, Guid? DraftId, int? RowVersion, string? StepKey, string? Name, string? Role);

    /// <summary>Done: the step is in the saved draft (<see cref="StepKey"/>). InvalidForm: <see cref="FieldErrors"/>; Conflict.</summary>
    public sealed record Result(CaseCommandStatus Status, string Message)
    {
        public string? StepKey { get; init; }

        public IReadOnlyList<FieldError> FieldErrors { get; init; } = [];
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Result? refusal = null;
        if (await DraftDocument.OpenStepAsync(store, request.Key, request.After, request.DraftId, request.RowVersion, actor, (status, message) => refusal = new Result(status, message), cancellationToken) is not { } opened)
        {
            return refusal!;
        }

        var (current, document, at) = opened;

        var errors = new List<FieldError>();
        var key = request.StepKey?.Trim() ?? "";
        var used = document.Stages.SelectMany(s => s.Steps).Select(s => s.Key).Concat(document.EndStates.Select(e => e.Key)).ToHashSet(StringComparer.Ordinal);
        if (key.Length == 0)
        {
            errors.Add(new FieldError("key", Localized.Text("Enter the new step's key (lower case letters, digits and hyphens, for example check-budget).")));
        }
        else if (!WorkflowValidator.IsValidKey(key) || key.Length > EditDefinitionStep.MaxValueLength)
        {
            errors.Add(new FieldError("key", Localized.Format("“{0}” is not a key: use lower case letters, digits and hyphens, starting with a letter (for example check-budget).", key)));
        }
        else if (used.Contains(key))
        {
            errors.Add(new FieldError("key", Localized.Format("The key “{0}” is already used by a step or an end state of this definition; choose another.", key)));
        }

        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > EditDefinitionStep.MaxValueLength)
        {
            errors.Add(new FieldError("name", name.Length == 0 ? Localized.Text("Enter the new step's name.") : Localized.Format("The name is too long: at most {0} characters.", 200)));
        }

        var role = request.Role?.Trim() ?? "";
        if (!WorkflowNames.Roles.Contains(role))
        {
            errors.Add(new FieldError("role", Localized.Format("Choose the role that completes the new step (one of: {0}).", string.Join(", ", WorkflowNames.Roles))));
        }

        if (errors.Count > 0)
        {
            return new Result(CaseCommandStatus.InvalidForm, Localized.Format("Nothing was saved: {0}", string.Join(" ", errors.Select(e => e.Message)))) { FieldErrors = errors };
        }

        var stage = document.Stages[at.Stage];
        var steps = stage.Steps.ToList();
        steps.Insert(at.Index + 1, new StepDefinition { Key = key, Name = name, Role = role });
        var stages = document.Stages.ToList();
        stages[at.Stage] = stage with { Steps = steps };
        var yaml = WorkflowYamlWriter.ToYaml(document with { Stages = stages });
        try
        {
            var (draft, problems) = await catalog.SaveDraftAsync(current.Definition.DefinitionKey, yaml, actor.AuditId, request.RowVersion, cancellationToken);
            return new Result(CaseCommandStatus.Done,
                Localized.Format("Step “{0}” added after “{1}” in draft version {2}. Give it outcomes in its form and lead an outcome of another step to it; until then the draft has {3} problem(s).", name, at.Step.Name, draft.Number, problems.Count))
            {
                StepKey = key,
            };
        }
        catch (ConcurrencyConflictException)
        {
            return new Result(CaseCommandStatus.Conflict, EditDefinitionStep.ConflictMessage);
        }
    }
}
