using TIBS.Cases.Workflows.Definitions;
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
                Error(path, $"{what} is {d.ToWords()}; check-ins recur on the calendar, so use calendar days, weeks or months (e.g. P3M).");
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
                Error($"{path}.timers", $"Step '{step.Key}' has timers but no outcome: it is a step without a way out, so its timers could never move it on.");
            }

            var durations = new IsoDuration?[step.Timers.Count];
            var actions = new TimerAction?[step.Timers.Count];
            for (var t = 0; t < step.Timers.Count; t++)
            {
                var timer = step.Timers[t];
                var timerPath = $"{path}.timers[{t}]";
                var what = $"Timer {t + 1} of step '{step.Key}'";
                durations[t] = CheckDuration(timer.After, $"{timerPath}.after", what, required: true);
                if (string.IsNullOrWhiteSpace(timer.Action))
                {
                    Error($"{timerPath}.action", $"{what} does not say what it does; add 'action:' ({string.Join(", ", TimerActions.Names)}).");
                    continue;
                }

                if (!TimerActions.TryParse(timer.Action, out var action))
                {
                    Error($"{timerPath}.action", $"'{timer.Action}' is not a timer action{Hint(timer.Action, TimerActions.Names)}; use one of: {string.Join(", ", TimerActions.Names)}.");
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
                    CheckRole(timer.To, $"{path}.to", $"{what} (reassign: to whom, by role, e.g. coordinator)");
                    break;
                case TimerAction.Outcome:
                    CheckTimerOutcome(step, timer, path, what);
                    break;
                case TimerAction.Hold:
                    if (string.IsNullOrWhiteSpace(timer.Reason))
                    {
                        Error($"{path}.reason", $"{what} puts the case on hold but gives no reason; add 'reason:' (people see it on the case).");
                    }

                    if (!doc.CaseActions.Any(a => a.Kind == "resume"))
                    {
                        Error($"{path}.action", $"{what} puts the case on hold, but the workflow has no 'resume' case action: nobody could ever resume the case.");
                    }

                    break;
            }

            if (action is not TimerAction.Outcome && timer.Outcome is not null)
            {
                Error($"{path}.outcome", $"{what} does '{timer.Action}', which takes no outcome; remove 'outcome:' or use 'action: outcome'.");
            }

            if (action is TimerAction.Outcome or TimerAction.Hold && timer.To is not null)
            {
                Error($"{path}.to", $"{what} does '{timer.Action}', which goes to nobody; remove 'to:'.");
            }
        }

        private void CheckTimerOutcome(StepDefinition step, TimerDefinition timer, string path, string what)
        {
            if (string.IsNullOrWhiteSpace(timer.Outcome))
            {
                Error($"{path}.outcome", $"{what} takes an outcome but does not say which; add 'outcome:' with one of: {string.Join(", ", step.Outcomes.Select(o => o.Key))}.");
                return;
            }

            var outcome = step.Outcomes.FirstOrDefault(o => o.Key == timer.Outcome);
            if (outcome is null)
            {
                Error($"{path}.outcome", $"{what} takes the outcome '{timer.Outcome}', which step '{step.Key}' does not have{Hint(timer.Outcome, step.Outcomes.Select(o => o.Key))}: the timer could never act.");
                return;
            }

            if (outcome.To == step.Key)
            {
                Error($"{path}.outcome", $"{what} takes the outcome '{outcome.Key}', which leads back to '{step.Key}' itself: the timer would start its own step again and again.");
            }
            else if (!_steps.ContainsKey(outcome.To) && !_endStatePaths.ContainsKey(outcome.To))
            {
                Error($"{path}.outcome", $"{what} takes the outcome '{outcome.Key}', which leads to '{outcome.To}', neither a step nor an end state: the timer could never act.");
            }

            if (outcome.RequiresReason && string.IsNullOrWhiteSpace(timer.Reason))
            {
                Error($"{path}.reason", $"{what} takes the outcome '{outcome.Key}', which requires a reason; add 'reason:' (it goes into the audit trail).");
            }
        }

        /// <summary>
        /// Reminders (the step's and remind timers) come before every escalation (the step's and escalate timers); a
        /// timer that comes after one that leaves the step (an outcome) could never fire.
        /// </summary>
        private void CheckTimerOrder(StepDefinition step, string path, IsoDuration?[] durations, TimerAction?[] actions)
        {
            var escalations = new List<(IsoDuration After, string What)>();
            if (step.Escalation is not null && IsoDuration.TryParse(step.Escalation.After, out var stepEscalation) && !stepEscalation.IsZero)
            {
                escalations.Add((stepEscalation, "the step's escalation"));
            }

            for (var t = 0; t < actions.Length; t++)
            {
                if (actions[t] == TimerAction.Escalate && durations[t] is { } after)
                {
                    escalations.Add((after, $"timer {t + 1}"));
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
                        $"Timer {t + 1} of step '{step.Key}' reminds after {after.ToWords()}, not before {late.What} after {late.After.ToWords()}; " +
                        "reminders must come before the step is escalated (an escalation after the due date is normal).");
                }

                for (var o = 0; o < actions.Length; o++)
                {
                    if (o != t && actions[o] == TimerAction.Outcome && durations[o] is { } leaves && leaves.IsAlwaysBefore(after))
                    {
                        Error($"{path}.timers[{t}].after",
                            $"Timer {t + 1} of step '{step.Key}' fires after {after.ToWords()}, but timer {o + 1} takes an outcome after {leaves.ToWords()} and leaves the step first: timer {t + 1} could never fire.");
                        break;
                    }
                }
            }

            for (var r = 0; r < step.Reminders.Count; r++)
            {
                if (IsoDuration.TryParse(step.Reminders[r].After, out var remindAfter) && !remindAfter.IsZero
                    && escalations.FirstOrDefault(e => e.What != "the step's escalation" && !remindAfter.IsAlwaysBefore(e.After)) is { What: not null } late)
                {
                    Error($"{path}.reminders[{r}].after",
                        $"Reminder {r + 1} of step '{step.Key}' comes after {remindAfter.ToWords()}, not before {late.What} (escalate after {late.After.ToWords()}); " +
                        "reminders must come before the step is escalated.");
                }
            }
        }
    }
}
