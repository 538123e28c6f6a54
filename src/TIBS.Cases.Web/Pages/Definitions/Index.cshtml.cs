using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Workflows;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>Every workflow definition with its versions; coordinators only (folder policy).</summary>
public sealed class IndexModel(IWorkflowStore store, IUserStore users) : PageModel
{
    public sealed record DefinitionView(WorkflowDefinitionRecord Definition, IReadOnlyList<WorkflowVersionRecord> Versions)
    {
        public WorkflowVersionRecord? Published => Versions.FirstOrDefault(v => v.Id == Definition.PublishedVersionId);

        public WorkflowVersionRecord? Draft => Versions.FirstOrDefault(v => !v.IsPublished);

        public IReadOnlyList<WorkflowVersionRecord> PublishedVersions => [.. Versions.Where(v => v.IsPublished)];
    }

    public IReadOnlyList<DefinitionView> Definitions { get; private set; } = [];

    public IReadOnlyDictionary<Guid, UserAccount> Users { get; private set; } = new Dictionary<Guid, UserAccount>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var list = new List<DefinitionView>();
        foreach (var d in (await store.ListDefinitionsAsync(cancellationToken)).OrderBy(d => d.Name, StringComparer.CurrentCulture))
        {
            var versions = await store.ListVersionsAsync(d.DefinitionKey, cancellationToken);
            list.Add(new DefinitionView(d, [.. versions.OrderByDescending(v => v.Number)]));
        }

        Definitions = list;
        Users = (await users.ListAsync(cancellationToken)).ToDictionary(u => u.Id);
    }

    public string UserName(Guid? id) => id is { } g && Users.TryGetValue(g, out var u) ? u.DisplayName : "";
}
