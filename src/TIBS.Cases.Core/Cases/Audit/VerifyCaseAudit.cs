namespace TIBS.Cases.Core.Cases;

/// <summary>Checks a case's audit chain: every event there, in order, unaltered. For those who may read the case.</summary>
internal sealed class VerifyCaseAudit(ICaseStore cases)
{
    public sealed record Request(Guid CaseId);

    /// <summary>The verification, or null when the case does not exist or is not the actor's to read.</summary>
    public async Task<AuditVerification?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = await cases.GetAsync(request.CaseId, cancellationToken);
        if (record is null || !CaseAccess.CanRead(actor, record, await cases.GetParticipantsAsync(record.Id, cancellationToken)))
        {
            return null;
        }

        return AuditChain.Verify(record, await cases.GetEventsAsync(record.Id, cancellationToken));
    }
}
