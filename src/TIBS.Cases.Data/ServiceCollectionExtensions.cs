using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.Data.Stores;

namespace TIBS.Cases.Data;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the connection factory for the configured provider, the migrator and the Dapper stores: the data
    /// layer only. The domain's use cases that run on them are registered by
    /// <see cref="TIBS.Cases.Core.ServiceCollectionExtensions.AddTibsCore"/>, called by the host beside this.
    /// <paramref name="contentRoot"/> anchors the relative data folder of the embedded database.
    /// </summary>
    public static IServiceCollection AddTibsData(this IServiceCollection services, string contentRoot)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new ConnectionFactory(options.ParsedProvider, options.EffectiveConnectionString(contentRoot));
        });
        services.AddSingleton<IDbConnectionFactory>(sp => sp.GetRequiredService<ConnectionFactory>());
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<IUserStore, UserStore>();
        services.AddSingleton<ISignInThrottleStore, SignInThrottleStore>();
        services.AddSingleton<IUserSessionStore, UserSessionStore>();
        services.AddSingleton<TIBS.Cases.Core.Accounts.Administration.IUserAdministrationStore, UserAdministrationStore>();
        services.AddSingleton<TIBS.Cases.Core.Accounts.TwoStep.ITwoStepStore, TwoStepStore>();
        services.AddSingleton<TIBS.Cases.Core.Accounts.Absences.IAbsenceStore, AbsenceStore>();
        services.AddSingleton<TIBS.Cases.Core.Accounts.SingleSignOn.IExternalLoginStore, ExternalLoginStore>();
        services.AddSingleton<TIBS.Cases.Core.Organisations.IOrganisationStore, OrganisationStore>();
        services.AddSingleton<TIBS.Cases.Core.Privacy.Retention.IRetentionStore, RetentionStore>();
        services.AddSingleton<ICompanyStore, CompanyStore>();
        services.AddSingleton<TIBS.Cases.Core.PersonalData.IPersonalDataStore, PersonalDataStore>();
        services.AddSingleton<Core.Companies.Merge.ICompanyMergeStore, CompanyMergeStore>();
        services.AddSingleton<Core.Companies.DeMinimis.IDeMinimisStore, DeMinimisStore>();
        services.AddSingleton<IReferenceDataStore, ReferenceDataStore>();
        services.AddSingleton<IWorkflowStore, WorkflowStore>();
        services.AddSingleton<Core.Definitions.IDefinitionTranslationStore, DefinitionTranslationStore>();
        services.AddSingleton<ICaseStore, CaseStore>();
        services.AddSingleton<TIBS.Cases.Core.Audit.ISystemRecordAppender>(sp => (CaseStore)sp.GetRequiredService<ICaseStore>());
        services.AddSingleton<ICaseQueries, CaseQueries>();
        services.AddSingleton<TIBS.Cases.Core.Audits.IAuditStore, AuditStore>();
        services.AddSingleton<TIBS.Cases.Core.Audit.ITrailVerificationStore, Audit.TrailVerificationStore>();
        services.AddSingleton<TIBS.Cases.Core.Backups.IBackupRunStore, BackupRunStore>();
        services.AddSingleton<TIBS.Cases.Core.Exports.IExportQueries, ExportQueries>();
        services.AddSingleton<TIBS.Cases.Core.Matching.IMatchingQueries, MatchingQueries>();
        services.AddSingleton<TIBS.Cases.Core.Work.IWorkQueries, WorkQueries>();
        services.AddSingleton<TIBS.Cases.Core.Notifications.INotificationStore, NotificationStore>();
        services.AddSingleton<TIBS.Cases.Core.Reminders.IReminderStore, ReminderStore>();
        services.AddSingleton<TIBS.Cases.Core.Training.ITrainingStore, TrainingStore>();
        services.AddSingleton<IAttachmentStorage>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new FileSystemAttachmentStorage(options.AttachmentsFolder ?? Path.Combine(options.DataFolder(contentRoot), "attachments"));
        });
        services.AddSingleton<ReferenceTaxonomyLookup>();
        services.AddSingleton<TIBS.Cases.Workflows.Forms.ITaxonomyLookup>(sp => sp.GetRequiredService<ReferenceTaxonomyLookup>());
        services.AddSingleton<TIBS.Cases.Core.Drafts.IDraftStore, DraftStore>();
        services.AddSingleton<TIBS.Cases.Core.Coordination.ICoordinationQueries, CoordinationQueries>();
        services.AddSingleton<TIBS.Cases.Core.Indicators.IIndicatorQueries, Indicators.IndicatorQueries>();

        // Events feed
        services.AddSingleton<TIBS.Cases.Core.Events.IEventFeedQueries, EventFeedQueries>();

        // The API's personal access tokens and idempotency keys.
        services.AddSingleton<TIBS.Cases.Core.Accounts.Tokens.IAccessTokenStore, AccessTokenStore>();
        services.AddSingleton<TIBS.Cases.Core.Requests.IIdempotencyStore, IdempotencyStore>();
        return services;
    }
}
