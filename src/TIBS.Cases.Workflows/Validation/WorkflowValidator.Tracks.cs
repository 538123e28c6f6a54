using System.Text.RegularExpressions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Validation;

/// <summary>The checks of a step's parallel tracks: performer, states and ends, timers and join rules.</summary>
public static partial class WorkflowValidator
{
    [GeneratedRegex(@"\btracks\.([A-Za-z0-9_]+)")]
    private static partial Regex TrackVariable();

    [GeneratedRegex(@"^P[1-9][0-9]{0,3}BD$")]
    private static partial Regex BusinessDays();


    private sealed partial class Run
    {
        private void CheckTracks(StepDefinition step, TracksDefinition tracks, string path)
        {
            var what = Localized.Format("The tracks of step '{0}'", step.Key);
            if (tracks.ForEach != PlanTracks.ForEachPartner)
            {
                Error($"{path}.for-each", Localized.Format("{0} run for each '{1}'; tracks run for each 'partner' of the case.", what, tracks.ForEach));
            }

            if (string.IsNullOrWhiteSpace(tracks.Role))
            {
                Error($"{path}.role", Localized.Format("{0} have no performer; say who works on each track with 'role:' (e.g. partner-broker).", what));
            }
            else
            {
                CheckRole(tracks.Role, $"{path}.role", what);
            }

            CheckDuration(tracks.Due, $"{path}.due", Localized.Format("The due time of the tracks of step '{0}'", step.Key), required: false);
            for (var r = 0; r < tracks.Reminders.Count; r++)
            {
                var reminder = tracks.Reminders[r];
                CheckDuration(reminder.After, $"{path}.reminders[{r}].after", Localized.Format("Reminder {0} of the tracks of step '{1}'", r + 1, step.Key), required: true);
                if (reminder.To is not null)
                {
                    CheckRole(reminder.To, $"{path}.reminders[{r}].to", Localized.Format("Reminder {0} of the tracks of step '{1}'", r + 1, step.Key));
                }
            }

            var keys = CheckTrackKeys(tracks, path, what);
            if (tracks.States.Count == 0)
            {
                Error($"{path}.states", Localized.Format("{0} have no states; a track needs at least one state to start in.", what));
                return;
            }

            if (tracks.Ends.Count == 0)
            {
                Error($"{path}.ends", Localized.Format("{0} have no ends; a track needs at least one end (e.g. agreed, declined).", what));
            }

            var start = tracks.Start ?? tracks.States[0].Key;
            if (tracks.Start is not null && tracks.States.All(s => s.Key != tracks.Start))
            {
                Error($"{path}.start", Localized.Format("{0} start in '{1}', which is not one of their states{2}.", what, tracks.Start, Hint(tracks.Start, tracks.States.Select(s => s.Key))));
            }

            var edges = CheckTrackStates(tracks, path, keys);
            var reached = TrackReach(start, edges);
            for (var i = 0; i < tracks.States.Count; i++)
            {
                if (!reached.Contains(tracks.States[i].Key))
                {
                    Error($"{path}.states[{i}]", Localized.Format("Track state '{0}' is never reached from '{1}'; lead to it with an outcome or remove it.", tracks.States[i].Key, start));
                }
                else if (!TrackReach(tracks.States[i].Key, edges).Any(k => tracks.Ends.Any(e => e.Key == k)))
                {
                    Error($"{path}.states[{i}]", Localized.Format("From track state '{0}' no end can be reached; a track there would never end.", tracks.States[i].Key));
                }
            }

            for (var i = 0; i < tracks.Ends.Count; i++)
            {
                if (!reached.Contains(tracks.Ends[i].Key))
                {
                    Error($"{path}.ends[{i}]", Localized.Format("Track end '{0}' is never reached: no state leads to it.", tracks.Ends[i].Key));
                }
            }

            CheckJoin(step, tracks, path, reached);
        }

        /// <summary>Keys of states and ends: valid, unique among both; the kinds of ends. Returns the keys seen.</summary>
        private HashSet<string> CheckTrackKeys(TracksDefinition tracks, string path, string what)
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            void Key(string key, string keyPath, bool isState)
            {
                if (CheckKey(key, keyPath, isState ? Localized.Text("A state of the tracks") : Localized.Text("An end of the tracks")) && !keys.Add(key))
                {
                    Error(keyPath, Localized.Format("{0} have '{1}' twice among their states and ends; each key must be unique.", what, key));
                }
            }

