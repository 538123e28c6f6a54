using Stateless;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Runtime;

/// <summary>
/// Progresses cases of one plan. For every call a Stateless <c>StateMachine&lt;string, string&gt;</c> is
/// built over the given <see cref="CaseSnapshot"/> (external state accessor and mutator): stages are
/// superstates, outcomes are triggers <c>&lt;step&gt;:&lt;outcome&gt;</c> guarded by their named conditions,
/// case actions are triggers <c>*:&lt;action&gt;</c> on every stage. Conditions are evaluated (possibly
/// asynchronously) before the machine is built; the guards read those answers. A machine is never shared,
/// so an instance of this class is safe to use from many threads.
/// </summary>
public sealed class WorkflowRuntime(WorkflowPlan plan)
{
    /// <summary>Guard name shown when the case is on hold.</summary>
    public const string NotOnHoldGuard = "not-on-hold";

    /// <summary>Guard name of the resume action.</summary>
    public const string OnHoldGuard = "on-hold";

    /// <summary>Guard name of actions possible at any time while the case is active (reassign).</summary>
    public const string AlwaysGuard = "always";

    public WorkflowPlan Plan { get; } = plan ?? throw new ArgumentNullException(nameof(plan));

    /// <summary>The state of a new case: the start step, not on hold.</summary>
    public CaseSnapshot Start() => new(Plan.StartStep.Key);

    /// <summary>The role that completes the current step, or null when the case has ended.</summary>
    public WorkflowRole? WhoMayComplete(CaseSnapshot snapshot)
    {
        EnsureKnown(snapshot);
        return Plan.TryGetStep(snapshot.State, out var step) ? step.Role : null;
    }

    /// <summary>The roles that may use a case action (empty when there is no such action).</summary>
    public IReadOnlyList<WorkflowRole> WhoMayApply(string actionKey) => Plan.GetCaseAction(actionKey)?.Roles ?? [];

    /// <summary>
    /// Everything that could be done with the case now: every outcome of the current step and every case
    /// action, each allowed or not, with the unmet conditions in words. Empty when the case has ended.
    /// </summary>
    public async Task<IReadOnlyList<AvailableAction>> GetActionsAsync(CaseSnapshot snapshot, ICaseConditionEvaluator evaluator, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        EnsureKnown(snapshot);
        if (!Plan.TryGetStep(snapshot.State, out var step))
        {
            return [];
        }

        var answers = await EvaluateAsync(step, step.Outcomes, evaluator, cancellationToken).ConfigureAwait(false);
        var box = new StateBox(snapshot);
        var machine = Build(box, answers, from: step);
        var permitted = (await machine.GetPermittedTriggersAsync().ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);

        var actions = new List<AvailableAction>();
        foreach (var outcome in step.Outcomes)
        {
            var unmet = Unmet(outcome, answers);
            if (snapshot.OnHold)
            {
                unmet.Insert(0, new UnmetCondition(NotOnHoldGuard, Localized.Text("The case is on hold; resume it first.")));
            }

            actions.Add(new AvailableAction(ActionKind.Outcome, outcome.Key, outcome.Label, outcome.Trigger, outcome.Target,
                [step.Role], permitted.Contains(outcome.Trigger), unmet, outcome.RequiresReason));
        }

        foreach (var action in Plan.CaseActions)
        {
            var allowed = permitted.Contains(action.Trigger);
            IReadOnlyList<UnmetCondition> unmet = allowed ? [] : [WhyNot(action, snapshot)];
            actions.Add(new AvailableAction(ActionKind.CaseAction, action.Key, action.Label, action.Trigger, action.Target,
                action.Roles, allowed, unmet, action.RequiresReason));
        }

        return actions;
    }

    /// <summary>Completes the current step with one of its outcomes, if its conditions are met.</summary>
    public Task<TransitionResult> CompleteStepAsync(CaseSnapshot snapshot, string outcomeKey, ICaseConditionEvaluator evaluator, CancellationToken cancellationToken = default) =>
        CompleteStepAsync(snapshot, outcomeKey, evaluator, null, cancellationToken);

