// Longer than 400 lines because one random walk (time, facts, forms, timers, holds and the runtime's answers) reads best in one place.
using Bogus;
using TIBS.Cases.Workflows.Calendars;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Workflows.Simulation;

/// <summary>
/// Tries a definition version without touching real cases: random walks (seeded, so the same seed gives the same walks)
/// or one scripted walk through the same <see cref="WorkflowRuntime"/> real cases use, with conditions decided by the
/// same rules (<see cref="CaseFactConditions"/>, <see cref="FormConditions"/>) over simulated facts, forms filled with
/// generated data the real <see cref="FormValidator"/> accepts and a fake clock. No I/O.
/// </summary>
public sealed class WorkflowSimulator
{
    private const string SimulatedReason = "Simulated reason.";
    private const int MaxWaits = 3;
    private const double HoldChance = 0.05;
    private const double WithdrawChance = 0.02;
    private const double WaitChance = 0.35;

    private readonly WorkflowPlan _plan;
    private readonly WorkflowRuntime _runtime;
    private readonly SimulationOptions _options;
    private readonly Faker _faker;
    private readonly SimulatedForms _forms;
    private readonly ITaxonomyLookup _taxonomies;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<TimerDefinition>> _timers;
    private readonly Tally _tally = new();
    private readonly SimulatedTracks _tracks;

    private WorkflowSimulator(WorkflowPlan plan, SimulationOptions options)
    {
        _plan = plan;
        _runtime = new WorkflowRuntime(plan);
        _options = options;
        _faker = new Faker { Random = new Randomizer(options.Seed) };
        var codes = options.TaxonomyCodes ?? SimulationTaxonomies.Sample;
        _forms = new SimulatedForms(_faker, codes);
        _tracks = new SimulatedTracks(_faker);
        _taxonomies = SimulationTaxonomies.Lookup(codes);
        _timers = plan.Document.Stages.SelectMany(s => s.Steps).ToDictionary(s => s.Key, s => s.Timers, StringComparer.Ordinal);
    }

