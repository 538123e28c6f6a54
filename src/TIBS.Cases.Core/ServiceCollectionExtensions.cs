using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Conflicts;
using TIBS.Cases.Core.Coordination;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Drafts;
using TIBS.Cases.Core.Exports;
using TIBS.Cases.Core.Migration;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the use cases of the domain: the services and handlers every door (pages, jobs, command line) goes
    /// through. The stores they need come from a data layer (<c>AddTibsData</c>).
    /// </summary>
    public static IServiceCollection AddTibsCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WorkflowCatalog>();

        // The domain's metrics (decision 0054): the host's meter factory, or one of its own for a bare service provider.
        services.TryAddSingleton<Observability.StandaloneMeterFactory>();
        services.TryAddSingleton(sp => new Observability.TibsMetrics(
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>() ?? sp.GetRequiredService<Observability.StandaloneMeterFactory>(), sp.GetRequiredService<TimeProvider>()));

        // Cases: the use cases of a case, one handler each; commands open and commit through CaseCommandContext.
        services.TryAddSingleton<CaseReader>();
        services.TryAddSingleton<CaseCommandContext>();
        services.TryAddSingleton<OpenCase>();
        services.TryAddSingleton<NewCaseForm>();
        services.TryAddSingleton(new AttachmentOptions());
        services.TryAddSingleton(sp => new CompleteStep(sp.GetRequiredService<CaseCommandContext>(), sp.GetRequiredService<IAttachmentStorage>(), sp.GetRequiredService<AttachmentOptions>(), sp.GetService<ITaxonomyLookup>(), sp.GetRequiredService<Observability.TibsMetrics>()));
        services.TryAddSingleton<ApplyCaseAction>();
        services.TryAddSingleton<RunTimer>();
        services.TryAddSingleton(sp => new RecordCheckIn(sp.GetRequiredService<CaseCommandContext>(), sp.GetService<ITaxonomyLookup>()));
        services.TryAddSingleton<AddNote>();
        services.TryAddSingleton<PersonalData.EraseContactPerson>();
        services.TryAddSingleton<PersonalData.ExportPersonalData>();
        services.TryAddSingleton<Privacy.Retention.IRetentionErasure, PersonalData.RetentionErasure>();
        services.TryAddSingleton<AddAttachment>();
        services.TryAddSingleton<GetCase>();
        services.TryAddSingleton<ListCases>();
        services.TryAddSingleton<OpenAttachment>();
        services.TryAddSingleton<SweepAttachmentFiles>();
        services.TryAddSingleton<VerifyCaseAudit>();

        // The scheduled verification of every audit trail (its stores and the anchors come from the host's audit setup).
        services.TryAddSingleton(new Audit.TrailVerificationOptions());
        services.TryAddSingleton<Audit.VerifyAllTrails>();
        services.TryAddSingleton<Audit.StartTrailVerification>();
        services.TryAddSingleton<Audit.GetTrailVerification>();

        // Backups (decision 0055): the archives, the runner and the launcher come from the host.
        services.TryAddSingleton<Backups.StartBackup>();
        services.TryAddSingleton<Backups.ListBackups>();

        // Audits: audit cases of completed strategies, samples, findings and the evaluators' home.
        services.TryAddSingleton<Audits.StartAudit>();
        services.TryAddSingleton<Audits.DrawAuditSample>();
        services.TryAddSingleton<Audits.RecordFinding>();
        services.TryAddSingleton<Audits.AnswerFinding>();
        services.TryAddSingleton<Audits.AuditsOfCase>();
        services.TryAddSingleton<Audits.AuditHome>();

        services.TryAddSingleton<CaseMigrationService>();
        services.TryAddSingleton<ReviewMigration>();
        services.TryAddSingleton<SimulateMigration>();
        services.TryAddSingleton<ExecuteMigration>();
        services.TryAddSingleton<MigrationSubject>();
        services.TryAddSingleton<ReminderDelivery>();
        services.TryAddSingleton<CaseTimeline>();
        services.TryAddSingleton<CoordinationOverview>();

        // The record of processing activities, generated from the Privacy settings.
        services.TryAddSingleton(new Privacy.PrivacyOptions());
        services.TryAddSingleton(Privacy.ProcessingLifetimes.Defaults);
        services.TryAddSingleton<Privacy.GetRecordOfProcessing>();
        services.TryAddSingleton<Privacy.Retention.ReportRetention>();
        services.TryAddSingleton<Privacy.Retention.ApplyRetentionReport>();
        services.TryAddSingleton<Privacy.Retention.GetRetention>();
        services.TryAddSingleton<Privacy.Retention.RunRetentionNightly>();

        // Training and certification of brokers (the catalogue, completions, certificates, the overview's section).
        services.TryAddSingleton(new Training.CertificationOptions());
        services.TryAddSingleton<Training.ListTrainingModules>();
        services.TryAddSingleton<Training.SaveTrainingModule>();
        services.TryAddSingleton<Training.RecordTrainingCompletion>();
        services.TryAddSingleton<Training.GetBrokerTraining>();
        services.TryAddSingleton<Training.OpenCertificate>();
        services.TryAddSingleton<Training.CertificationOverview>();
        services.TryAddSingleton<Work.MyWork>();
        services.TryAddSingleton<Work.MyOpenTracks>();
        services.TryAddSingleton<Work.MyDeputising>();

        // Absences and deputies: recorded by the user or an administrator; reminders reach the deputy (ReminderDelivery).
        services.TryAddSingleton<Accounts.Absences.GetAbsences>();
        services.TryAddSingleton<Accounts.Absences.RecordAbsence>();
        services.TryAddSingleton<Accounts.Absences.EndAbsence>();
        services.TryAddSingleton<SaveDraftHandler>();
        services.TryAddSingleton<DiscardDraftHandler>();
        services.TryAddSingleton<MyDraftsHandler>();
        services.TryAddSingleton<DescribeConflictHandler>();

        // Programme indicators, time in step and their exports
        services.TryAddSingleton<Indicators.ProgrammeIndicators>();
        services.TryAddSingleton<Indicators.IndicatorCases>();
        services.TryAddSingleton<Indicators.TimeInStep>();
        services.TryAddSingleton<Indicators.IndicatorExports>();

        // Events feed
        services.TryAddSingleton<Events.ReadEventFeed>();

        // Exports and the dossier.
        services.AddTibsExportSources();

        // Personal access tokens and idempotency keys of the API.
        services.TryAddSingleton<Accounts.Tokens.CreateAccessToken>();
        services.TryAddSingleton<Accounts.Tokens.RevokeAccessToken>();
        services.TryAddSingleton<Accounts.Tokens.ListAccessTokens>();
        services.TryAddSingleton<Accounts.Tokens.AuthenticateAccessToken>();
        services.TryAddSingleton<Requests.IdempotentRequests>();

        // User administration: invitations, one-time links, roles and regions, deactivation, the administration log.
        services.TryAddSingleton(new Accounts.Administration.UserLinkSettings());
        services.TryAddSingleton<Accounts.Administration.ListUsers>();
        services.TryAddSingleton<Accounts.Administration.GetAdministeredUser>();
        services.TryAddSingleton<Accounts.Administration.InviteUser>();
        services.TryAddSingleton<Accounts.Administration.ChangeUserAccess>();
        services.TryAddSingleton<Accounts.Administration.DeactivateUser>();
        services.TryAddSingleton<Accounts.Administration.ReactivateUser>();
        services.TryAddSingleton<Accounts.Administration.SendPasswordReset>();
        services.TryAddSingleton<Accounts.Administration.SetPasswordWithLink>();
        services.TryAddSingleton<Accounts.Administration.ListAdministrationLog>();
        services.TryAddSingleton<Accounts.Administration.ChangeUserOrganisation>();

        // Partner organisations: every user belongs to one; coordinators and administrators maintain them.
        services.TryAddSingleton<Organisations.ListOrganisations>();
        services.TryAddSingleton<Organisations.GetOrganisation>();
        services.TryAddSingleton<Organisations.AddOrganisation>();
        services.TryAddSingleton<Organisations.EditOrganisation>();
        services.TryAddSingleton<Organisations.ArchiveOrganisation>();
        services.TryAddSingleton<Organisations.DeleteOrganisation>();

        // Two-step sign-in: enrolment, the code at sign-in, recovery codes, turning off and the administrators' reset.
        // The host replaces these two with its settings (Authentication:RequireTwoStepFor, SignIn:*).
        services.TryAddSingleton(Accounts.TwoStep.TwoStepRequirement.Default);
        services.TryAddSingleton(sp => new Accounts.SignInThrottle(
            sp.GetRequiredService<Accounts.ISignInThrottleStore>(), sp.GetRequiredService<TimeProvider>(), new Accounts.SignInThrottleSettings()));
        services.TryAddSingleton<Accounts.TwoStep.GetTwoStepStatus>();
        services.TryAddSingleton<Accounts.TwoStep.StartTwoStepEnrolment>();
        services.TryAddSingleton<Accounts.TwoStep.ConfirmTwoStepEnrolment>();
        services.TryAddSingleton<Accounts.TwoStep.CheckTwoStepCode>();
        services.TryAddSingleton<Accounts.TwoStep.TurnOffTwoStep>();
        services.TryAddSingleton<Accounts.TwoStep.RenewRecoveryCodes>();
        services.TryAddSingleton<Accounts.TwoStep.ResetTwoStep>();
        services.TryAddSingleton<Accounts.SingleSignOn.SignInWithProvider>();
        services.TryAddSingleton<Accounts.SingleSignOn.UnlinkSingleSignOn>();

        // Partners, notifications, definitions and preferences.
        services.TryAddSingleton<Partners.PartnerNotices>();
        services.TryAddSingleton<Partners.FindPartners>();
        services.TryAddSingleton<Partners.GetPartnerWorkspace>();
        services.TryAddSingleton<Partners.ShortlistPartner>();
        services.TryAddSingleton<Partners.SetPartnerStatus>();
        services.TryAddSingleton<Partners.AddMessage>();
        services.TryAddSingleton<Partners.Tracks.TrackJoin>();
        services.TryAddSingleton<Partners.TakeTrackOutcome>();
        services.TryAddSingleton<Partners.GetCaseTracks>();
        services.TryAddSingleton<Notifications.ListNotifications>();
        services.TryAddSingleton<Notifications.CountUnreadNotifications>();
        services.TryAddSingleton<Notifications.MarkNotificationRead>();

        // Companies: the registry's queries and commands, and imports.
        services.AddTibsCompanyCompliance();
        services.TryAddSingleton<Companies.SearchCompanies>();
        services.TryAddSingleton<Companies.GetCompany>();
        services.TryAddSingleton<Companies.CompanyFormOptions>();
        services.TryAddSingleton<Companies.CreateCompany>();
        services.TryAddSingleton<Companies.UpdateCompany>();
        services.TryAddSingleton<Companies.AddContact>();
        services.TryAddSingleton<Companies.UpdateContact>();
        services.TryAddSingleton<Companies.RemoveContact>();
        services.TryAddSingleton<Companies.Import.ImportCompanies>();

        services.TryAddSingleton<Notifications.MarkAllNotificationsRead>();
        services.TryAddSingleton<Definitions.ListDefinitions>();
        services.TryAddSingleton<Definitions.GetDefinitionVersion>();
        services.TryAddSingleton<Definitions.GetDefinitionTranslations>();
        services.TryAddSingleton<Definitions.DownloadDefinitionTranslation>();
        services.TryAddSingleton<Definitions.SaveDefinitionTranslation>();
        services.TryAddSingleton<Definitions.ValidateDefinition>();
        services.TryAddSingleton<Definitions.GetDefinitionDraft>();
        services.TryAddSingleton<Definitions.SaveDefinitionDraft>();
        services.TryAddSingleton<Definitions.EditDefinitionStep>();
        services.TryAddSingleton<Definitions.AddDefinitionStep>();
        services.TryAddSingleton<Definitions.RemoveDefinitionStep>();
        services.TryAddSingleton<Definitions.PublishDefinition>();
        services.TryAddSingleton<Definitions.DiscardDefinitionDraft>();
        services.TryAddSingleton<Definitions.SimulateDefinition>();

        services.TryAddSingleton<Definitions.CompareDefinitionVersions>();
        services.TryAddSingleton<Definitions.ExportDefinitionBpmn>();
        services.TryAddSingleton<Accounts.GetProfile>();
        services.TryAddSingleton<Accounts.UpdatePreferences>();
        services.TryAddSingleton<Accounts.ChooseLanguage>();
        services.TryAddSingleton<Accounts.UpdateProfile>();
        services.TryAddSingleton<Accounts.ChangeOwnPassword>();
        return services;
    }
}
