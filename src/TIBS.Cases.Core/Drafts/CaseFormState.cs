using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Drafts;

/// <summary>
/// Whether a form of a case (a step's form, or one check-in) is open to a user now, with its title and fields; when
/// it is not, <see cref="Why"/> says so in words. Drafts and conflicts both ask here whether typed input still has
/// its form, or can only be offered to copy.
/// </summary>
public sealed record CaseFormState(bool IsOpen, string Title, IReadOnlyList<PlanField> Fields, string? Why)
{
    /// <summary>The form is there, but it is not this user's to fill in (another role acts on it).</summary>
    public bool NotTheirs { get; init; }

    public static CaseFormState Of(CaseDetails details, DraftForm form, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(form);
        var c = details.Case;
        var plan = details.Plan;
        var stepName = plan.TryGetStep(form.StepKey, out var step) ? step.Name : form.StepKey;
        var roles = CaseRoles.Of(actor, c, details.Participants);
        if (form.CheckInKey is { } checkInKey)
        {
            var checkIn = plan.CheckIns.FirstOrDefault(x => x.Key == checkInKey && x.StepKey == form.StepKey);
            var title = string.Create(CultureInfo.InvariantCulture, $"{checkIn?.Name ?? checkInKey} {form.Occurrence}");
            var fields = checkIn?.Fields ?? [];
            var current = details.Steps.LastOrDefault(s => s.StepKey == c.CurrentStep && s.CompletedAt is null);
            var recorded = details.CheckIns.FirstOrDefault(x => x.CheckInKey == checkInKey && x.Occurrence == form.Occurrence && (current is null || x.CaseStepId == current.Id));
            var why = c.IsClosed ? Localized.Format("The case was closed meanwhile ({0}).", Name(plan, c.CurrentStep))
                : checkIn is null || c.CurrentStep != form.StepKey ? Localized.Format("The step '{0}' of {1} was completed meanwhile.", stepName, title)
                : recorded is not null ? Localized.Format("{0} was recorded meanwhile.", title)
                : c.IsOnHold ? Localized.Text("The case is on hold.")
                : !roles.Contains(checkIn.Role) ? Localized.Format("{0} is recorded by the case's {1}.", checkIn.Name, Display.Words.Role(checkIn.Role))
                : null;
            return new CaseFormState(why is null, title, fields, why) { NotTheirs = checkIn is not null && !roles.Contains(checkIn.Role) };
        }

        var stepFields = step?.Fields ?? [];
        var stepWhy = c.IsClosed ? Localized.Format("The case was closed meanwhile ({0}).", Name(plan, c.CurrentStep))
            : c.CurrentStep != form.StepKey
                ? details.Steps.Any(s => s.StepKey == form.StepKey && s.CompletedAt is not null)
                    ? Localized.Format("The step '{0}' was completed meanwhile.", stepName)
                    : Localized.Format("The case is no longer at the step '{0}'; it is at '{1}'.", stepName, Name(plan, c.CurrentStep))
            : c.IsOnHold ? Localized.Text("The case is on hold.")
            : step is null ? Localized.Format("“{0}” is done by the case's owner.", stepName)
            : !roles.Contains(step.Role) ? Localized.Format("“{0}” is done by the case's {1}.", stepName, Display.Words.Role(step.Role))
            : null;
        return new CaseFormState(stepWhy is null, stepName, stepFields, stepWhy) { NotTheirs = step is not null && !roles.Contains(step.Role) };
    }

    private static string Name(WorkflowPlan plan, string key) =>
        plan.TryGetStep(key, out var s) ? s.Name : plan.TryGetEndState(key, out var e) ? e.Name : key;
}