    /// <summary>
    /// Completes the current step with one of its outcomes, if its conditions are met; an outcome that requires a reason
    /// (<c>requires-reason: true</c>) is refused without <paramref name="reason"/>.
    /// </summary>
    public async Task<TransitionResult> CompleteStepAsync(CaseSnapshot snapshot, string outcomeKey, ICaseConditionEvaluator evaluator, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        EnsureKnown(snapshot);
        if (!Plan.TryGetStep(snapshot.State, out var step))
        {
            return Refused(TransitionStatus.CaseClosed, snapshot, outcomeKey, Localized.Format("The case has ended ({0}); nothing more can be done.", snapshot.State));
        }

        var outcome = step.Outcome(outcomeKey);
        if (outcome is null)
        {
            return Refused(TransitionStatus.UnknownAction, snapshot, outcomeKey,
                Localized.Format("Step '{0}' has no outcome '{1}'; its outcomes are: {2}.", step.Name, outcomeKey, string.Join(", ", step.Outcomes.Select(o => o.Key))));
        }

        if (snapshot.OnHold)
        {
            return Refused(TransitionStatus.OnHold, snapshot, outcome.Trigger, Localized.Format("The case is on hold; resume it before completing '{0}'.", step.Name));
        }

        if (outcome.RequiresReason && string.IsNullOrWhiteSpace(reason))
        {
            return Refused(TransitionStatus.ReasonRequired, snapshot, outcome.Trigger, Localized.Format("'{0}' needs a reason: say why.", outcome.Label));
        }

        var answers = await EvaluateAsync(step, [outcome], evaluator, cancellationToken).ConfigureAwait(false);
        var box = new StateBox(snapshot);

        // The case is not on hold (refused above) and the outcome's trigger is its own: whether it may fire and where it
        // leads depend on its own guards only, so the machine holds the step with that outcome and nothing else.
        var machine = Build(box, answers, includeCaseActions: false, from: step, only: outcome);
        if (!(await machine.GetPermittedTriggersAsync().ConfigureAwait(false)).Contains(outcome.Trigger))
        {
            var unmet = Unmet(outcome, answers);
            var message = Localized.Format("'{0}' is not possible yet: {1}", outcome.Label, string.Join("; ", unmet.Select(u => u.Reason)));
            return Refused(TransitionStatus.ConditionsNotMet, snapshot, outcome.Trigger, message) with { Unmet = unmet };
        }

        await machine.FireAsync(outcome.Trigger).ConfigureAwait(false);
        return Done(snapshot, box, outcome.Trigger, Localized.Format("'{0}' completed: {1}.", step.Name, outcome.Label));
    }

    /// <summary>Applies a case-wide action (hold, resume, withdraw, reassign) by its key.</summary>
    public async Task<TransitionResult> ApplyCaseActionAsync(CaseSnapshot snapshot, string actionKey, string? reason = null, CancellationToken cancellationToken = default)
    {
        EnsureKnown(snapshot);
        cancellationToken.ThrowIfCancellationRequested();
        var action = Plan.GetCaseAction(actionKey);
        if (action is null)
        {
            return Refused(TransitionStatus.UnknownAction, snapshot, actionKey,
                Localized.Format("There is no case action '{0}'; the case actions are: {1}.", actionKey, string.Join(", ", Plan.CaseActions.Select(a => a.Key))));
        }

        if (Plan.IsEndState(snapshot.State))
        {
            return Refused(TransitionStatus.CaseClosed, snapshot, action.Trigger, Localized.Format("The case has ended ({0}); it cannot be changed any more.", snapshot.State));
        }

        if (action.RequiresReason && string.IsNullOrWhiteSpace(reason))
        {
            return Refused(TransitionStatus.ReasonRequired, snapshot, action.Trigger, Localized.Format("'{0}' needs a reason.", action.Label));
        }

        var box = new StateBox(snapshot);
        var machine = Build(box, Answers.None);
        if (!(await machine.GetPermittedTriggersAsync().ConfigureAwait(false)).Contains(action.Trigger))
        {
            return Refused(TransitionStatus.NotAllowed, snapshot, action.Trigger, WhyNot(action, snapshot).Reason);
        }

        await machine.FireAsync(action.Trigger).ConfigureAwait(false);
        return Done(snapshot, box, action.Trigger, Localized.Format("{0}: done.", action.Label));
    }

