using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Testing;

/// <summary>
/// The case handlers of Core as tests drive them: each call builds the handler's request and runs it, so a test reads
/// as the story it tells (open, complete, hold, …) while every rule is the handler's own.
/// </summary>
public sealed class CaseCommands
{
    private readonly IServiceProvider? services;

    /// <summary>The handlers an application registered (<c>AddTibsCore</c>).</summary>
    public CaseCommands(IServiceProvider services)
    {
        this.services = services;
        Reader = services.GetRequiredService<CaseReader>();
        Open = services.GetRequiredService<OpenCase>();
        Complete = services.GetRequiredService<CompleteStep>();
        Action = services.GetRequiredService<ApplyCaseAction>();
        CheckIn = services.GetRequiredService<RecordCheckIn>();
        Note = services.GetRequiredService<AddNote>();
        Attach = services.GetRequiredService<AddAttachment>();
        Audit = services.GetRequiredService<VerifyCaseAudit>();
        Download = services.GetRequiredService<OpenAttachment>();
        Partners = services.GetRequiredService<CaseService>();
    }

    /// <summary>The handlers over the given stores, without a container.</summary>
    public CaseCommands(ICaseStore cases, ICompanyStore companies, WorkflowCatalog catalog, TimeProvider time, IAttachmentStorage storage, ITaxonomyLookup? taxonomies = null)
    {
        Reader = new CaseReader(cases, companies, catalog, time);
        var context = new CaseCommandContext(cases, Reader, time);
        Open = new OpenCase(cases, companies, catalog, time);
        Complete = new CompleteStep(context, storage, taxonomies);
        Action = new ApplyCaseAction(context);
        CheckIn = new RecordCheckIn(context, taxonomies);
        Note = new AddNote(context);
        Attach = new AddAttachment(context, storage);
        Audit = new VerifyCaseAudit(cases);
        Download = new OpenAttachment(cases, storage);
        Partners = new CaseService(context, Reader, companies);
    }

    public CaseReader Reader { get; }
    public OpenCase Open { get; }
    public CompleteStep Complete { get; }
    public ApplyCaseAction Action { get; }
    public RecordCheckIn CheckIn { get; }
    public AddNote Note { get; }
    public AddAttachment Attach { get; }
    public VerifyCaseAudit Audit { get; }
    public OpenAttachment Download { get; }
    public CaseService Partners { get; }

    public T Get<T>() where T : notnull => (services ?? throw new InvalidOperationException("No container.")).GetRequiredService<T>();

    public Task<CaseCommandResult> OpenCaseAsync(Guid leadCompanyId, string? title, Actor actor, string definitionKey = OpenCase.DefaultDefinitionKey, CancellationToken cancellationToken = default) =>
        Open.HandleAsync(new OpenCase.Request(leadCompanyId, title, definitionKey), actor, cancellationToken);

    public Task<CaseDetails?> GetDetailsAsync(Guid caseId, CancellationToken cancellationToken = default) => Reader.GetDetailsAsync(caseId, cancellationToken);

    public Task<IReadOnlyList<CaseAction>> GetActionsAsync(CaseDetails details, Actor actor, IReadOnlyDictionary<string, FieldValue>? draft = null, CancellationToken cancellationToken = default) =>
        Reader.GetActionsAsync(details, actor, draft, cancellationToken);

    public Task<CaseCommandResult> CompleteStepAsync(Guid caseId, int expectedVersion, string outcomeKey, FormInput input, Actor actor, CancellationToken cancellationToken = default) =>
        Complete.HandleAsync(new CompleteStep.Request(caseId, expectedVersion, outcomeKey, input), actor, cancellationToken);

    public Task<CaseCommandResult> CompleteStepAsync(Guid caseId, int expectedVersion, string outcomeKey, FormInput input, Actor actor, IReadOnlyList<UploadedFile> files, string? reason = null, CancellationToken cancellationToken = default) =>
        Complete.HandleAsync(new CompleteStep.Request(caseId, expectedVersion, outcomeKey, input, reason, files), actor, cancellationToken);

    public Task<CaseCommandResult> ApplyCaseActionAsync(Guid caseId, int expectedVersion, string actionKey, string? reason, Actor actor, Guid? newOwnerUserId = null, CancellationToken cancellationToken = default) =>
        Action.HandleAsync(new ApplyCaseAction.Request(caseId, expectedVersion, actionKey, reason, newOwnerUserId), actor, cancellationToken);

    public Task<CaseCommandResult> RecordCheckInAsync(Guid caseId, int expectedVersion, string checkInKey, int occurrence, FormInput input, Actor actor, CancellationToken cancellationToken = default) =>
        CheckIn.HandleAsync(new RecordCheckIn.Request(caseId, expectedVersion, checkInKey, occurrence, input), actor, cancellationToken);

    public Task<CaseCommandResult> AddNoteAsync(Guid caseId, string body, Actor actor, CancellationToken cancellationToken = default) =>
        Note.HandleAsync(new AddNote.Request(caseId, body), actor, cancellationToken);

    public Task<CaseCommandResult> AddAttachmentAsync(Guid caseId, int expectedVersion, UploadedFile file, Actor actor, CancellationToken cancellationToken = default) =>
        Attach.HandleAsync(new AddAttachment.Request(caseId, expectedVersion, file), actor, cancellationToken);

    /// <summary>Checks the audit chain as the system (no reader's access applies).</summary>
    public async Task<AuditVerification?> VerifyAuditAsync(Guid caseId, CancellationToken cancellationToken = default) =>
        await Audit.HandleAsync(new VerifyCaseAudit.Request(caseId), Coordinator, cancellationToken);

    public Task<CaseCommandResult> AddPartnerAsync(Guid caseId, int expectedVersion, Guid companyId, decimal? score, Actor actor, CancellationToken cancellationToken = default) =>
        Partners.AddPartnerAsync(caseId, expectedVersion, companyId, score, actor, cancellationToken);

    public Task<CaseCommandResult> SetPartnerStatusAsync(Guid caseId, int expectedVersion, Guid participantId, string status, Actor actor, CancellationToken cancellationToken = default) =>
        Partners.SetPartnerStatusAsync(caseId, expectedVersion, participantId, status, actor, cancellationToken);

    public Task<CaseCommandResult> AddMessageAsync(Guid caseId, Guid? participantId, string body, Actor actor, CancellationToken cancellationToken = default) =>
        Partners.AddMessageAsync(caseId, participantId, body, actor, cancellationToken);

    /// <summary>A reader who may read every case.</summary>
    private static readonly Actor Coordinator = new(Guid.CreateVersion7(), TIBS.Cases.Core.Accounts.Roles.Coordinator, null);

    /// <summary>An in-memory upload.</summary>
    public static UploadedFile File(string name, byte[] content, string? fieldKey = null) =>
        new(fieldKey, name, content.Length, () => new MemoryStream(content, writable: false));
}
