using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Simulation;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>The simulation runs the parallel partner tracks of a step and decides their join like the runtime does.</summary>
public sealed class SimulationTrackTests
{
    private static Task<SimulationReport> Simulate(string yaml, int walks = 100) =>
        WorkflowSimulator.RunAsync(WorkflowDefinitions.Compile(yaml), new SimulationOptions { Walks = walks, Seed = 11 });

    [Fact]
    public async Task Walks_reach_both_join_outcomes_and_every_track_end()
    {
        var report = await Simulate(TrackDefinition.Yaml());

        var joins = report.Joins.Where(j => j.StepKey == "expressions").ToList();
        Assert.Equal(["partner-found", "back-to-matching"], joins.Select(j => j.Outcome));
        Assert.All(joins, j => Assert.True(j.Fired > 0, $"The join '{j.When}' never fired."));
        Assert.Empty(report.NeverJoined);
        Assert.Equal(joins.Sum(j => j.Fired), report.Outcomes.Where(o => o.StepKey == "expressions" && o.Key is "partner-found" or "back-to-matching").Sum(o => o.Taken));

        var ends = report.TrackEnds.Where(e => e.StepKey == "expressions" && e.Kind != "cancelled").ToDictionary(e => e.Key, e => e.Tracks);
        Assert.True(ends["agreed"] > 0);
        Assert.True(ends["declined"] > 0);
        Assert.True(ends["no-answer"] > 0, "No track ran into its 20-business-day timer.");
        Assert.Contains(report.Timers, t => t.StepKey == "expressions" && t.Kind == "track timer" && t.Description.Contains("no-answer", StringComparison.Ordinal));
        Assert.True(report.EndStates.Single(e => e.Key == "completed").Walks > 0);
    }

    [Fact]
    public async Task Tracks_still_open_when_the_join_fires_are_reported_as_cancelled_in_their_state()
    {
        var report = await Simulate(TrackDefinition.Yaml());

        // "at least one agreed" fires while other partners are still contacted or interested.
        Assert.Contains(report.TrackEnds, e => e.StepKey == "expressions" && e.Kind == "cancelled" && e.Key is "contacted" or "interested" && e.Tracks > 0);
    }

    [Fact]
    public async Task A_join_asking_for_more_partners_than_a_step_ever_has_is_reported_as_never_fired()
    {
        var yaml = TrackDefinition.Yaml().Replace("tracks.agreed >= 1", "tracks.agreed >= 5", StringComparison.Ordinal);

        var report = await Simulate(yaml);

        var never = Assert.Single(report.NeverJoined);
        Assert.Equal("tracks.agreed >= 5", never.When);
        Assert.Equal("partner-found", never.Outcome);
        Assert.NotEmpty(never.Reasons);
        Assert.True(report.HasFindings);
        var outcome = Assert.Single(report.NeverPossible, o => o.Key == "partner-found");
        Assert.Contains(outcome.Reasons, r => r.Reason.StartsWith("The join rule 'tracks.agreed >= 5' did not hold", StringComparison.Ordinal));
        Assert.Contains("PROBLEM: join rules that never fired:", SimulationText.Format(report), StringComparison.Ordinal);
        Assert.Equal(0, report.EndStates.Single(e => e.Key == "completed").Walks);
    }

    [Fact]
    public async Task The_broker_never_takes_a_join_outcome_by_hand()
    {
        var yaml = TrackDefinition.Yaml().Replace("tracks.agreed >= 1", "tracks.agreed >= 5", StringComparison.Ordinal);

        var report = await Simulate(yaml);

        Assert.Equal(0, report.Outcomes.Single(o => o.StepKey == "expressions" && o.Key == "partner-found").Taken);
    }
}