            for (var i = 0; i < tracks.States.Count; i++)
            {
                Key(tracks.States[i].Key, $"{path}.states[{i}].key", isState: true);
                if (string.IsNullOrWhiteSpace(tracks.States[i].Name))
                {
                    Error($"{path}.states[{i}].name", Localized.Format("Track state '{0}' has no name.", tracks.States[i].Key));
                }
            }

            for (var i = 0; i < tracks.Ends.Count; i++)
            {
                var end = tracks.Ends[i];
                Key(end.Key, $"{path}.ends[{i}].key", isState: false);
                if (string.IsNullOrWhiteSpace(end.Name))
                {
                    Error($"{path}.ends[{i}].name", Localized.Format("Track end '{0}' has no name.", end.Key));
                }

                if (!WorkflowNames.TryParseEndStateKind(end.Kind, out _))
                {
                    Error($"{path}.ends[{i}].kind", Localized.Format("Track end '{0}' has kind '{1}'; use one of: {2}.", end.Key, end.Kind, string.Join(", ", WorkflowNames.EndStateKinds)));
                }
            }

            return keys;
        }

        /// <summary>The outcomes and timers of each state; returns where each state leads.</summary>
        private Dictionary<string, List<string>> CheckTrackStates(TracksDefinition tracks, string path, HashSet<string> keys)
        {
            var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            for (var i = 0; i < tracks.States.Count; i++)
            {
                var state = tracks.States[i];
                var statePath = $"{path}.states[{i}]";
                var targets = edges.TryGetValue(state.Key, out var list) ? list : edges[state.Key] = [];
                var outcomeKeys = new HashSet<string>(StringComparer.Ordinal);
                if (state.Outcomes.Count == 0)
                {
                    Error($"{statePath}.outcomes", Localized.Format("Track state '{0}' has no outcomes; its performer could never move the track on.", state.Key));
                }

                for (var o = 0; o < state.Outcomes.Count; o++)
                {
                    var outcome = state.Outcomes[o];
                    var outcomePath = $"{statePath}.outcomes[{o}]";
                    if (CheckKey(outcome.Key, $"{outcomePath}.key", Localized.Format("An outcome of track state '{0}'", state.Key)) && !outcomeKeys.Add(outcome.Key))
                    {
                        Error($"{outcomePath}.key", Localized.Format("Track state '{0}' has the outcome '{1}' twice.", state.Key, outcome.Key));
                    }

                    if (string.IsNullOrWhiteSpace(outcome.Label))
                    {
                        Error($"{outcomePath}.label", Localized.Format("Outcome '{0}' of track state '{1}' has no label.", outcome.Key, state.Key));
                    }

                    if (!keys.Contains(outcome.To))
                    {
                        Error($"{outcomePath}.to", Localized.Format("Outcome '{0}' of track state '{1}' leads to '{2}', which is not a state or end of the tracks{3}.", outcome.Key, state.Key, outcome.To, Hint(outcome.To, keys)));
                    }
                    else
                    {
                        targets.Add(outcome.To);
                    }
                }

                for (var t = 0; t < state.Timers.Count; t++)
                {
                    if (CheckTrackTimer(state, state.Timers[t], $"{statePath}.timers[{t}]", keys) is { } target)
                    {
                        targets.Add(target);
                    }
                }
            }

            return edges;
        }

        /// <summary>One timer of a track state; returns the state or end an <c>outcome</c> timer leads to.</summary>
        private string? CheckTrackTimer(TrackStateDefinition state, TimerDefinition timer, string path, HashSet<string> keys)
        {
            var what = Localized.Format("A timer of track state '{0}'", state.Key);
            if (!BusinessDays().IsMatch(timer.After ?? ""))
            {
                CheckDuration(timer.After, $"{path}.after", what, required: true);
            }

            if (!Plans.TimerActions.TryParse(timer.Action, out _))
            {
                Error($"{path}.action", Localized.Format("{0} does '{1}'; a timer can: {2}{3}.", what, timer.Action, string.Join(", ", Plans.TimerActions.Names), Hint(timer.Action, Plans.TimerActions.Names)));
                return null;
            }

            if (timer.Action is "hold" or "reassign")
            {
                // A track has no owner to give away and cannot be held on its own: both act on the whole case.
                Error($"{path}.action", Localized.Format("{0} does '{1}', which acts on the whole case; a track's timer can remind, escalate or take an outcome (put '{1}' on the step's timers).", what, timer.Action));
                return null;
            }

            if (timer.Action is "remind" or "escalate" && timer.To is not null)
            {
                // Without 'to' the track's performer (the brokers of the partner's region) is reminded.
                CheckRole(timer.To, $"{path}.to", what);
            }

            if (timer.Action != "outcome")
            {
                return null;
            }

            var target = timer.Outcome is null ? null
                : state.Outcomes.FirstOrDefault(o => o.Key == timer.Outcome)?.To ?? (keys.Contains(timer.Outcome) ? timer.Outcome : null);
            if (target is null)
            {
                var choices = state.Outcomes.Select(o => o.Key).Concat(keys);
                Error($"{path}.outcome", timer.Outcome is null
                    ? Localized.Format("{0} takes an outcome but does not say which; add 'outcome:' (an outcome of the state, or a state or end of the tracks).", what)
                    : Localized.Format("{0} takes '{1}', which is neither an outcome of the state nor a state or end of the tracks{2}.", what, timer.Outcome, Hint(timer.Outcome, choices)));
            }

            return target;
        }

