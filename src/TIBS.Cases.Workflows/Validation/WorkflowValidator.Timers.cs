using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Validation;

public static partial class WorkflowValidator
{
    private sealed partial class Run
    {
        /// <summary>Check-ins recur on the calendar: their periods are calendar durations, not business days.</summary>
        private IsoDuration? CalendarDaysOnly(IsoDuration? duration, string path, string what)
        {
            if (duration is { IsBusinessDays: true } d)
            {
                Error(path, Localized.Format("{0} is {1}; check-ins recur on the calendar, so use calendar days, weeks or months (e.g. P3M).", what, d.ToWords()));
                return null;
            }

            return duration;
        }

        /// <summary>
        /// The timers of a step: each with a duration, a known action and what that action needs (a role, an outcome of
        /// this step, a reason); reminders before escalations; nothing after a timer that leaves the step; no timers on a
        /// step without a way out.
        /// </summary>
        private void CheckTimers(StepDefinition step, string path)
        {
            if (step.Timers.Count == 0)
            {
                return;
            }

            if (step.Outcomes.Count == 0)
            {
                Error($"{path}.timers", Localized.Format("Step '{0}' has timers but no outcome: it is a step without a way out, so its timers could never move it on.", step.Key));
            }

            var durations = new IsoDuration?[step.Timers.Count];
            var actions = new TimerAction?[step.Timers.Count];
            for (var t = 0; t < step.Timers.Count; t++)
            {
                var timer = step.Timers[t];
                var timerPath = $"{path}.timers[{t}]";
                var what = Localized.Format("Timer {0} of step '{1}'", t + 1, step.Key);
                durations[t] = CheckDuration(timer.After, $"{timerPath}.after", what, required: true);
                if (string.IsNullOrWhiteSpace(timer.Action))
                {
                    Error($"{timerPath}.action", Localized.Format("{0} does not say what it does; add 'action:' ({1}).", what, string.Join(", ", TimerActions.Names)));
                    continue;
                }

                if (!TimerActions.TryParse(timer.Action, out var action))
                {
                    Error($"{timerPath}.action", Localized.Format("'{0}' is not a timer action{1}; use one of: {2}.", timer.Action, Hint(timer.Action, TimerActions.Names), string.Join(", ", TimerActions.Names)));
                    continue;
                }

                actions[t] = action;
                CheckTimerAction(step, timer, action, timerPath, what);
            }

            CheckTimerOrder(step, path, durations, actions);
        }

        private void CheckTimerAction(StepDefinition step, TimerDefinition timer, TimerAction action, string path, string what)
        {
            switch (action)
            {
                case TimerAction.Remind or TimerAction.Escalate:
                    if (timer.To is not null)
                    {
                        CheckRole(timer.To, $"{path}.to", what);
                    }

                    break;
                case TimerAction.Reassign:
                    CheckRole(timer.To, $"{path}.to", Localized.Format("{0} (reassign: to whom, by role, e.g. coordinator)", what));
                    break;
                case TimerAction.Outcome:
                    CheckTimerOutcome(step, timer, path, what);
                    break;
                case TimerAction.Hold:
                    if (string.IsNullOrWhiteSpace(timer.Reason))
                    {
                        Error($"{path}.reason", Localized.Format("{0} puts the case on hold but gives no reason; add 'reason:' (people see it on the case).", what));
                    }

                    if (!doc.CaseActions.Any(a => a.Kind == "resume"))
                    {
                        Error($"{path}.action", Localized.Format("{0} puts the case on hold, but the workflow has no 'resume' case action: nobody could ever resume the case.", what));
                    }

                    break;
            }

            if (action is not TimerAction.Outcome && timer.Outcome is not null)
            {
                Error($"{path}.outcome", Localized.Format("{0} does '{1}', which takes no outcome; remove 'outcome:' or use 'action: outcome'.", what, timer.Action));
            }

            if (action is TimerAction.Outcome or TimerAction.Hold && timer.To is not null)
            {
                Error($"{path}.to", Localized.Format("{0} does '{1}', which goes to nobody; remove 'to:'.", what, timer.Action));
            }
        }

