using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Core.Accounts.Absences;

/// <summary>
/// Ends a current absence early (its last day becomes yesterday: the user is back today) or deletes one that has not
/// started (or started today). For the user themselves or an administrator; <see cref="Request.ExpectedEndsOn"/> is the
/// last day as the page showed it, so a change made meanwhile is reported, never overwritten.
/// </summary>
public sealed class EndAbsence(IAbsenceStore absences, TimeProvider time)
{
    public sealed record Request(Guid AbsenceId, DateOnly? ExpectedEndsOn);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var absence = await absences.FindAsync(request.AbsenceId, cancellationToken);
        if (absence is null)
        {
            return CaseCommandResult.NotFound(Localized.Text("The absence"));
        }

        if (!AbsenceRules.MayManage(actor, absence.UserId))
        {
            return AbsenceRules.Forbidden();
        }

        var today = AbsenceRules.Today(time);
        var period = AbsenceRules.Period(absence.StartsOn, absence.EndsOn);
        if (request.ExpectedEndsOn != absence.EndsOn)
        {
            return Changed();
        }

        if (absence.EndsOn < today)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, Localized.Format("The absence {0} is over already: nothing was changed.", Display.MessageDates.Period(absence.StartsOn, absence.EndsOn)));
        }

        var now = time.GetUtcNow();
        if (absence.StartsOn >= today)
        {
            var deleted = AdministrationRules.Entry(actor, AbsenceActions.Deleted, absence.UserId, $"Absence of {absence.UserName} deleted: {period}, deputy {absence.DeputyName}.", now);
            return await absences.DeleteAsync(absence.Id, absence.EndsOn, deleted, cancellationToken)
                ? new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("The absence {0} is deleted; {1} does not deputise for {2} then.", Display.MessageDates.Period(absence.StartsOn, absence.EndsOn), absence.DeputyName, absence.UserName))
                : Changed();
        }

        var yesterday = today.AddDays(-1);
        var ended = AdministrationRules.Entry(actor, AbsenceActions.Ended, absence.UserId,
            $"Absence of {absence.UserName} ended early: {period} now ends on {AbsenceRules.Day(yesterday)}; {absence.DeputyName} no longer deputises.", now);
        return await absences.SetEndAsync(absence.Id, absence.EndsOn, yesterday, ended, cancellationToken)
            ? new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("The absence now ends on {0}: {1} is back from today and {2} no longer deputises.", Display.MessageDates.Long(yesterday), absence.UserName, absence.DeputyName))
            : Changed();
    }

    private static CaseCommandResult Changed() => new(CaseCommandStatus.Conflict,
        Localized.Text("Someone else changed or removed this absence since the page was opened. Nothing was changed: the absences as saved are shown."));
}
