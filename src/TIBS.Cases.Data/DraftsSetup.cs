using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Conflicts;
using TIBS.Cases.Core.Drafts;
using TIBS.Cases.Data.Stores;

namespace TIBS.Cases.Data;

/// <summary>Drafts of forms and the explanation of conflicts: their store and handlers.</summary>
public static class DraftsSetup
{
    public static IServiceCollection AddTibsDrafts(this IServiceCollection services)
    {
        services.AddSingleton<IDraftStore, DraftStore>();
        services.AddSingleton<SaveDraftHandler>();
        services.AddSingleton<DiscardDraftHandler>();
        services.AddSingleton<MyDraftsHandler>();
        services.AddSingleton<DescribeConflictHandler>();
        return services;
    }
}
