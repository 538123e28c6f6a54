using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// The structured editor removes a step from a definition's draft, only when nothing leads to it: an outcome of another
/// step, the start, a check-in or a condition reading its form make it refused, with each of those places named. A stage
/// left without steps goes with it. Guarded by the draft's row version like every draft edit.
/// </summary>
public sealed class RemoveDefinitionStep(IWorkflowStore store, WorkflowCatalog catalog)
{
    public sealed record Request(string Key, string StepKey, Guid? DraftId, int? RowVersion);

    /// <summary>Refused (<see cref="CaseCommandStatus.InvalidForm"/>): <see cref="UsedBy"/> names what leads to the step.</summary>
    public sealed record Result(CaseCommandStatus Status, string Message)
    {
        public IReadOnlyList<string> UsedBy { get; init; } = [];
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Result? refusal = null;
        if (await DraftDocument.OpenStepAsync(store, request.Key, request.StepKey, request.DraftId, request.RowVersion, actor, (status, message) => refusal = new Result(status, message), cancellationToken) is not { } opened)
        {
            return refusal!;
        }

        var (current, document, at) = opened;

        var uses = DefinitionReferences.StepUses(document, request.StepKey);
        if (uses.Count > 0)
        {
            return new Result(CaseCommandStatus.InvalidForm,
                Localized.Format("The step “{0}” cannot be removed while something leads to it: {1}. Change those first; nothing was removed.", at.Step.Name, string.Join("; ", uses)))
            {
                UsedBy = uses,
            };
        }

        var stages = document.Stages.ToList();
        var steps = stages[at.Stage].Steps.Where(s => s.Key != request.StepKey).ToList();
        if (steps.Count == 0)
        {
            stages.RemoveAt(at.Stage);
        }
        else
        {
            stages[at.Stage] = stages[at.Stage] with { Steps = steps };
        }

        var yaml = WorkflowYamlWriter.ToYaml(document with { Stages = stages });
        try
        {
            var (draft, problems) = await catalog.SaveDraftAsync(current.Definition.DefinitionKey, yaml, actor.AuditId, request.RowVersion, cancellationToken);
            return new Result(CaseCommandStatus.Done, problems.Count == 0
                ? Localized.Format("Step “{0}” removed from draft version {1}. The draft has no problems.", at.Step.Name, draft.Number)
                : Localized.Format("Step “{0}” removed from draft version {1}. The draft has {2} problem(s) to fix before publishing.", at.Step.Name, draft.Number, problems.Count));
        }
        catch (ConcurrencyConflictException)
        {
            return new Result(CaseCommandStatus.Conflict, EditDefinitionStep.ConflictMessage);
        }
    }
}
