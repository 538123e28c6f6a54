using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Partners;

/// <summary>
/// What the partner search of a case shows its reader: the case, the candidates (<see cref="FindPartners"/>), the
/// pipeline of partners with what the reader may do with each, and the messages between the brokers. Whoever may read
/// the case (<see cref="CaseAccess.CanRead"/>) gets it; anyone else learns nothing, not even that the case exists.
/// </summary>
public sealed class GetPartnerWorkspace(FindPartners findPartners)
{
    /// <summary>The case and the candidate filters (see <see cref="FindPartners.Request"/>).</summary>
    public sealed record Request(FindPartners.Request Search);

    /// <summary>A partner on the pipeline and whether the reader may move it along.</summary>
    public sealed record Partner(CaseParticipantRecord Participant, bool CanMove, IReadOnlyList<CaseMessageRecord> Messages);

    /// <summary>The workspace; <see cref="Found"/> is false when the case does not exist for the reader.</summary>
    public sealed record Result(bool Found)
    {
        public FindPartners.Result Search { get; init; } = new(false);

        public CaseDetails Details => Search.Details!;

        /// <summary>The reader's roles in the case's workflow.</summary>
        public IReadOnlyList<WorkflowRole> Roles { get; init; } = [];

        /// <summary>The reader works on the case (notes, messages, partners), the case being open.</summary>
        public bool CanWrite { get; init; }

        public bool CanShortlist { get; init; }

        public bool CanMessage { get; init; }

        public IReadOnlyList<Partner> Partners { get; init; } = [];

        /// <summary>Messages about the case in general (not about one partner).</summary>
        public IReadOnlyList<CaseMessageRecord> GeneralMessages { get; init; } = [];
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var search = await findPartners.HandleAsync(request.Search, actor, cancellationToken);
        if (!search.Found || search.Details is not { } details)
        {
            return new Result(false);
        }

        var c = details.Case;
        var participants = details.Participants;
        return new Result(true)
        {
            Search = search,
            Roles = CaseRoles.Of(actor, c, participants),
            CanWrite = CaseAccess.CanWrite(actor, c, participants),
            CanShortlist = PartnerAccess.CanShortlist(actor, c, participants),
            CanMessage = PartnerAccess.CanMessage(actor, c, participants),
            Partners = [.. participants.Where(p => p.Role == ParticipantRole.Partner)
                .Select(p => new Partner(p, PartnerAccess.CanMove(actor, c, participants, p), [.. details.Messages.Where(m => m.ParticipantId == p.Id)]))],
            GeneralMessages = [.. details.Messages.Where(m => m.ParticipantId is null)],
        };
    }
}