        private void CheckJoin(StepDefinition step, TracksDefinition tracks, string path, HashSet<string> reached)
        {
            if (tracks.Join.Count == 0)
            {
                Error($"{path}.join", Localized.Format("The tracks of step '{0}' have no join rule; say when the step continues (e.g. when: \"tracks.agreed >= 1\").", step.Key));
            }

            var variables = new Dictionary<string, string?>(StringComparer.Ordinal) { ["total"] = null, ["open"] = null, ["ended"] = null };
            foreach (var key in tracks.States.Select(s => s.Key).Concat(tracks.Ends.Select(e => e.Key)))
            {
                variables.TryAdd(key.Replace('-', '_'), key);
            }

            for (var j = 0; j < tracks.Join.Count; j++)
            {
                var rule = tracks.Join[j];
                var rulePath = $"{path}.join[{j}]";
                if (step.Outcomes.All(o => o.Key != rule.Outcome))
                {
                    Error($"{rulePath}.outcome", Localized.Format("Join rule {0} of step '{1}' takes '{2}', which is not an outcome of the step{3}.", j + 1, step.Key, rule.Outcome, Hint(rule.Outcome, step.Outcomes.Select(o => o.Key))));
                }

                if (string.IsNullOrWhiteSpace(rule.When))
                {
                    Error($"{rulePath}.when", Localized.Format("Join rule {0} of step '{1}' has no condition ('when:').", j + 1, step.Key));
                    continue;
                }

                foreach (Match match in TrackVariable().Matches(rule.When))
                {
                    var name = match.Groups[1].Value;
                    // An unknown name is the type check's to report (below); a known one that no track reaches is always 0.
                    if (variables.TryGetValue(name, out var key) && key is not null && !reached.Contains(key))
                    {
                        Error($"{rulePath}.when", Localized.Format("Join rule {0} of step '{1}' counts tracks in '{2}', which no track can reach: that count is always 0.", j + 1, step.Key, key));
                    }
                }

                CheckJoinExpression(step, tracks, rule, j, rulePath);
            }
        }

        /// <summary>The type check of a join rule's expression (a number comparison giving true or false).</summary>
        private void CheckJoinExpression(StepDefinition step, TracksDefinition tracks, TrackJoinDefinition rule, int index, string path)
        {
            var engine = Expressions.WorkflowExpressions.Engine;
            var scope = new PlanTracks(tracks.ForEach, default, null, [], "", [.. tracks.States.Select(s => new PlanTrackState(s.Key, s.Name, null, [], []))],
                [.. tracks.Ends.Select(e => new PlanTrackEnd(e.Key, e.Name, EndStateKind.Success))], []).Scope();
            foreach (var problem in engine.Check(rule.When, scope, Expressions.ExpressionValueKind.Boolean))
            {
                Error(path + ".when", Localized.Format("Join rule {0} of step '{1}': {2} (at character {3}).", index + 1, step.Key, problem.Message, problem.Column));
            }
        }
    }

    /// <summary>An outcome a join rule of the step's tracks takes: the system takes it, never together with a person's choice.</summary>
    private static bool IsJoinOutcome(StepDefinition step, OutcomeDefinition outcome) =>
        step.Tracks?.Join.Any(j => j.Outcome == outcome.Key) == true;

    private static HashSet<string> TrackReach(string from, Dictionary<string, List<string>> edges)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { from };
        var queue = new Queue<string>([from]);
        while (queue.Count > 0)
        {
            foreach (var next in edges.GetValueOrDefault(queue.Dequeue()) ?? [])
            {
                if (seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return seen;
    }

}
