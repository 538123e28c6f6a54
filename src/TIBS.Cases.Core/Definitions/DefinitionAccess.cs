using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// Who may read and edit workflow definitions — the one place this rule lives: partner coordinators read every
/// definition and version, validate text, save drafts and publish. Every definition handler asks here.
/// </summary>
public static class DefinitionAccess
{
    /// <summary>The refusal for anyone but a partner coordinator.</summary>
    public static string Refusal => Localized.Text("Workflow definitions are edited by partner coordinators.");

    public static bool CanRead(Actor actor) => IsCoordinator(actor);

    public static bool CanEdit(Actor actor) => IsCoordinator(actor);

    /// <summary>The refusal for a reader, or null when <paramref name="actor"/> may read definitions.</summary>
    public static CaseCommandResult? ReadRefusal(Actor actor) => CanRead(actor) ? null : new CaseCommandResult(CaseCommandStatus.Forbidden, Refusal);

    /// <summary>The refusal for an editor, or null when <paramref name="actor"/> may edit definitions.</summary>
    public static CaseCommandResult? EditRefusal(Actor actor) => CanEdit(actor) ? null : new CaseCommandResult(CaseCommandStatus.Forbidden, Refusal);

    /// <summary>
    /// The definition <paramref name="key"/> for a reader (or, with <paramref name="edit"/>, an editor): the refusal when
    /// the actor may not, or when there is no such definition.
    /// </summary>
    public static async Task<(WorkflowDefinitionRecord? Definition, CaseCommandResult? Refusal)> OpenAsync(
        IWorkflowStore store, string? key, Actor actor, bool edit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if ((edit ? EditRefusal(actor) : ReadRefusal(actor)) is { } refused)
        {
            return (null, refused);
        }

        return await store.GetDefinitionAsync(key ?? "", cancellationToken) is { } definition
            ? (definition, null)
            : (null, new CaseCommandResult(CaseCommandStatus.NotFound, Localized.Text("The workflow definition was not found.")));
    }

    private static bool IsCoordinator(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Role == WorkflowRole.Coordinator;
    }
}
