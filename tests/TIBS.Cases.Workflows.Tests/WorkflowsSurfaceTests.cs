using TIBS.Cases.Testing;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Bpmn;
using TIBS.Cases.Workflows.Calendars;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Diagrams;
using TIBS.Cases.Workflows.Diff;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Migration;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;
using TIBS.Cases.Workflows.Simulation;
using TIBS.Cases.Workflows.Translations;
using TIBS.Cases.Workflows.Validation;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>
/// The engine shows the rest of the product what it uses: the definition document and its loader, writer and
/// validator, the compiled plan, the runtime, conditions, expressions, forms, migration, simulation, diagrams and
/// exports. A type stays public only when Core, Data or Web names it, or when a public type's signature carries it;
/// the rest is internal. A new public type fails this test until it is listed here with its reason, or made internal.
/// </summary>
public sealed class WorkflowsSurfaceTests
{
    private static readonly Dictionary<Type, string> Public = new()
    {
        [typeof(ActionKind)] = "used by Web (Api/CaseEndpoints and more)",
        [typeof(AvailableAction)] = "used by Core (Cases/CaseModels)",
        [typeof(BlockedStep)] = "part of the public SimulationReport",
        [typeof(BooleanValue)] = "used by Core (Cases/FormDataJson and more)",
        [typeof(BpmnExport)] = "used by Core (Definitions/ExportDefinitionBpmn)",
        [typeof(CaseActionDefinition)] = "part of the public WorkflowDefinitionDocument",
        [typeof(CaseActionKind)] = "used by Core (Cases/Actions/ApplyCaseAction and more), Web (Pages/Cases/Case page)",
        [typeof(CaseFactConditions)] = "used by Core (Cases/CaseConditionEvaluator and more)",
        [typeof(CaseFacts)] = "used by Core (Cases/CaseConditionEvaluator and more)",
        [typeof(CaseMigration)] = "used by Core (Cases/CaseMigrationService), Web (Pages/Definitions/Migrate page)",
        [typeof(CaseSnapshot)] = "used by Core (Cases/CaseModels and more)",
        [typeof(ChangeKind)] = "used by Web (Pages/Definitions/Compare page)",
        [typeof(CheckInDefinition)] = "part of the public WorkflowDefinitionDocument",
        [typeof(CheckInFact)] = "used by Core (Cases/CaseConditionEvaluator)",
        [typeof(ChoiceOption)] = "used by Core (Definitions/EditDefinitionStep.Rows)",
        [typeof(ChoiceValue)] = "used by Core (Cases/FormDataJson and more)",
        [typeof(CompanyValue)] = "used by Core (Cases/FormDataJson and more)",
        [typeof(ConditionCatalog)] = "used by Core (Definitions/EditDefinitionStep.Rows), Web (Pages/Definitions/EditStep page)",
        [typeof(ConditionCheck)] = "used by Core (Cases/CaseConditionEvaluator and more)",
        [typeof(ConditionDescriptor)] = "part of the public ConditionCatalog",
        [typeof(ConditionNeeds)] = "part of the public ConditionDescriptor",
        [typeof(ConditionParameterKind)] = "used by Core (Definitions/EditDefinitionStep.Rows)",
        [typeof(ConditionRef)] = "used by Core (Definitions/EditDefinitionStep.Rows)",
        [typeof(ConditionResult)] = "used by Core (Cases/CaseConditionEvaluator and more)",
        [typeof(ContactFormats)] = "used by Core (Companies/CompanyRules and more)",
        [typeof(ContributorDefinition)] = "part of the public StepDefinition",
        [typeof(DateValue)] = "used by Core (Cases/FormDataJson and more)",
        [typeof(DeadPath)] = "part of the public SimulationReport",
        [typeof(DecisionDefinition)] = "part of the public WorkflowDefinitionDocument",
        [typeof(DecisionInput)] = "part of the public DecisionDefinition",
        [typeof(DecisionOutput)] = "part of the public DecisionDefinition",
        [typeof(DecisionRule)] = "part of the public DecisionDefinition",
        [typeof(DecisionTable)] = "part of the public WorkflowPlan",
        [typeof(DefinitionChange)] = "used by Core (Definitions/CompareDefinitionVersions)",
        [typeof(DefinitionCheck)] = "used by Core (Definitions/EditDefinitionStep and more)",
        [typeof(DefinitionDiff)] = "used by Core (Definitions/CompareDefinitionVersions)",
        [typeof(DefinitionIdentity)] = "used by Core (Workflows/WorkflowCatalog)",
        [typeof(DefinitionReferences)] = "used by Core (Definitions/EditDefinitionStep.Rows and more)",
        [typeof(DiagramOptions)] = "used by Core (Indicators/TimeInStep)",
        [typeof(EndStateDefinition)] = "part of the public TracksDefinition",
        [typeof(EndStateKind)] = "used by Core (Partners/Tracks/PartnerTracks)",
        [typeof(EndStateReached)] = "part of the public SimulationReport",
        [typeof(EscalationDefinition)] = "part of the public StepDefinition",
        [typeof(ExpressionBuilder)] = "used by Core (Definitions/EditDefinitionStep.Rows), Web (Pages/Definitions/EditStep page)",
        [typeof(ExpressionEvaluation)] = "part of the public DecisionTable",
        [typeof(ExpressionFact)] = "part of the public ExpressionScopes",
        [typeof(ExpressionLimits)] = "used by Web (Pages/Definitions/EditStep page)",
        [typeof(ExpressionProblem)] = "part of the public IExpressionEngine",
        [typeof(ExpressionScope)] = "used by Core (Definitions/EditDefinitionStep.Rows)",
        [typeof(ExpressionScopes)] = "used by Core (Definitions/EditDefinitionStep.Rows)",
        [typeof(ExpressionValueKind)] = "part of the public DecisionTable",
        [typeof(FieldDefinition)] = "used by Core (Definitions/EditDefinitionStep.Rows)",
        [typeof(FieldError)] = "used by Core (Accounts/Tokens/CreateAccessToken and more), Web (Api/ApiConcurrency and more)",
        [typeof(FieldLimits)] = "used by Core (Drafts/DraftRules), Web (Pages/Cases/_Field page)",
        [typeof(FieldType)] = "used by Core (Cases/CaseEventKinds and more), Web (Infrastructure/StartupArguments and more)",
        [typeof(FieldValue)] = "used by Core (Cases/CaseCommandContext and more), Web (Pages/Cases/Case page)",
        [typeof(FileReference)] = "used by Core (Cases/FormDataJson and more)",
        [typeof(FileValue)] = "used by Core (Cases/FormDataJson and more)",
        [typeof(FindingFact)] = "used by Core (Cases/CaseConditionEvaluator)",
        [typeof(FormInput)] = "used by Core (Cases/CheckIns/RecordCheckIn and more), Web (Api/CaseResources and more)",
        [typeof(FormValidationResult)] = "part of the public FormValidator",
        [typeof(FormValidator)] = "used by Core (Cases/CheckIns/RecordCheckIn and more)",
        [typeof(HeatBand)] = "used by Core (Indicators/TimeInStep)",
        [typeof(ICaseConditionEvaluator)] = "used by Core (Cases/CaseConditionEvaluator)",
        [typeof(IExpressionEngine)] = "part of the public WorkflowExpressions",
        [typeof(ITaxonomyLookup)] = "used by Core (Cases/CheckIns/RecordCheckIn and more), Data (ServiceCollectionExtensions and more)",
        [typeof(IsoDuration)] = "part of the public PlanReminder",
        [typeof(JoinStatistics)] = "part of the public SimulationReport",
        [typeof(LoadError)] = "part of the public WorkflowLoadResult",
        [typeof(MigrationPlan)] = "used by Core (Cases/CaseMigrationService and more), Web (Pages/Definitions/Migrate page)",
        [typeof(MigrationPlanError)] = "used by Core (Migration/SimulateMigration)",
        [typeof(MigrationPlanner)] = "used by Core (Cases/CaseMigrationService)",
        [typeof(MigrationRequest)] = "used by Core (Cases/CaseMigrationService)",
        [typeof(MultiChoiceValue)] = "used by Core (Cases/FormDataJson and more)",
        [typeof(NoticeKind)] = "used by Core (Cases/CaseSteps and more)",
        [typeof(NumberValue)] = "used by Core (Cases/FormDataJson and more)",
        [typeof(OutcomeDefinition)] = "used by Core (Definitions/EditDefinitionStep.Rows)",
        [typeof(OutcomeStatistics)] = "part of the public SimulationReport",
        [typeof(PartnerFact)] = "used by Core (Cases/CaseConditionEvaluator)",
        [typeof(PartnerStatuses)] = "used by Core (Cases/CaseRecords)",
        [typeof(PendingReminder)] = "used by Core (Cases/CaseMigrationService)",
        [typeof(PlanCaseAction)] = "part of the public WorkflowPlan",
        [typeof(PlanCheckIn)] = "used by Core (FollowUp/TimeRules)",
        [typeof(PlanCondition)] = "part of the public ConditionCheck",
        [typeof(PlanContributor)] = "part of the public PlanStep",
        [typeof(PlanEndState)] = "part of the public WorkflowPlan",
        [typeof(PlanEscalation)] = "part of the public PlanStep",
        [typeof(PlanField)] = "used by Core (Conflicts/DescribeConflict and more), Web (Pages/Cases/Case.Drafts and more)",
        [typeof(PlanOption)] = "part of the public PlanField",
        [typeof(PlanOutcome)] = "used by Core (Cases/Steps/CompleteStep)",
        [typeof(PlanReminder)] = "part of the public PlanStep and PlanTracks",
        [typeof(PlanStage)] = "part of the public WorkflowPlan",
        [typeof(PlanStep)] = "used by Core (Audits/AuditsOfCase and more)",
        [typeof(PlanTimer)] = "used by Core (Cases/Steps/CompleteStep and more)",
        [typeof(PlanTrackEnd)] = "part of the public PlanTracks",
        [typeof(PlanTrackJoin)] = "part of the public PlanTracks",
        [typeof(PlanTrackOutcome)] = "part of the public PlanTrackState",
        [typeof(PlanTrackState)] = "used by Core (Partners/Tracks/PartnerTracks)",
        [typeof(PlanTracks)] = "used by Core (Partners/Tracks/PartnerTracks)",
        [typeof(PseudoLocalization)] = "used by Core (Localization/Localized) and Web (Infrastructure/Localization: the pseudo culture, decision 0049)",
        [typeof(ReasonCount)] = "part of the public JoinStatistics",
        [typeof(ReminderDecision)] = "used by Core (Cases/CaseMigrationService and more), Web (Pages/Definitions/Migrate page)",
        [typeof(ReminderDefinition)] = "used by Core (Definitions/EditDefinitionStep)",
        [typeof(RoleNames)] = "used by Core (Accounts/Roles)",
        [typeof(RunningCase)] = "used by Core (Cases/CaseMigrationService)",
        [typeof(RunningPartner)] = "used by Core (Cases/CaseMigrationService)",
        [typeof(RunningTrack)] = "used by Core (Cases/CaseMigrationService)",
        [typeof(ScheduledNotice)] = "part of the public WorkflowPlan",
        [typeof(ScriptedEntry)] = "part of the public ScriptedWalk",
        [typeof(ScriptedStepResult)] = "part of the public ScriptedWalkResult",
        [typeof(ScriptedWalk)] = "used by Core (Definitions/SimulateDefinition), Web (SimulateCommand)",
        [typeof(ScriptedWalkResult)] = "part of the public SimulationReport",
        [typeof(SimulationOptions)] = "used by Core (Definitions/SimulateDefinition and more), Web (SimulateCommand)",
        [typeof(SimulationReport)] = "used by Core (Definitions/SimulateDefinition and more), Web (Api/DefinitionSimulationEndpoints and more)",
        [typeof(SimulationTaxonomies)] = "used by Core (Definitions/SimulateDefinition)",
        [typeof(SimulationText)] = "used by Web (SimulateCommand)",
        [typeof(SkippedCase)] = "part of the public MigrationPlan",
        [typeof(SourceMap)] = "part of the public WorkflowValidator",
        [typeof(SourcePosition)] = "part of the public ValidationError",
        [typeof(StageDefinition)] = "part of the public WorkflowDefinitionDocument",
        [typeof(StepDefinition)] = "used by Core (Definitions/AddDefinitionStep and more), Web (Pages/Definitions/EditStep page)",
        [typeof(StepVisits)] = "part of the public SimulationReport",
        [typeof(TableValue)] = "used by Core (Cases/FormDataJson and more), Web (Pages/Cases/Case page)",
        [typeof(TaxonomyValue)] = "used by Core (Cases/FormDataJson and more)",
        [typeof(TextDiff)] = "used by Core (Definitions/CompareDefinitionVersions), Web (Api/DefinitionDiffEndpoints and more)",
        [typeof(TextDiffKind)] = "used by Web (Pages/Definitions/Compare page)",
        [typeof(TextDiffLine)] = "used by Core (Definitions/CompareDefinitionVersions), Web (Api/DefinitionDiffEndpoints and more)",
        [typeof(TextValue)] = "used by Core (Cases/FormDataJson and more)",
        [typeof(TimerAction)] = "used by Core (Cases/Timers/RunTimer and more)",
        [typeof(TimerActions)] = "used by Web (Pages/Definitions/EditStep page)",
        [typeof(TimerDefinition)] = "used by Core (Definitions/EditDefinitionStep)",
        [typeof(TimerStatistics)] = "part of the public SimulationReport",
        [typeof(TrackDecision)] = "used by Core (Cases/CaseMigrationService)",
        [typeof(TrackEndStatistics)] = "part of the public SimulationReport",
        [typeof(TrackJoinDefinition)] = "part of the public TracksDefinition",
        [typeof(TrackMigration)] = "part of the public CaseMigration",
        [typeof(Migration.TrackMove)] = "part of the public TrackMigration",
        [typeof(TrackStart)] = "part of the public TrackMigration",
        [typeof(TrackStateDefinition)] = "part of the public TracksDefinition",
        [typeof(TracksDefinition)] = "part of the public StepDefinition",
        [typeof(TransitionResult)] = "part of the public WorkflowRuntime",
        [typeof(TransitionStatus)] = "used by Core (Cases/Steps/CompleteStep)",
        [typeof(UnmetCondition)] = "used by Core (Cases/CaseModels), Web (Api/CaseResources)",
        [typeof(ValidationSeverity)] = "part of the public ValidationError",
        [typeof(TranslatableText)] = "part of the public TranslationReport",
        [typeof(DefinitionTranslation)] = "used by Core (Definitions/GetDefinitionTranslations), Web (TranslationsCommand)",
        [typeof(TranslationLoad)] = "used by Core (Workflows/WorkflowCatalog.Translations), Web (TranslationsCommand)",
        [typeof(TranslationSidecar)] = "used by Core (Definitions/SaveDefinitionTranslation), Web (Pages/Definitions/Version page)",
        [typeof(TranslationReport)] = "used by Core (Definitions/GetDefinitionTranslations), Web (TranslationsCommand)",
        [typeof(DefinitionTranslations)] = "used by Core (Workflows/WorkflowCatalog.Translations and more), Web (TranslationsCommand)",
        [typeof(ValidationError)] = "used by Core (Definitions/EditDefinitionStep and more), Web (Api/DefinitionDraftEndpoints and more)",
        [typeof(WalkEnd)] = "used by Core (Migration/SimulateMigration)",
        [typeof(WorkflowDefinitionDocument)] = "used by Core (Definitions/DraftDocument and more)",
        [typeof(WorkflowDefinitions)] = "used by Core (Definitions/DraftDocument and more), Web (CommandLine and more)",
        [typeof(WorkflowDiagram)] = "used by Core (Definitions/EditDefinitionStep and more), Web (CommandLine and more)",
        [typeof(WorkflowExpressions)] = "used by Core (Partners/Tracks/TrackJoin)",
        [typeof(WorkflowLoadResult)] = "part of the public WorkflowDefinitions",
        [typeof(WorkflowNames)] = "used by Core (Accounts/Roles and more), Web (Pages/Definitions/EditStep page)",
        [typeof(WorkflowPlan)] = "used by Core (Cases/CaseMigrationService and more), Web (CommandLine and more)",
        [typeof(WorkflowRole)] = "used by Core (Accounts/Roles and more), Data (Stores/CaseQueries), Web (Pages/Cases/Case page)",
        [typeof(WorkflowRuntime)] = "used by Core (Cases/Actions/ApplyCaseAction and more)",
        [typeof(WorkflowSimulator)] = "used by Core (Definitions/SimulateDefinition and more), Web (SimulateCommand)",
        [typeof(WorkflowValidator)] = "used by Core (Definitions/AddDefinitionStep)",
        [typeof(WorkflowYamlLoader)] = "used by Core (Workflows/WorkflowCatalog), Web (Pages/Definitions/Draft page)",
        [typeof(WorkflowYamlWriter)] = "used by Core (Definitions/AddDefinitionStep and more)",
        [typeof(WorkingCalendar)] = "part of the public WorkingCalendars",
        [typeof(WorkingCalendars)] = "used by Core (Cases/CaseMigrationService and more)",
    };

    [Fact]
    public void Every_public_type_of_the_engine_is_in_the_list_with_its_reason() =>
        PublicSurface.AssertListed(typeof(WorkflowPlan).Assembly, Public);

    [Fact]
    public void The_engine_keeps_its_helpers_to_itself()
    {
        Assert.False(typeof(StateNames).IsPublic);
        Assert.False(typeof(HolidayTable).IsPublic);
        Assert.False(typeof(WorkflowDefinitionException).IsPublic);
    }
}
