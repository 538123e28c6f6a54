using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Testing;

/// <summary>
/// The case handlers of Core as tests drive them: each call builds the handler's request and runs it, so a test reads
/// as the story it tells (open, complete, hold, …) while every rule is the handler's own.
/// </summary>
public sealed class CaseCommands
{
    private readonly IServiceProvider services;

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
        Shortlist = services.GetRequiredService<ShortlistPartner>();
        PartnerStatus = services.GetRequiredService<SetPartnerStatus>();
        Message = services.GetRequiredService<AddMessage>();
    }

    /// <summary>
    /// The handlers as the application registers them (<c>AddTibsData</c> with <c>AddTibsCore</c>) over one database,
    /// clock and file storage, with the reference data loaded for the forms' taxonomy checks as at start-up;
    /// <paramref name="configure"/> may replace a service (a counting store, say) before the container is built.
    /// </summary>
    public static async Task<CaseCommands> CreateAsync(IDbConnectionFactory database, TimeProvider time, IAttachmentStorage storage, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddTibsCore();
        services.AddTibsData(Directory.GetCurrentDirectory());
        services.AddSingleton(database);
        services.AddSingleton(storage);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ReferenceTaxonomyLookup>().LoadAsync();
        return new CaseCommands(provider);
    }

    /// <summary>Any other service the application registered (a handler, a query, a store) that this has no shortcut for.</summary>
    public T Handler<T>() where T : notnull => services.GetRequiredService<T>();

    public CaseReader Reader { get; }
    public OpenCase Open { get; }
    public CompleteStep Complete { get; }
    public ApplyCaseAction Action { get; }
    public RecordCheckIn CheckIn { get; }
    public AddNote Note { get; }
    public AddAttachment Attach { get; }
    internal VerifyCaseAudit Audit { get; }
    public OpenAttachment Download { get; }
    public ShortlistPartner Shortlist { get; }
    public SetPartnerStatus PartnerStatus { get; }
    public AddMessage Message { get; }

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

    public Task<CaseCommandResult> ShortlistPartnerAsync(Guid caseId, int expectedVersion, Guid companyId, Actor actor, CancellationToken cancellationToken = default) =>
        Shortlist.HandleAsync(new ShortlistPartner.Request(caseId, expectedVersion, companyId), actor, cancellationToken);

    public Task<CaseCommandResult> SetPartnerStatusAsync(Guid caseId, int expectedVersion, Guid participantId, string status, Actor actor, CancellationToken cancellationToken = default) =>
        PartnerStatus.HandleAsync(new SetPartnerStatus.Request(caseId, expectedVersion, participantId, status), actor, cancellationToken);

    public Task<CaseCommandResult> AddMessageAsync(Guid caseId, Guid? participantId, string body, Actor actor, CancellationToken cancellationToken = default) =>
        Message.HandleAsync(new AddMessage.Request(caseId, participantId, body), actor, cancellationToken);

    /// <summary>A reader who may read every case.</summary>
    private static readonly Actor Coordinator = new(Guid.CreateVersion7(), WorkflowRole.Coordinator, null);

    /// <summary>An in-memory upload.</summary>
    public static UploadedFile File(string name, byte[] content, string? fieldKey = null) =>
        new(fieldKey, name, content.Length, () => new MemoryStream(content, writable: false));
}
