using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Accounts.Absences;

/// <summary>
/// A user's absences that are current or ahead, the absences in which they deputise, and the users who could deputise
/// for them: for the user themselves (profile page, /api/v1/me) or an administrator (the user's page).
/// </summary>
public sealed class GetAbsences(IAbsenceStore absences, IUserStore users, IReferenceDataStore reference, TimeProvider time)
{
    public sealed record Request(Guid UserId);

    /// <param name="Deputies">Who may be chosen as deputy: the user's id and their name with the regions they cover.</param>
    /// <param name="WhoMayDeputise">The rule for the deputy in words, shown on the form.</param>
    /// <param name="Today">The calendar day in UTC.</param>
    public sealed record Result(UserAccount User, IReadOnlyList<Absence> Absences, IReadOnlyList<Absence> DeputyOf, IReadOnlyList<Choice> Deputies, string WhoMayDeputise, DateOnly Today)
    {
        /// <summary>The absence that includes today; null when the user is not away.</summary>
        public Absence? Current => Absences.FirstOrDefault(a => a.IsCurrent(Today));

        /// <summary>The absences in which the user deputises today.</summary>
        public IReadOnlyList<Absence> DeputisingNow => [.. DeputyOf.Where(a => a.IsCurrent(Today))];

        public static string Day(DateOnly day) => AbsenceRules.Day(day);
    }

    /// <summary>The absences; null when the user does not exist or the actor may not see them (only the user and administrators may).</summary>
    public async Task<Result?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AbsenceRules.MayManage(actor, request.UserId) || await users.FindByIdAsync(request.UserId, cancellationToken) is not { } user)
        {
            return null;
        }

        var today = AbsenceRules.Today(time);
        var labels = await ReferenceLabels.LoadAsync(reference, cancellationToken);
        var candidates = await AbsenceRules.CandidatesAsync(users, user, cancellationToken);
        return new Result(
            user,
            await absences.ListForUserAsync(user.Id, today, cancellationToken),
            await absences.ListDeputisingAsync(user.Id, today, cancellationToken),
            [.. candidates.Select(u => new Choice(u.Id.ToString(), u.CoveredRegions.Count > 0 ? $"{u.DisplayName} ({AbsenceRules.Regions(u.CoveredRegions, labels)})" : u.DisplayName))],
            AbsenceRules.WhoMayDeputise(user, labels),
            today);
    }
}
