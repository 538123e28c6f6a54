using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// One case as its reader sees it: everything recorded, its audit trail judged, every outcome and case action with
/// whether it is possible now (and why not) and whether this reader may take it, what else the reader may do, and
/// the names and choices its forms need. Null when the case does not exist or is not the reader's to read.
/// </summary>
public sealed class GetCase(CaseReader reader, AuditVerifier audit, IUserStore users, IReferenceDataStore reference, TimeProvider time)
{
    public sealed record Request(Guid CaseId);

    public async Task<CaseView?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var details = await reader.GetDetailsAsync(request.CaseId, cancellationToken);
        if (details is null || !CaseAccess.CanRead(actor, details.Case, details.Participants))
        {
            return null;
        }

        var c = details.Case;
        var roles = CaseRoles.Of(actor, c, details.Participants);
        var all = await users.ListAsync(cancellationToken);
        return new CaseView
        {
            Details = details,
            Audit = await audit.VerifyCaseAsync(c, details.Events, cancellationToken),
            Actions = await reader.GetActionsAsync(details, actor, cancellationToken: cancellationToken),
            Roles = roles,
            CanWrite = CaseAccess.CanWrite(actor, c, details.Participants),
            MayCompleteStep = details.CurrentStep is { } step && roles.Contains(step.Role) && !c.IsOnHold && CaseClosure.Accepts(c, actor),
            UserNames = all.ToDictionary(u => u.Id, u => u.DisplayName),
            Brokers = [.. all.Where(u => u.Role == Roles.Broker && u.IsActive && u.RegionCode == c.RegionCode && u.Id != c.OwnerUserId).Select(u => new Choice(u.Id.ToString(), u.DisplayName))],
            S3Areas = [.. (await reference.S3AreasAsync(cancellationToken)).Select(a => new Choice(a.Code, a.Name))],
            NaceSections = [.. (await reference.NaceSectionsAsync(cancellationToken)).Select(n => new Choice(n.Code, $"{n.Code} — {n.Name}"))],
            Regions = [.. (await reference.RegionsAsync(cancellationToken)).Select(r => new Choice(r.Code, $"{r.Name} ({r.Code})"))],
            Now = time.GetUtcNow(),
        };
    }
}

/// <summary>A value a form offers, with the words shown for it.</summary>
public sealed record Choice(string Value, string Label);

/// <summary>A case as <see cref="GetCase"/> shows it to one reader.</summary>
public sealed record CaseView
{
    public required CaseDetails Details { get; init; }

    /// <summary>The audit trail judged against its chain and the signed checkpoints.</summary>
    public required CaseAuditResult Audit { get; init; }

    /// <summary>Every outcome of the current step and every case action: possible now or why not, and whether for this reader.</summary>
    public required IReadOnlyList<CaseAction> Actions { get; init; }

    /// <summary>The reader's roles in this case's workflow.</summary>
    public required IReadOnlyList<WorkflowRole> Roles { get; init; }

    /// <summary>Whether the reader may add notes and attachments and take case actions (the case open, theirs to work on).</summary>
    public required bool CanWrite { get; init; }

    /// <summary>Whether the current step is the reader's to complete now.</summary>
    public required bool MayCompleteStep { get; init; }

    /// <summary>Names of the people the case mentions.</summary>
    public required IReadOnlyDictionary<Guid, string> UserNames { get; init; }

    /// <summary>Active brokers of the case's region other than its owner: who it may be reassigned to.</summary>
    public required IReadOnlyList<Choice> Brokers { get; init; }

    public required IReadOnlyList<Choice> S3Areas { get; init; }

    public required IReadOnlyList<Choice> NaceSections { get; init; }

    public required IReadOnlyList<Choice> Regions { get; init; }

    public required DateTimeOffset Now { get; init; }
}