    /// <summary>Runs the walks <paramref name="options"/> ask for on <paramref name="plan"/> and reports what they found.</summary>
    public static async Task<SimulationReport> RunAsync(WorkflowPlan plan, SimulationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        options ??= new SimulationOptions();
        if (options.Walks is < 1 or > SimulationOptions.MaxWalks && options.Script is null)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Walks, $"The number of walks must be from 1 to {SimulationOptions.MaxWalks}.");
        }

        var simulator = new WorkflowSimulator(plan, options);
        ScriptedWalkResult? script = null;
        if (options.Script is { } walk)
        {
            script = await simulator.ScriptAsync(walk, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            for (var i = 0; i < options.Walks; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await simulator.WalkAsync(options.Start, new SimulatedCase(simulator._faker), cancellationToken).ConfigureAwait(false);
            }
        }

        return simulator._tally.Report(plan, options.Script is null ? options.Walks : 1, options.Seed, script);
    }

    /// <summary>
    /// Continues one case from <paramref name="snapshot"/> (a copy: nothing outside is changed) with one random walk; the
    /// tally of all continued walks is read with <see cref="Report"/>.
    /// </summary>
    public static WorkflowSimulator For(WorkflowPlan plan, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new WorkflowSimulator(plan, options ?? new SimulationOptions());
    }

    /// <summary>Walks on from <paramref name="snapshot"/>, whose step started at <paramref name="stepStartedAt"/>; the walk's end (an end state key, or null when stuck or cut off).</summary>
    public Task<WalkEnd> ContinueAsync(CaseSnapshot snapshot, DateTimeOffset stepStartedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return WalkAsync(stepStartedAt, new SimulatedCase(_faker), cancellationToken, snapshot);
    }

    /// <summary>What the walks continued with <see cref="ContinueAsync"/> found so far.</summary>
    public SimulationReport Report(int walks) => _tally.Report(_plan, walks, _options.Seed, null);

    private async Task<WalkEnd> WalkAsync(DateTimeOffset start, SimulatedCase world, CancellationToken cancellationToken, CaseSnapshot? from = null)
    {
        var snapshot = from ?? _runtime.Start();
        if (snapshot.OnHold)
        {
            snapshot = (await _runtime.ApplyCaseActionAsync(snapshot, ResumeKey() ?? "", SimulatedReason, cancellationToken).ConfigureAwait(false)) is { Succeeded: true } r ? r.After : snapshot;
        }

        var clock = start;
        var path = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        while (_plan.TryGetStep(snapshot.State, out var step))
        {
            if (path.Count >= _options.MaxStepsPerWalk)
            {
                _tally.CutOff++;
                _tally.Lengths.Add(path.Count);
                return new WalkEnd(null, path, "cut off");
            }

            path.Add(step.Key);
            _tally.Visit(step.Key, visited.Add(step.Key));
            var stepStart = clock;
            var leave = stepStart + TimeInStep(step);
            clock = leave;

            if (_plan.GetCaseAction(CaseActionKind.Hold) is { } hold && ResumeKey() is { } resume && _faker.Random.Bool((float)HoldChance))
            {
                var held = await _runtime.ApplyCaseActionAsync(snapshot, hold.Key, SimulatedReason, cancellationToken).ConfigureAwait(false);
                if (held.Succeeded)
                {
                    _tally.Holds++;
                    clock += TimeSpan.FromDays(_faker.Random.Int(1, 30));
                    snapshot = (await _runtime.ApplyCaseActionAsync(held.After, resume, SimulatedReason, cancellationToken).ConfigureAwait(false)).After;
                }
            }

            // The step's tracks run in parallel; the first join rule that holds takes its outcome as the system.
            var run = step.Tracks is { } tracks ? _tracks.Run(tracks, stepStart) : null;
            if (run?.Joined is not null)
            {
                clock = run.At;
            }

            // An acting timer that takes an outcome moves the case when it fires, if the step is still open then.
            var acted = await ActingTimersAsync(step, snapshot, world, stepStart, clock, start, cancellationToken).ConfigureAwait(false);
            if (acted is not null)
            {
                clock = acted.Value.At;
                RecordNotices(step, stepStart, clock, start);
                snapshot = acted.Value.After;
                continue;
            }

            if (run is not null && await JoinAsync(step, snapshot, world, run, stepStart, start, cancellationToken).ConfigureAwait(false) is { } joined)
            {
                snapshot = joined;
                continue;
            }

            var (decision, unmetEverything) = await DecideAsync(step, snapshot, world, stepStart, clock, cancellationToken).ConfigureAwait(false);
            clock = decision.At;
            RecordNotices(step, stepStart, clock, start);
            if (decision.Outcome is null)
            {
                if (_plan.CaseActions.FirstOrDefault(a => a.Target is not null && a.Kind == CaseActionKind.Withdraw) is { } withdraw
                    && await _runtime.ApplyCaseActionAsync(snapshot, withdraw.Key, SimulatedReason, cancellationToken).ConfigureAwait(false) is { Succeeded: true } withdrawn)
                {
                    _tally.Block(step.Key, unmetEverything);
                    snapshot = withdrawn.After;
                    continue;
                }

                _tally.Dead(step.Key, path, unmetEverything);
                _tally.Lengths.Add(path.Count);
                return new WalkEnd(null, path, "stuck");
            }

            if (_faker.Random.Bool((float)WithdrawChance)
                && _plan.CaseActions.FirstOrDefault(a => a.Kind == CaseActionKind.Withdraw) is { } w
                && await _runtime.ApplyCaseActionAsync(snapshot, w.Key, SimulatedReason, cancellationToken).ConfigureAwait(false) is { Succeeded: true } gone)
            {
                snapshot = gone.After;
                continue;
            }

            var outcome = decision.Outcome;
            var done = await _runtime.CompleteStepAsync(snapshot, outcome.Key, Evaluator(world, decision.Values, stepStart, clock), SimulatedReason, cancellationToken).ConfigureAwait(false);
            if (!done.Succeeded)
            {
                throw new InvalidOperationException($"The runtime refused an outcome it offered: {done.Message}");
            }

            _tally.Take(outcome);
            world.Record(step.Key, decision.Values);
            snapshot = done.After;
        }

        _tally.End(snapshot.State);
        _tally.Lengths.Add(path.Count);
        return new WalkEnd(snapshot.State, path, "ended");
    }

    private string? ResumeKey() => _plan.GetCaseAction(CaseActionKind.Resume)?.Key;

    private TimeSpan TimeInStep(PlanStep step)
    {
        var due = step.Due is { } d ? d.AddTo(_options.Start) - _options.Start : TimeSpan.FromDays(14);
        var late = step.Escalation is { } e ? e.After.AddTo(_options.Start) - _options.Start : due * 2;
        var days = _faker.Random.Bool(0.8f)
            ? _faker.Random.Double(0.1, Math.Max(0.2, due.TotalDays))
            : _faker.Random.Double(due.TotalDays, Math.Max(due.TotalDays + 1, late.TotalDays * 1.5));
        return TimeSpan.FromDays(days);
    }

    private ICaseConditionEvaluator Evaluator(SimulatedCase world, IReadOnlyDictionary<string, FieldValue> values, DateTimeOffset stepStart, DateTimeOffset now)
    {
        var facts = world.Facts(values, stepStart, now);
        return ConditionEvaluators.From(check => CaseFactConditions.Evaluate(check, facts));
    }

    private readonly record struct Decision(PlanOutcome? Outcome, IReadOnlyDictionary<string, FieldValue> Values, DateTimeOffset At);

    // Up to MaxWaits times: fill the form, evolve the facts, ask the runtime what is possible; wait if nothing is.
    private async Task<(Decision Decision, IReadOnlyList<string> Unmet)> DecideAsync(
        PlanStep step, CaseSnapshot snapshot, SimulatedCase world, DateTimeOffset stepStart, DateTimeOffset now, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> reasons = [];
        for (var attempt = 0; ; attempt++)
        {
            world.Evolve();
            world.RecordCheckIns(_plan, step, stepStart, now, retryMissed: attempt > 0);
            var values = Fill(step.Fields, now, null);
            var actions = await _runtime.GetActionsAsync(snapshot, Evaluator(world, values, stepStart, now), cancellationToken).ConfigureAwait(false);
            var outcomes = actions.Where(a => a.Kind == ActionKind.Outcome && !IsJoinOutcome(step, a.Key)).ToList();
            var allowed = outcomes.Where(a => a.IsAllowed).ToList();
            // Sometimes people wait for an outcome that is not possible yet (a partner's answer, the last check-in)
            // rather than take one that is: so both sides of every condition get explored.
            var waitForMore = allowed.Count < outcomes.Count && _faker.Random.Bool((float)WaitChance);
            if ((allowed.Count > 0 && !waitForMore) || attempt == MaxWaits)
            {
                foreach (var a in outcomes)
                {
                    _tally.Offer(step, a);
                }

                reasons = [.. outcomes.SelectMany(a => a.Unmet.Select(u => $"{a.Label}: {u.Reason}")).Distinct(StringComparer.Ordinal)];
                var chosen = allowed.Count == 0 ? null : step.Outcome(_faker.PickRandom(allowed).Key);
                return (new Decision(chosen, values, now), reasons);
            }

            now = NextChance(step, stepStart, now);
        }
    }

    // When to look again: when a not-before date or the last check-in falls due, or a due period later.
    private DateTimeOffset NextChance(PlanStep step, DateTimeOffset stepStart, DateTimeOffset now)
    {
        var dates = step.Outcomes.SelectMany(o => o.Conditions)
            .Where(c => c.Name == ConditionCatalog.NotBefore)
            .Select(c => _plan.NotBefore(step.Key, c, stepStart))
            .Concat(_plan.CheckInsFor(step.Key).SelectMany(c => c.Occurrences(stepStart)).TakeLast(1))
            .Where(d => d > now)
            .ToList();
        var later = step.Due is { } due ? due.AddTo(now) : now.AddDays(14);
        return dates.Count > 0 ? dates.Max() : later;
    }

    private IReadOnlyDictionary<string, FieldValue> Fill(IReadOnlyList<PlanField> fields, DateTimeOffset now, IReadOnlyDictionary<string, IReadOnlyList<string>>? given)
    {
        var result = FormValidator.Validate(fields, _forms.Generate(fields, now, given), _taxonomies);
        if (!result.IsValid && given is null)
        {
            throw new InvalidOperationException("Generated form data was refused: " + string.Join(" ", result.Errors));
        }

        return result.Values;
    }

    private async Task<(DateTimeOffset At, CaseSnapshot After)?> ActingTimersAsync(
        PlanStep step, CaseSnapshot snapshot, SimulatedCase world, DateTimeOffset stepStart, DateTimeOffset leave, DateTimeOffset caseStart, CancellationToken cancellationToken)
    {
        var timers = _timers.GetValueOrDefault(step.Key) ?? [];
        var calendar = WorkingCalendars.ForCountry(world.LeadCountry);
        DateTimeOffset? FiresAt(TimerDefinition t) => _options.TimerFiresAt is { } given ? given(t, stepStart) : SimulatedTimers.FiresAt(t, stepStart, calendar);
        foreach (var (timer, index) in timers.Select((t, i) => (t, i)).OrderBy(x => FiresAt(x.t) ?? DateTimeOffset.MaxValue))
        {
            if (FiresAt(timer) is not { } at)
            {
                _tally.Timer(step.Key, "timer (not simulated)", Localized.Format("{0} after {1}", timer.Action, timer.After), 0, 0);
                continue;
            }

            if (at > leave)
            {
                break;
            }

            var what = timer.Action + (timer.Outcome is null ? "" : $": {timer.Outcome}") + (timer.To is null ? "" : $" → {timer.To}");
            _tally.Timer(step.Key, "timer", Localized.Format("Timer {0} ({1}) after {2} ({3} calendar)", index + 1, what, timer.After, world.LeadCountry), (at - stepStart).TotalDays, (at - caseStart).TotalDays);
            if (timer.Action == "outcome" && step.Outcome(timer.Outcome ?? "") is { } outcome)
            {
                var values = Fill(step.Fields, at, null);
                var done = await _runtime.CompleteStepAsync(snapshot, outcome.Key, Evaluator(world, values, stepStart, at), SimulatedReason, cancellationToken).ConfigureAwait(false);
                if (done.Succeeded)
                {
                    _tally.Take(outcome);
                    world.Record(step.Key, values);
                    return (at, done.After);
                }
            }
        }

        return null;
    }

    private static bool IsJoinOutcome(PlanStep step, string outcomeKey) => step.Tracks?.Join.Any(j => j.Outcome == outcomeKey) == true;

    // The join outcome is taken by the system when the join fired; its own conditions are checked as for a person.
    private async Task<CaseSnapshot?> JoinAsync(PlanStep step, CaseSnapshot snapshot, SimulatedCase world, TrackRun run, DateTimeOffset stepStart, DateTimeOffset caseStart, CancellationToken cancellationToken)
    {
        _tally.Tracks(step, step.Tracks!, run);
        foreach (var move in run.TimerMoves)
        {
            _tally.Timer(step.Key, "track timer", Localized.Format("{0} ({1} calendar)", move.Timer, run.Country), (move.At - stepStart).TotalDays, (move.At - caseStart).TotalDays);
        }

        if (run.Joined is not { } join || step.Outcome(join.Outcome) is not { } outcome)
        {
            return null;
        }

        var values = Fill(step.Fields, run.At, null);
        var done = await _runtime.CompleteStepAsync(snapshot, outcome.Key, Evaluator(world, values, stepStart, run.At), SimulatedReason, cancellationToken).ConfigureAwait(false);
        if (!done.Succeeded)
        {
            return null;
        }

        _tally.Take(outcome);
        world.Record(step.Key, values);
        return done.After;
    }

    private void RecordNotices(PlanStep step, DateTimeOffset stepStart, DateTimeOffset leave, DateTimeOffset caseStart)
    {
        // Acting timers are counted where they act (ActingTimersAsync), on the simulated case's own calendar.
        foreach (var notice in _plan.ScheduleFor(step.Key, stepStart).Where(n => n.Kind != NoticeKind.Timer && n.At <= leave))
        {
            _tally.Timer(step.Key, notice.Kind.ToString(), notice.Description, (notice.At - stepStart).TotalDays, (notice.At - caseStart).TotalDays);
        }
    }

    private async Task<ScriptedWalkResult> ScriptAsync(ScriptedWalk walk, CancellationToken cancellationToken)
    {
        var world = new SimulatedCase(_faker, favourable: true);
        var start = _options.Start;
        var snapshot = _runtime.Start();
        var clock = start;
        var stepStart = clock;
        var entries = new List<ScriptedStepResult>();
        _tally.Visit(snapshot.State, true);
        for (var i = 0; i < walk.Entries.Count; i++)
        {
            var entry = walk.Entries[i];
            if (!_plan.TryGetStep(snapshot.State, out var step))
            {
                entries.Add(new ScriptedStepResult(i + 1, snapshot.State, entry.Outcome ?? entry.Action ?? "", false, Localized.Format("The case has already ended ({0}).", snapshot.State), Days(clock, start)));
                return new ScriptedWalkResult(entries, snapshot.State, false);
            }

            clock += entry.Days is { } days ? TimeSpan.FromDays(days) : DefaultTime(step, stepStart, clock);
            RecordNotices(step, stepStart, clock, start);
            TransitionResult result;
            if (entry.Action is { } action)
            {
                result = await _runtime.ApplyCaseActionAsync(snapshot, action, entry.Reason ?? SimulatedReason, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                world.RecordCheckIns(_plan, step, stepStart, clock, retryMissed: true);
                var form = FormValidator.Validate(step.Fields, _forms.Generate(step.Fields, clock, entry.Values), _taxonomies);
                if (!form.IsValid)
                {
                    entries.Add(new ScriptedStepResult(i + 1, step.Key, entry.Outcome!, false, string.Join(" ", form.Errors), Days(clock, start)));
                    return new ScriptedWalkResult(entries, snapshot.State, false);
                }

                result = await _runtime.CompleteStepAsync(snapshot, entry.Outcome!, Evaluator(world, form.Values, stepStart, clock), entry.Reason ?? SimulatedReason, cancellationToken).ConfigureAwait(false);
                if (result.Succeeded && step.Outcome(entry.Outcome!) is { } taken)
                {
                    _tally.Take(taken);
                }
            }

            entries.Add(new ScriptedStepResult(i + 1, step.Key, entry.Outcome ?? entry.Action!, result.Succeeded, result.Message, Days(clock, start)));
            if (!result.Succeeded)
            {
                return new ScriptedWalkResult(entries, snapshot.State, false);
            }

            if (result.StateChanged)
            {
                stepStart = clock;
                if (_plan.IsStep(result.After.State))
                {
                    _tally.Visit(result.After.State, true);
                }
            }

            snapshot = result.After;
        }

        if (_plan.IsEndState(snapshot.State))
        {
            _tally.End(snapshot.State);
        }

        _tally.Lengths.Add(entries.Count);
        return new ScriptedWalkResult(entries, snapshot.State, true);
    }

    private TimeSpan DefaultTime(PlanStep step, DateTimeOffset stepStart, DateTimeOffset clock)
    {
        var target = step.Due is { } due ? due.AddTo(stepStart) : clock.AddDays(1);
        foreach (var c in step.Outcomes.SelectMany(o => o.Conditions).Where(c => c.Name == ConditionCatalog.NotBefore))
        {
            var from = _plan.NotBefore(step.Key, c, stepStart);
            target = from > target ? from : target;
        }

        return target > clock ? target - clock : TimeSpan.Zero;
    }

    private static double Days(DateTimeOffset at, DateTimeOffset start) => Math.Round((at - start).TotalDays, 1);
}

/// <summary>How a continued walk ended: its end state (null when stuck or cut off), the steps it went through, and how.</summary>
public sealed record WalkEnd(string? EndState, IReadOnlyList<string> Path, string How);
