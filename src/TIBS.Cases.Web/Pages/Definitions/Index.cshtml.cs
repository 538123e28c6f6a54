using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>Every workflow definition with its versions; coordinators only (folder policy, and <see cref="DefinitionAccess"/>).</summary>
internal sealed class IndexModel(ListDefinitions listDefinitions) : PageModel
{
    public IReadOnlyList<ListDefinitions.Entry> Definitions => List.Definitions;

    private ListDefinitions.Result List { get; set; } = new(Core.Cases.CaseCommandStatus.Done);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        List = await listDefinitions.HandleAsync(new ListDefinitions.Request(), User.ToActor(), cancellationToken);
    }

    public string UserName(Guid? id) => List.UserName(id);
}
