using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TIBS.Cases.Core.Companies;

/// <summary>Registers the use cases of company identity and programme compliance: merges and de minimis aid.</summary>
internal static class CompanyComplianceRegistration
{
    public static IServiceCollection AddTibsCompanyCompliance(this IServiceCollection services)
    {
        services.TryAddSingleton<Merge.MergeCompanies>();
        services.TryAddSingleton<DeMinimis.RecordDeMinimisAid>();
        services.TryAddSingleton<DeMinimis.GetDeMinimisAid>();
        services.TryAddSingleton<DeMinimis.DeMinimisExport>();
        return services;
    }
}
