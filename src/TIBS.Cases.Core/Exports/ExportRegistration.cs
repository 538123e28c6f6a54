using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TIBS.Cases.Core.Exports.Dossier;

namespace TIBS.Cases.Core.Exports;

internal static class ExportRegistration
{
    /// <summary>The exports (case list, step durations) and the dossier with its sections in order.</summary>
    public static IServiceCollection AddTibsExportSources(this IServiceCollection services)
    {
        services.TryAddSingleton<ExportCases>();
        services.TryAddSingleton<ExportStepDurations>();
        services.TryAddSingleton<GetDossier>();
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<IDossierSection, CoverSection>(),
            ServiceDescriptor.Singleton<IDossierSection, StepsSection>(),
            ServiceDescriptor.Singleton<IDossierSection, CheckInsSection>(),
            ServiceDescriptor.Singleton<IDossierSection, AgreementSection>(),
            ServiceDescriptor.Singleton<IDossierSection, AttachmentsSection>(),
            ServiceDescriptor.Singleton<IDossierSection, TimelineSection>(),
            ServiceDescriptor.Singleton<IDossierSection, AuditTrailSection>(),
            ServiceDescriptor.Singleton<IDossierSection, DeMinimisSection>(),
            ServiceDescriptor.Singleton<IDossierSection, AuditsSection>(),
        ]);
        return services;
    }
}
