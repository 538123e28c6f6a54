using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// One case as its reader sees it: everything recorded on it with one page of its timeline (the latest
/// <see cref="EventPage.DefaultTake"/> events, or those before an event), read in one round trip however long the
/// timeline; the shown events judged as audit evidence (the whole trail when the reader asks); every outcome and case
/// action with whether it is possible now (and why not) and whether this reader may take it; what else the reader may
/// do; and the names and choices its forms need. Null when the case does not exist or is not the reader's to read.
/// </summary>
public sealed class GetCase(CaseReader reader, ICaseStore cases, AuditVerifier audit, CaseTimeline timeline, IReferenceDataStore reference, TimeProvider time)
{
    /// <param name="CaseId">The case.</param>
    /// <param name="Events">Which events of the timeline to show; the latest when null.</param>
    /// <param name="VerifyWholeTrail">Judge every event of the audit trail (reads them all) instead of the events shown.</param>
    public sealed record Request(Guid CaseId, EventPage? Events = null, bool VerifyWholeTrail = false)
    {
        public EventPage Page => Events ?? EventPage.Latest;

        /// <summary>What is wrong with the request, in words; null when it can be answered.</summary>
        public string? Problem() => Page.Problem();
    }

    public async Task<CaseView?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (request.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        if (await reader.GetPageAsync(request.CaseId, request.Page, cancellationToken) is not { } read
            || !CaseAccess.CanRead(actor, read.Details.Case, read.Details.Participants))
        {
            return null;
        }

        var (details, page) = read;

        var c = details.Case;
        var roles = CaseRoles.Of(actor, c, details.Participants);
        var names = page.People.ToDictionary(u => u.Id, u => u.DisplayName);
        var shown = details.Events;
        return new CaseView
        {
            Details = details,
            Audit = request.VerifyWholeTrail
                ? await audit.VerifyCaseAsync(c, await cases.GetEventsAsync(c.Id, cancellationToken), cancellationToken)
                : await audit.VerifyShownAsync(c, shown, request.Page.IsLatest, cancellationToken),
            Timeline = await timeline.DescribeAsync(details, actor, names, cancellationToken),
            EarlierEvents = shown.Count > 0 ? shown[0].Seq - 1 : 0,
            EarlierBefore = page.EarlierBefore,
            LaterEvents = shown.Count > 0 ? Math.Max(0, c.AuditCount - shown[^1].Seq) : 0,
            Actions = await reader.GetActionsAsync(details, actor, cancellationToken: cancellationToken),
            Roles = roles,
            CanWrite = CaseAccess.CanWrite(actor, c, details.Participants),
            MayCompleteStep = details.CurrentStep is { } step && roles.Contains(step.Role) && !c.IsOnHold && CaseClosure.Accepts(c, actor),
            UserNames = names,
            Brokers = [.. page.People.Where(u => u.Role == Roles.Broker && u.IsActive && u.CoversCaseRegion && u.Id != c.OwnerUserId).Select(u => new Choice(u.Id.ToString(), u.DisplayName))],
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
    /// <summary>The case; its <see cref="CaseDetails.Events"/> are the page of the timeline shown, oldest first.</summary>
    public required CaseDetails Details { get; init; }

    /// <summary>The audit trail judged against its chain and the signed checkpoints: the events shown, or the whole trail when asked.</summary>
    public required CaseAuditResult Audit { get; init; }

    /// <summary>The events shown, in words, newest first.</summary>
    public required IReadOnlyList<CaseEventView> Timeline { get; init; }

    /// <summary>How many events came before the oldest one shown.</summary>
    public required int EarlierEvents { get; init; }

    /// <summary>The sequence number to show the events before ("Show earlier events"); null when the first event is shown.</summary>
    public required int? EarlierBefore { get; init; }

    /// <summary>How many events came after the newest one shown (0 on the latest page).</summary>
    public required int LaterEvents { get; init; }

    /// <summary>Every outcome of the current step and every case action: possible now or why not, and whether for this reader.</summary>
    public required IReadOnlyList<CaseAction> Actions { get; init; }

    /// <summary>The reader's roles in this case's workflow.</summary>
    public required IReadOnlyList<WorkflowRole> Roles { get; init; }

    /// <summary>Whether the reader may add notes and attachments and take case actions (the case open, theirs to work on).</summary>
    public required bool CanWrite { get; init; }

    /// <summary>Whether the current step is the reader's to complete now.</summary>
    public required bool MayCompleteStep { get; init; }

    /// <summary>Names of the people the page names (the owner, the actors of the events shown, authors, brokers of the region).</summary>
    public required IReadOnlyDictionary<Guid, string> UserNames { get; init; }

    /// <summary>Active brokers of the case's region other than its owner: who it may be reassigned to.</summary>
    public required IReadOnlyList<Choice> Brokers { get; init; }

    public required IReadOnlyList<Choice> S3Areas { get; init; }

    public required IReadOnlyList<Choice> NaceSections { get; init; }

    public required IReadOnlyList<Choice> Regions { get; init; }

    public required DateTimeOffset Now { get; init; }
}
