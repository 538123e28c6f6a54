using System.Globalization;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Migration;
using TIBS.Cases.Workflows.Runtime;
using TIBS.Cases.Workflows.Simulation;

namespace TIBS.Cases.Core.Migration;

/// <summary>Simulate moving the running cases of <paramref name="Key"/> from <paramref name="From"/> to <paramref name="To"/> on copies.</summary>
public sealed record SimulateMigrationRequest(string Key, int From, int To, IReadOnlyDictionary<string, string> Mappings, Actor Actor, int Seed = 1);

/// <summary>One copy of a running case: how the plan moves it, what it loses, and how its walks on the target version went.</summary>
public sealed record SimulatedCaseMigration(
    string CaseId,
    string Reference,
    string FromStep,
    string ToStep,
    IReadOnlyList<string> DroppedFields,
    bool RemindersReplanned,
    int Walks,
    int Stuck,
    IReadOnlyList<string> EndStates,
    IReadOnlyList<string> StuckIn)
{
    public bool LosesData => DroppedFields.Count > 0;

    public bool WouldGetStuck => Stuck > 0;
}

public sealed record SimulateMigrationResult(MigrationReviewStatus Status, string Message)
{
    /// <summary>The plan's problems when it is rejected (then nothing is simulated).</summary>
    public IReadOnlyList<MigrationPlanError> PlanErrors { get; init; } = [];

    public IReadOnlyList<SimulatedCaseMigration> Cases { get; init; } = [];

    /// <summary>Running cases of the source version not simulated because of <see cref="SimulateMigration.MaxCases"/>.</summary>
    public int NotSampled { get; init; }

    /// <summary>What the walks of all copies found on the target version.</summary>
    public SimulationReport? Report { get; init; }
}

/// <summary>
/// A migration dry run simulated on copies of the real running cases: the planner's plan is applied to copies in memory,
/// and each copy walks on at random on the target version. The report says which cases would get stuck and which lose
/// data (form fields dropped, reminders re-planned). Nothing is written: real cases keep their rows, versions and audit
/// chains (reading them is all this does).
/// </summary>
public sealed class SimulateMigration(CaseMigrationService migrations)
{
    /// <summary>The most cases copied in one simulation (the oldest first are taken as a sample beyond it).</summary>
    public const int MaxCases = 500;

    /// <summary>Random walks per copied case.</summary>
    public const int WalksPerCase = 3;

    public async Task<SimulateMigrationResult> HandleAsync(SimulateMigrationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (MigrationAccess.Refusal(request.Actor) is { } refusal)
        {
            return new SimulateMigrationResult(MigrationReviewStatus.Forbidden, refusal);
        }

        if (request.From == request.To)
        {
            return new SimulateMigrationResult(MigrationReviewStatus.Invalid, Localized.Format("Choose two different versions: cases on version {0} are already on it.", request.From));
        }

        PreparedMigration prepared;
        try
        {
            prepared = await migrations.PrepareAsync(request.Key, request.From, request.To, request.Mappings, cancellationToken);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
        {
            return new SimulateMigrationResult(MigrationReviewStatus.Invalid, ex.Message);
        }

        if (!prepared.Plan.IsValid)
        {
            return new SimulateMigrationResult(MigrationReviewStatus.Reviewed, Localized.Text("The plan is rejected, so nothing was simulated; fix the mappings first.")) { PlanErrors = prepared.Plan.Errors };
        }

        var simulator = WorkflowSimulator.For(prepared.ToPlan, new SimulationOptions { Seed = request.Seed });
        var copies = new List<SimulatedCaseMigration>();
        var sample = prepared.Plan.Cases.Take(MaxCases).ToList();
        foreach (var m in sample)
        {
            var c = prepared.Details[m.CaseId].Case;
            var copy = new CaseSnapshot(m.ToStep, m.OnHold);
            var ends = new List<WalkEnd>();
            for (var i = 0; i < WalksPerCase; i++)
            {
                ends.Add(await simulator.ContinueAsync(copy, c.StepStartedAt, cancellationToken));
            }

            var stuck = ends.Where(e => e.EndState is null).ToList();
            copies.Add(new SimulatedCaseMigration(
                m.CaseId, c.Reference, m.FromStep, m.ToStep, m.DroppedFields, m.Reminders == ReminderDecision.Recreated, ends.Count, stuck.Count,
                [.. ends.Where(e => e.EndState is not null).Select(e => e.EndState!).Distinct(StringComparer.Ordinal)],
                [.. stuck.Select(e => e.Path.Count > 0 ? e.Path[^1] : m.ToStep).Distinct(StringComparer.Ordinal)]));
        }

        var stuckCases = copies.Count(c => c.WouldGetStuck);
        var losing = copies.Count(c => c.LosesData);
        var message = Localized.Format(
            "{0} running case(s) copied and walked on version {1} ({2} walks each): {3} would get stuck, {4} would lose form data, {5} would have their reminders re-planned. No real case was changed.",
            copies.Count, request.To, WalksPerCase, stuckCases, losing, copies.Count(c => c.RemindersReplanned));
        return new SimulateMigrationResult(MigrationReviewStatus.Reviewed, message)
        {
            Cases = copies,
            NotSampled = prepared.Plan.Cases.Count - sample.Count,
            Report = simulator.Report(copies.Count * WalksPerCase),
        };
    }
}
