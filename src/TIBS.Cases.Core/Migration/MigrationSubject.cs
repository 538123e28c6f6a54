using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Workflows;

namespace TIBS.Cases.Core.Migration;

/// <summary>The definition whose running cases a coordinator moves, with its published versions (oldest first).</summary>
public sealed record MigrationSubjectView(WorkflowDefinitionRecord Definition, IReadOnlyList<WorkflowVersionRecord> Published);

/// <summary>What the migration page shows around a plan: the definition, its published versions and case references.</summary>
public sealed class MigrationSubject(IWorkflowStore workflows, ICaseStore cases)
{
    /// <summary>The definition and its published versions; null when there is no such definition or the actor may not migrate.</summary>
    public async Task<MigrationSubjectView?> HandleAsync(string key, Actor actor, CancellationToken cancellationToken = default)
    {
        if (MigrationAccess.Refusal(actor) is not null || await workflows.GetDefinitionAsync(key, cancellationToken) is not { } definition)
        {
            return null;
        }

        var published = (await workflows.ListVersionsAsync(key, cancellationToken)).Where(v => v.IsPublished).OrderBy(v => v.Number).ToList();
        return new MigrationSubjectView(definition, published);
    }

    /// <summary>The references of the cases named by the planner's ids (ids that are not cases are left out).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReferencesAsync(IEnumerable<string> caseIds, Actor actor, CancellationToken cancellationToken = default)
    {
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        if (MigrationAccess.Refusal(actor) is not null)
        {
            return references;
        }

        foreach (var id in caseIds.Distinct(StringComparer.Ordinal))
        {
            if (Guid.TryParse(id, out var guid) && await cases.GetAsync(guid, cancellationToken) is { } c)
            {
                references[id] = c.Reference;
            }
        }

        return references;
    }
}
