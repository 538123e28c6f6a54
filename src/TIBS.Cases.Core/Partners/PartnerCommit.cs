using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Partners;

/// <summary>Commits a partner command's write (case change, audit event and outbox together) and reports a conflict as one.</summary>
internal static class PartnerCommit
{
    public static async Task<CaseCommandResult> CommitAsync(ICaseStore cases, CaseWrite write, string message, CancellationToken cancellationToken)
    {
        try
        {
            await cases.CommitAsync(write, cancellationToken);
            return new CaseCommandResult(CaseCommandStatus.Done, message) { Case = write.Case };
        }
        catch (ConcurrencyConflictException)
        {
            return CaseCommandResult.Conflict(await cases.GetAsync(write.Case.Id, cancellationToken));
        }
    }
}
