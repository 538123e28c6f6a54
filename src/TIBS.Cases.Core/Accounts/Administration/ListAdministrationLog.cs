using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>The administration log, newest first, for administrators and evaluators.</summary>
public sealed class ListAdministrationLog(IUserAdministrationStore store)
{
    public const int Limit = 500;

    public sealed record Request;

    /// <summary>Null when the actor may not read the log.</summary>
    public async Task<IReadOnlyList<AdministrationLogLine>?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.IsSystem || actor.Role is not (WorkflowRole.Administrator or WorkflowRole.Evaluator))
        {
            return null;
        }

        return await store.ListLogAsync(Limit, null, cancellationToken);
    }
}