    /// <summary>Fires an action by its trigger (<c>&lt;step&gt;:&lt;outcome&gt;</c> or <c>*:&lt;action&gt;</c>), as a form would post it.</summary>
    public Task<TransitionResult> FireAsync(CaseSnapshot snapshot, string trigger, ICaseConditionEvaluator evaluator, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (trigger.StartsWith("*:", StringComparison.Ordinal))
        {
            return ApplyCaseActionAsync(snapshot, trigger[2..], reason, cancellationToken);
        }

        var outcome = Plan.FindOutcomeByTrigger(trigger);
        if (outcome is null || outcome.StepKey != snapshot.State)
        {
            EnsureKnown(snapshot);
            return Task.FromResult(Plan.IsEndState(snapshot.State)
                ? Refused(TransitionStatus.CaseClosed, snapshot, trigger, Localized.Format("The case has ended ({0}); nothing more can be done.", snapshot.State))
                : Refused(TransitionStatus.UnknownAction, snapshot, trigger, Localized.Format("'{0}' is not an action of step '{1}'.", trigger, snapshot.State)));
        }

        return CompleteStepAsync(snapshot, outcome.Key, evaluator, cancellationToken);
    }

    /// <summary>
    /// Builds the state machine for a snapshot with every guard met, e.g. to draw it. The machine owns
    /// its own copy of the state; use it on one thread only.
    /// </summary>
    /// <param name="snapshot">The state the machine starts in.</param>
    /// <param name="includeCaseActions">Whether to configure the case-wide actions on every stage.</param>
    public StateMachine<string, string> CreateMachine(CaseSnapshot snapshot, bool includeCaseActions = true)
    {
        EnsureKnown(snapshot);
        return Build(new StateBox(snapshot), Answers.AllMet, includeCaseActions);
    }

    /// <summary>Like <see cref="CreateMachine(CaseSnapshot, bool)"/>, with each guard described by <paramref name="guardName"/>.</summary>
    internal StateMachine<string, string> CreateMachine(CaseSnapshot snapshot, bool includeCaseActions, Func<PlanCondition, string> guardName)
    {
        EnsureKnown(snapshot);
        return Build(new StateBox(snapshot), Answers.AllMet, includeCaseActions, guardName);
    }

    /// <summary>
    /// The machine of the plan. With <paramref name="from"/> (a command or the question what may be done now) only that
    /// step and its stage are configured: the plan's transitions have no entry or exit actions, so what may be fired
    /// from the step and where it leads depend on nothing else, and a machine of one step is built in a fraction of
    /// the time and memory of the whole plan's. Without it (diagrams) every state is configured. With
    /// <paramref name="only"/> the step is configured with that outcome alone.
    /// </summary>
    private StateMachine<string, string> Build(
        StateBox box, Answers answers, bool includeCaseActions = true, Func<PlanCondition, string>? guardName = null, PlanStep? from = null, PlanOutcome? only = null)
    {
        var machine = new StateMachine<string, string>(() => box.State, s => box.State = s);
        var onHoldAtBuild = box.OnHold;
        foreach (var stage in from is null ? Plan.Stages : [Plan.GetStage(from.StageKey)])
        {
            var configuration = machine.Configure(stage.StateName);
            foreach (var action in includeCaseActions ? Plan.CaseActions : [])
            {
                switch (action.Kind)
                {
                    case CaseActionKind.Hold:
                        configuration.InternalTransitionIf(action.Trigger, _ => !box.OnHold, () => box.OnHold = true, NotOnHoldGuard);
                        break;
                    case CaseActionKind.Resume:
                        configuration.InternalTransitionIf(action.Trigger, _ => box.OnHold, () => box.OnHold = false, OnHoldGuard);
                        break;
                    case CaseActionKind.Withdraw:
                        configuration.Permit(action.Trigger, action.Target!);
                        break;
                    case CaseActionKind.Reassign:
                        // A named always-true guard, so diagrams do not label the edge "Function".
                        configuration.InternalTransitionIf(action.Trigger, _ => true, () => { }, AlwaysGuard);
                        break;
                }
            }
        }

        foreach (var step in from is null ? Plan.Steps : [from])
        {
            var configuration = machine.Configure(step.Key).SubstateOf(Plan.GetStage(step.StageKey).StateName);
            foreach (var outcome in only is null ? step.Outcomes : [only])
            {
                var guards = outcome.Conditions
                    .Select((condition, index) => new Tuple<Func<bool>, string>(() => answers.IsMet(outcome, index), guardName?.Invoke(condition) ?? condition.GuardName))
                    .ToList();
                if (onHoldAtBuild)
                {
                    guards.Add(new Tuple<Func<bool>, string>(() => !box.OnHold, NotOnHoldGuard));
                }

                var self = outcome.Target == step.Key;
                if (guards.Count == 0)
                {
                    if (self)
                    {
                        configuration.PermitReentry(outcome.Trigger);
                    }
                    else
                    {
                        configuration.Permit(outcome.Trigger, outcome.Target);
                    }
                }
                else if (self)
                {
                    configuration.PermitReentryIf(outcome.Trigger, [.. guards]);
                }
                else
                {
                    configuration.PermitIf(outcome.Trigger, outcome.Target, [.. guards]);
                }
            }
        }

        foreach (var end in from is null ? Plan.EndStates : [])
        {
            machine.Configure(end.Key);
        }

        return machine;
    }

