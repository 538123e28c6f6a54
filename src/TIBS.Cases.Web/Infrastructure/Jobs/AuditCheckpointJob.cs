using Hangfire;
using TIBS.Cases.Core.Audit;

namespace TIBS.Cases.Web.Infrastructure.Jobs;

/// <summary>Recurring (every minute): signs a checkpoint of all case heads when events were added since the last one.</summary>
[DisableConcurrentExecution(timeoutInSeconds: 60)]
[AutomaticRetry(Attempts = 0)]
internal sealed class AuditCheckpointJob(AuditAnchoring anchoring, ILogger<AuditCheckpointJob> logger)
{
    public async Task<int?> RunAsync(CancellationToken cancellationToken)
    {
        var checkpoint = await anchoring.CheckpointAsync(cancellationToken);
        if (checkpoint is not null)
        {
            logger.LogInformation("Audit checkpoint {Seq} signed with key {KeyId}: {Moved} case head(s) moved, {Cases} anchored.",
                checkpoint.Seq, checkpoint.KeyId, checkpoint.Leaves.Count, checkpoint.CaseCount);
        }

        return checkpoint?.Seq;
    }
}
