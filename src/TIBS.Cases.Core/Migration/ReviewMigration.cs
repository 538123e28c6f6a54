using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Migration;

/// <summary>Plan moving the running cases of <paramref name="Key"/> from version <paramref name="From"/> to <paramref name="To"/>, for review.</summary>
public sealed record ReviewMigrationRequest(string Key, int From, int To, IReadOnlyDictionary<string, string> Mappings, Actor Actor);

public enum MigrationReviewStatus
{
    /// <summary>The plan is ready to review (it may still be rejected: see <see cref="TIBS.Cases.Workflows.Migration.MigrationPlan.Errors"/>).</summary>
    Reviewed,
    Invalid,
    Forbidden,
}

public sealed record MigrationReviewResult(MigrationReviewStatus Status, string Message, MigrationReview? Review = null);

/// <summary>
/// The dry run a coordinator reviews before confirming a migration: per case, what would happen, and a fingerprint of
/// the plan so that only this plan can run. Nothing is written.
/// </summary>
public sealed class ReviewMigration(CaseMigrationService migrations)
{
    public async Task<MigrationReviewResult> HandleAsync(ReviewMigrationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (MigrationAccess.Refusal(request.Actor) is { } refusal)
        {
            return new MigrationReviewResult(MigrationReviewStatus.Forbidden, refusal);
        }

        if (request.From == request.To)
        {
            return new MigrationReviewResult(MigrationReviewStatus.Invalid, Localized.Format("Choose two different versions: cases on version {0} are already on it.", request.From));
        }

        try
        {
            var prepared = await migrations.PrepareAsync(request.Key, request.From, request.To, request.Mappings, cancellationToken);
            return new MigrationReviewResult(MigrationReviewStatus.Reviewed, "", MigrationReview.Of(prepared, request.From, request.To));
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
        {
            return new MigrationReviewResult(MigrationReviewStatus.Invalid, ex.Message);
        }
    }
}

/// <summary>Who may move running cases between versions: coordinators.</summary>
internal static class MigrationAccess
{
    public static string? Refusal(Actor actor) =>
        actor?.Role == WorkflowRole.Coordinator ? null : Localized.Text("Only coordinators move running cases between versions.");
}