        private void CheckTimerOutcome(StepDefinition step, TimerDefinition timer, string path, string what)
        {
            if (string.IsNullOrWhiteSpace(timer.Outcome))
            {
                Error($"{path}.outcome", Localized.Format("{0} takes an outcome but does not say which; add 'outcome:' with one of: {1}.", what, string.Join(", ", step.Outcomes.Select(o => o.Key))));
                return;
            }

            var outcome = step.Outcomes.FirstOrDefault(o => o.Key == timer.Outcome);
            if (outcome is null)
            {
                Error($"{path}.outcome", Localized.Format("{0} takes the outcome '{1}', which step '{2}' does not have{3}: the timer could never act.", what, timer.Outcome, step.Key, Hint(timer.Outcome, step.Outcomes.Select(o => o.Key))));
                return;
            }

            if (outcome.To == step.Key)
            {
                Error($"{path}.outcome", Localized.Format("{0} takes the outcome '{1}', which leads back to '{2}' itself: the timer would start its own step again and again.", what, outcome.Key, step.Key));
            }
            else if (!_steps.ContainsKey(outcome.To) && !_endStatePaths.ContainsKey(outcome.To))
            {
                Error($"{path}.outcome", Localized.Format("{0} takes the outcome '{1}', which leads to '{2}', neither a step nor an end state: the timer could never act.", what, outcome.Key, outcome.To));
            }

            if (outcome.RequiresReason && string.IsNullOrWhiteSpace(timer.Reason))
            {
                Error($"{path}.reason", Localized.Format("{0} takes the outcome '{1}', which requires a reason; add 'reason:' (it goes into the audit trail).", what, outcome.Key));
            }
        }

        /// <summary>
        /// Reminders (the step's and remind timers) come before every escalation (the step's and escalate timers); a
        /// timer that comes after one that leaves the step (an outcome) could never fire.
        /// </summary>
        private void CheckTimerOrder(StepDefinition step, string path, IsoDuration?[] durations, TimerAction?[] actions)
        {
            var escalations = new List<(IsoDuration After, string What, bool OfStep)>();
            if (step.Escalation is not null && IsoDuration.TryParse(step.Escalation.After, out var stepEscalation) && !stepEscalation.IsZero)
            {
                escalations.Add((stepEscalation, Localized.Text("the step's escalation"), true));
            }

            for (var t = 0; t < actions.Length; t++)
            {
                if (actions[t] == TimerAction.Escalate && durations[t] is { } after)
                {
                    escalations.Add((after, Localized.Format("timer {0}", t + 1), false));
                }
            }

            for (var t = 0; t < actions.Length; t++)
            {
                if (durations[t] is not { } after)
                {
                    continue;
                }

                if (actions[t] == TimerAction.Remind && escalations.FirstOrDefault(e => !after.IsAlwaysBefore(e.After)) is { What: not null } late)
                {
                    Error($"{path}.timers[{t}].after",
                        Localized.Format("Timer {0} of step '{1}' reminds after {2}, not before {3} after {4}; reminders must come before the step is escalated (an escalation after the due date is normal).", t + 1, step.Key, after.ToWords(), late.What, late.After.ToWords()));
                }

                for (var o = 0; o < actions.Length; o++)
                {
                    if (o != t && actions[o] == TimerAction.Outcome && durations[o] is { } leaves && leaves.IsAlwaysBefore(after))
                    {
                        Error($"{path}.timers[{t}].after",
                            Localized.Format("Timer {0} of step '{1}' fires after {2}, but timer {3} takes an outcome after {4} and leaves the step first: timer {0} could never fire.", t + 1, step.Key, after.ToWords(), o + 1, leaves.ToWords()));
                        break;
                    }
                }
            }

            for (var r = 0; r < step.Reminders.Count; r++)
            {
                if (IsoDuration.TryParse(step.Reminders[r].After, out var remindAfter) && !remindAfter.IsZero
                    && escalations.FirstOrDefault(e => !e.OfStep && !remindAfter.IsAlwaysBefore(e.After)) is { What: not null } late)
                {
                    Error($"{path}.reminders[{r}].after",
                        Localized.Format("Reminder {0} of step '{1}' comes after {2}, not before {3} (escalate after {4}); reminders must come before the step is escalated.", r + 1, step.Key, remindAfter.ToWords(), late.What, late.After.ToWords()));
                }
            }
        }
    }
}
