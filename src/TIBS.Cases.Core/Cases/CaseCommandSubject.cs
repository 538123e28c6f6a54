using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Core.Cases;

/// <summary>The case a command acts on: its <see cref="CaseCommandState"/> read in one round trip, with its workflow plan.</summary>
internal sealed record CaseCommandSubject(CaseCommandState State, WorkflowPlan Plan)
{
    public CaseRecord Case => State.Case;

    public IReadOnlyList<CaseParticipantRecord> Participants => State.Participants;

    /// <summary>The reminders still pending or paused (the only ones a command changes).</summary>
    public IReadOnlyList<ReminderRecord> Reminders => State.OpenReminders;

    public IReadOnlyList<CaseCheckInRecord> CheckIns => State.CheckIns;

    public PlanStep? CurrentStep => Plan.TryGetStep(Case.CurrentStep, out var s) ? s : null;

    public CaseSnapshot Snapshot => new(Case.CurrentStep, Case.IsOnHold);

    /// <summary>
    /// The open record of the current step. The case row and its step records are read by separate statements, so a
    /// concurrent completion can show up as a missing record: that is a conflict, reported as one.
    /// </summary>
    public CaseStepRecord CurrentStepRecord() =>
        State.OpenSteps.LastOrDefault(s => s.StepKey == Case.CurrentStep)
        ?? throw new ConcurrencyConflictException($"Case {Case.Reference} moved on while it was being read.");

    /// <summary>The named conditions judged on this case with <paramref name="values"/> as the submitted form.</summary>
    public CaseConditionEvaluator Evaluator(IReadOnlyDictionary<string, FieldValue> values, DateTimeOffset now) =>
        new(State.LeadCountryCode, Participants, values, CheckIns, Case.StepStartedAt, now);
}
