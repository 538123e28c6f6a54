using System.Globalization;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Accounts.Absences;

/// <summary>
/// Records an absence (first and last day, calendar days in UTC, both inclusive) and its deputy, for oneself or, by an
/// administrator, for anyone. Refused, naming the field: a date that is not a date, a last day before the first, a first
/// day that has passed, more than a year, an overlap with another absence of the user, a deputy who is the user, is not
/// active, has another role or covers none of the user's regions, or is absent themselves for the whole period. A deputy
/// absent for part of it is accepted and the answer says so. The log line is written in the same transaction.
/// </summary>
public sealed class RecordAbsence(IAbsenceStore absences, IUserStore users, IReferenceDataStore reference, TimeProvider time)
{
    public const int MaxDays = 366;

    /// <param name="StartsOn">The first day away, yyyy-mm-dd.</param>
    /// <param name="EndsOn">The last day away (inclusive), yyyy-mm-dd.</param>
    public sealed record Request(Guid UserId, string? StartsOn, string? EndsOn, Guid? DeputyUserId);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AbsenceRules.MayManage(actor, request.UserId))
        {
            return AbsenceRules.Forbidden();
        }

        if (await users.FindByIdAsync(request.UserId, cancellationToken) is not { } user)
        {
            return CaseCommandResult.NotFound(Localized.Text("The user"));
        }

        var today = AbsenceRules.Today(time);
        var problems = new List<FieldError>();
        var starts = Date(request.StartsOn, "StartsOn", problems);
        var ends = Date(request.EndsOn, "EndsOn", problems);
        if (starts is { } s && ends is { } e)
        {
            if (e < s)
            {
                problems.Add(new FieldError("EndsOn", Localized.Format("The last day ({0}) is before the first day ({1}): the last day is the first day or later.", Display.MessageDates.Long(e), Display.MessageDates.Long(s))));
            }
            else if (e < today)
            {
                problems.Add(new FieldError("EndsOn", Localized.Format("The period {0} is in the past: an absence is recorded for today or later.", Display.MessageDates.Period(s, e))));
            }
            else if (s < today)
            {
                problems.Add(new FieldError("StartsOn", Localized.Format("The first day ({0}) has passed: an absence starts today ({1}) or later.", Display.MessageDates.Long(s), Display.MessageDates.Long(today))));
            }
            else if (e.DayNumber - s.DayNumber + 1 > MaxDays)
            {
                problems.Add(new FieldError("EndsOn", Localized.Format("The period has {0} days: an absence is at most {1} days; record a longer one in parts.", e.DayNumber - s.DayNumber + 1, MaxDays)));
            }
        }

        var labels = await ReferenceLabels.LoadAsync(reference, cancellationToken);
        UserAccount? deputy = null;
        if (request.DeputyUserId is not { } deputyId || deputyId == Guid.Empty)
        {
            problems.Add(new FieldError("DeputyUserId", Localized.Text("Choose a deputy: the person who takes over the work while you are away.")));
        }
        else if ((deputy = await users.FindByIdAsync(deputyId, cancellationToken)) is null)
        {
            problems.Add(new FieldError("DeputyUserId", Localized.Text("The chosen deputy does not exist (any more): choose another one.")));
        }
        else if (AbsenceRules.Unable(user, deputy, labels) is { } unable)
        {
            problems.Add(new FieldError("DeputyUserId", unable));
        }

        string? partly = null;
        if (problems.Count == 0)
        {
            var (from, to) = (starts!.Value, ends!.Value);
            var existing = (await absences.ListForUserAsync(user.Id, today, cancellationToken)).FirstOrDefault(a => a.Overlaps(from, to));
            if (existing is not null)
            {
                problems.Add(Overlap(user, existing));
            }

            var away = (await absences.ListForUserAsync(deputy!.Id, from, cancellationToken)).Where(a => a.Overlaps(from, to)).ToList();
            var daysAway = away.SelectMany(a => Days(a.StartsOn, a.EndsOn)).Where(d => d >= from && d <= to).Distinct().Count();
            if (away.Count > 0 && daysAway == to.DayNumber - from.DayNumber + 1)
            {
                problems.Add(new FieldError("DeputyUserId", Localized.Format("{0} is absent for the whole period ({1}): choose another deputy.", deputy.DisplayName, string.Join("; ", away.Select(a => Display.MessageDates.Period(a.StartsOn, a.EndsOn))))));
            }
            else if (away.Count > 0)
            {
                partly = " " + Localized.Format("Note: {0} is absent too ({1}); on those days nobody deputises.", deputy.DisplayName, string.Join("; ", away.Select(a => Display.MessageDates.Period(a.StartsOn, a.EndsOn))));
            }
        }

        if (problems.Count > 0)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, problems[0].Message) { FieldErrors = problems };
        }

        var now = time.GetUtcNow();
        var absence = new Absence
        {
            Id = Guid.CreateVersion7(now),
            UserId = user.Id,
            DeputyUserId = deputy!.Id,
            StartsOn = starts!.Value,
            EndsOn = ends!.Value,
            CreatedAt = now,
            CreatedBy = actor.UserId,
            UserName = user.DisplayName,
            DeputyName = deputy.DisplayName,
        };
        var period = AbsenceRules.Period(absence.StartsOn, absence.EndsOn);
        var entry = AdministrationRules.Entry(actor, AbsenceActions.Recorded, user.Id, $"Absence of {user.DisplayName} recorded: {period}, deputy {deputy.DisplayName}.", now);
        if (await absences.AddAsync(absence, entry, cancellationToken) is { } overlapping)
        {
            var overlap = Overlap(user, overlapping);
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, overlap.Message) { FieldErrors = [overlap] };
        }

        return new CaseCommandResult(CaseCommandStatus.Done,
            Localized.Format("Absence recorded: {0} is away {1}; {2} deputises and receives {0}'s reminders and escalations as well.", user.DisplayName, Display.MessageDates.Period(absence.StartsOn, absence.EndsOn), deputy.DisplayName) + partly);
    }

    private static FieldError Overlap(UserAccount user, Absence existing) =>
        new("StartsOn", Localized.Format("{0} is already absent {1}, which overlaps this period: end or delete that absence first, or choose other days.", user.DisplayName, Display.MessageDates.Period(existing.StartsOn, existing.EndsOn)));

    private static IEnumerable<DateOnly> Days(DateOnly from, DateOnly to)
    {
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            yield return d;
        }
    }

    private static DateOnly? Date(string? text, string field, List<FieldError> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add(new FieldError(field, field == "StartsOn" ? Localized.Text("Enter the first day of the absence.") : Localized.Text("Enter the last day of the absence.")));
            return null;
        }

        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            problems.Add(new FieldError(field, field == "StartsOn"
                ? Localized.Format("The first day '{0}' is not a date: write it as year-month-day, such as 2027-03-12.", text.Trim())
                : Localized.Format("The last day '{0}' is not a date: write it as year-month-day, such as 2027-03-12.", text.Trim())));
            return null;
        }

        return day;
    }
}
