using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Workflows;

namespace TIBS.Cases.Core.Definitions;

/// <summary>Every workflow definition with its versions, newest first, and the names of who published them.</summary>
public sealed class ListDefinitions(IWorkflowStore store, IUserStore users)
{
    public sealed record Request;

    /// <summary>One definition with its versions (newest first): the published one new cases start on, the draft if any.</summary>
    public sealed record Entry(WorkflowDefinitionRecord Definition, IReadOnlyList<WorkflowVersionRecord> Versions)
    {
        public WorkflowVersionRecord? Published => Versions.FirstOrDefault(v => v.Id == Definition.PublishedVersionId);

        public WorkflowVersionRecord? Draft => Versions.FirstOrDefault(v => !v.IsPublished);

        public IReadOnlyList<WorkflowVersionRecord> PublishedVersions => [.. Versions.Where(v => v.IsPublished)];
    }

    /// <summary>The definitions by name; <see cref="UserNames"/> names the users who made and published versions.</summary>
    public sealed record Result(CaseCommandStatus Status)
    {
        public IReadOnlyList<Entry> Definitions { get; init; } = [];

        public IReadOnlyDictionary<Guid, string> UserNames { get; init; } = new Dictionary<Guid, string>();

        public string UserName(Guid? id) => id is { } g && UserNames.TryGetValue(g, out var name) ? name : "";
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        if (DefinitionAccess.ReadRefusal(actor) is { } refused)
        {
            return new Result(refused.Status);
        }

        var list = new List<Entry>();
        foreach (var d in (await store.ListDefinitionsAsync(cancellationToken)).OrderBy(d => d.Name, StringComparer.CurrentCulture))
        {
            var versions = await store.ListVersionsAsync(d.DefinitionKey, cancellationToken);
            list.Add(new Entry(d, [.. versions.OrderByDescending(v => v.Number)]));
        }

        var ids = list.SelectMany(d => d.Versions).SelectMany(v => new[] { v.CreatedBy, v.PublishedBy }).OfType<Guid>().ToHashSet();
        return new Result(CaseCommandStatus.Done)
        {
            Definitions = list,
            UserNames = (await users.GetManyAsync(ids, cancellationToken)).ToDictionary(u => u.Id, u => u.DisplayName),
        };
    }
}