    private async Task<Answers> EvaluateAsync(PlanStep step, IReadOnlyList<PlanOutcome> outcomes, ICaseConditionEvaluator evaluator, CancellationToken cancellationToken)
    {
        var results = new Dictionary<(string, int), ConditionResult>();
        foreach (var outcome in outcomes)
        {
            for (var i = 0; i < outcome.Conditions.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var check = new ConditionCheck(Plan, step, outcome, outcome.Conditions[i]);
                results[(outcome.Key, i)] = await evaluator.EvaluateAsync(check, cancellationToken).ConfigureAwait(false);
            }
        }

        return new Answers(results, defaultMet: false);
    }

    private static List<UnmetCondition> Unmet(PlanOutcome outcome, Answers answers)
    {
        var unmet = new List<UnmetCondition>();
        for (var i = 0; i < outcome.Conditions.Count; i++)
        {
            var result = answers.Get(outcome, i);
            if (!result.Met)
            {
                var condition = outcome.Conditions[i];
                var reason = string.IsNullOrWhiteSpace(result.UnmetReason) ? Localized.Format("Not yet: {0}.", condition.Description) : result.UnmetReason;
                unmet.Add(new UnmetCondition(condition.GuardName, reason));
            }
        }

        return unmet;
    }

    private static UnmetCondition WhyNot(PlanCaseAction action, CaseSnapshot snapshot) => action.Kind switch
    {
        CaseActionKind.Hold when snapshot.OnHold => new UnmetCondition(NotOnHoldGuard, Localized.Text("The case is already on hold.")),
        CaseActionKind.Resume when !snapshot.OnHold => new UnmetCondition(OnHoldGuard, Localized.Text("The case is not on hold.")),
        _ => new UnmetCondition(action.Key, Localized.Format("'{0}' is not possible now.", action.Label)),
    };

    private TransitionResult Done(CaseSnapshot before, StateBox box, string trigger, string message)
    {
        var ended = Plan.IsEndState(box.State);
        var after = new CaseSnapshot(box.State, !ended && box.OnHold);
        return new TransitionResult(TransitionStatus.Done, before, after, trigger, message) { Ended = ended };
    }

    private TransitionResult Refused(TransitionStatus status, CaseSnapshot snapshot, string trigger, string message) =>
        new(status, snapshot, snapshot, trigger, message) { Ended = Plan.IsEndState(snapshot.State) };

    private void EnsureKnown(CaseSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!Plan.Contains(snapshot.State))
        {
            throw new ArgumentException(
                $"'{snapshot.State}' is neither a step nor an end state of {Plan.Key} v{Plan.Version}; the case may belong to another version.",
                nameof(snapshot));
        }
    }

    private sealed class StateBox(CaseSnapshot snapshot)
    {
        public string State { get; set; } = snapshot.State;

        public bool OnHold { get; set; } = snapshot.OnHold;
    }

    private sealed class Answers(Dictionary<(string, int), ConditionResult> results, bool defaultMet)
    {
        public static Answers None { get; } = new([], defaultMet: false);

        public static Answers AllMet { get; } = new([], defaultMet: true);

        public ConditionResult Get(PlanOutcome outcome, int index) =>
            results.TryGetValue((outcome.Key, index), out var result) ? result : new ConditionResult(defaultMet, null);

        public bool IsMet(PlanOutcome outcome, int index) => Get(outcome, index).Met;
    }
}
