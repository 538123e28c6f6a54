using System.Globalization;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Accounts.Absences;

/// <summary>
/// A period in which a user is away (calendar days in UTC, both inclusive) and the user who deputises for them. While it
/// is current the reminders and escalations addressed to the absent user reach the deputy as well.
/// </summary>
public sealed record Absence
{
    public required Guid Id { get; init; }
    public required Guid UserId { get; init; }
    public required Guid DeputyUserId { get; init; }
    public required DateOnly StartsOn { get; init; }

    /// <summary>The last day of the absence (inclusive).</summary>
    public required DateOnly EndsOn { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who recorded it: the user themselves or an administrator.</summary>
    public Guid? CreatedBy { get; init; }

    /// <summary>The absent user's name, filled by the store's reads.</summary>
    public string UserName { get; init; } = "";

    /// <summary>The deputy's name, filled by the store's reads.</summary>
    public string DeputyName { get; init; } = "";

    public bool IsCurrent(DateOnly today) => StartsOn <= today && today <= EndsOn;

    public bool Overlaps(DateOnly from, DateOnly to) => StartsOn <= to && from <= EndsOn;
}

/// <summary>Persistence of absences. Every write also appends its administration log line, in one transaction.</summary>
public interface IAbsenceStore
{
    /// <summary>The absences of the user that end on or after <paramref name="from"/>, the earliest first.</summary>
    Task<IReadOnlyList<Absence>> ListForUserAsync(Guid userId, DateOnly from, CancellationToken cancellationToken = default);

    Task<Absence?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The absences of any of <paramref name="userIds"/> that include <paramref name="day"/>, in one query.</summary>
    Task<IReadOnlyList<Absence>> ListCurrentAsync(IReadOnlyCollection<Guid> userIds, DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>The absences in which <paramref name="deputyUserId"/> deputises that end on or after <paramref name="from"/>, the earliest first.</summary>
    Task<IReadOnlyList<Absence>> ListDeputisingAsync(Guid deputyUserId, DateOnly from, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the absence with its log line, unless another absence of the same user overlaps it (decided inside the write
    /// transaction, with the user's row locked): then nothing is written and the overlapping absence is returned.
    /// </summary>
    Task<Absence?> AddAsync(Absence absence, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Moves the last day to <paramref name="endsOn"/>; false (nothing written) when the last day is no longer <paramref name="expectedEndsOn"/>.</summary>
    Task<bool> SetEndAsync(Guid id, DateOnly expectedEndsOn, DateOnly endsOn, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Deletes the absence; false (nothing written) when it is gone or its last day is no longer <paramref name="expectedEndsOn"/>.</summary>
    Task<bool> DeleteAsync(Guid id, DateOnly expectedEndsOn, AdministrationLogEntry entry, CancellationToken cancellationToken = default);
}

/// <summary>The names of the absence actions in the administration log.</summary>
internal static class AbsenceActions
{
    public const string Recorded = "absence-recorded";
    public const string Ended = "absence-ended";
    public const string Deleted = "absence-deleted";
}

/// <summary>The rules the absence use cases share: who may record for whom, who may deputise, dates in words.</summary>
internal static class AbsenceRules
{
    /// <summary>The calendar day in UTC (the interface has no per-user time zone yet).</summary>
    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public static string Day(DateOnly day) => day.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Period(DateOnly from, DateOnly to) => from == to ? Day(from) : $"{Day(from)} to {Day(to)}";

    /// <summary>The user themselves, or an administrator for anyone.</summary>
    public static bool MayManage(Actor actor, Guid userId) =>
        !actor.IsSystem && (actor.UserId == userId || actor.Role == WorkflowRole.Administrator);

    public static CaseCommandResult Forbidden() =>
        new(CaseCommandStatus.Forbidden, Localized.Text("Only the user themselves or an administrator may record or end an absence."));

    public static string Regions(IEnumerable<string> codes, ReferenceLabels labels) =>
        string.Join(", ", codes.Select(c => labels.Region(c) == c ? c : $"{labels.Region(c)} ({c})"));

    /// <summary>Why <paramref name="deputy"/> cannot do <paramref name="absent"/>'s work, in words; null when they can.</summary>
    public static string? Unable(UserAccount absent, UserAccount deputy, ReferenceLabels labels)
    {
        if (deputy.Id == absent.Id)
        {
            return Localized.Format("{0} cannot deputise for themselves: choose someone else.", absent.DisplayName);
        }

        if (!deputy.IsActive || string.IsNullOrEmpty(deputy.PasswordHash))
        {
            return deputy.IsActive
                ? Localized.Format("{0} is invited and has not set a password yet: choose an active user.", deputy.DisplayName)
                : Localized.Format("{0} is deactivated: choose an active user.", deputy.DisplayName);
        }

        if (deputy.Role != absent.Role)
        {
            return Localized.Format("{0} is {1}: the deputy of {2} must be {3} too.", deputy.DisplayName, Roles.DisplayName(deputy.Role), absent.DisplayName, Roles.DisplayName(absent.Role));
        }

        var regions = absent.CoveredRegions;
        return regions.Count > 0 && !regions.Any(deputy.CoveredRegions.Contains)
            ? Localized.Format("{0} covers none of {1}'s regions ({2}): choose someone who covers at least one.", deputy.DisplayName, absent.DisplayName, Regions(regions, labels))
            : null;
    }

    /// <summary>The users who could deputise for <paramref name="absent"/>: active, same role, covering one of their regions (when they have any).</summary>
    public static async Task<IReadOnlyList<UserAccount>> CandidatesAsync(IUserStore users, UserAccount absent, CancellationToken cancellationToken)
    {
        var regions = absent.CoveredRegions;
        var found = await users.ListInRoleAsync(absent.Role, regions.Count > 0 ? regions : null, cancellationToken: cancellationToken);
        return [.. found.Where(u => u.Id != absent.Id && u.IsActive && !string.IsNullOrEmpty(u.PasswordHash)).OrderBy(u => u.DisplayName, StringComparer.CurrentCulture)];
    }

    /// <summary>What the page says about who may be chosen.</summary>
    public static string WhoMayDeputise(UserAccount absent, ReferenceLabels labels) =>
        absent.CoveredRegions.Count > 0
            ? Localized.Format("The deputy is an active {0} who covers at least one of {1}'s regions ({2}).", Roles.InSentence(absent.Role), absent.DisplayName, Regions(absent.CoveredRegions, labels))
            : Localized.Format("The deputy is an active user who is {0} too.", Roles.InSentence(absent.Role));
}

/// <summary>
/// The one place where deputies join the recipients of a reminder: for every recipient absent on the day of delivery,
/// their deputy is added (if still active and able to do the work), with the words saying for whom. Not transitive: a deputy's own deputy is not added.
/// </summary>
internal static class Deputies
{
    /// <summary>A deputy to notify and the words that say for whom ("deputising for Anna Berg, absent until 12 March 2027").</summary>
    public sealed record Added(UserAccount Deputy, string For, string AbsentName, DateOnly Until, Guid AbsentUserId);

    public static async Task<IReadOnlyList<Added>> ForAsync(IAbsenceStore? absences, IUserStore users, IReadOnlyList<UserAccount> recipients, DateOnly today, CancellationToken cancellationToken)
    {
        if (absences is null || recipients.Count == 0)
        {
            return [];
        }

        var current = await absences.ListCurrentAsync([.. recipients.Select(r => r.Id).Distinct()], today, cancellationToken);
        if (current.Count == 0)
        {
            return [];
        }

        var deputies = (await users.GetManyAsync([.. current.Select(a => a.DeputyUserId).Distinct()], cancellationToken)).ToDictionary(u => u.Id);
        var absent = recipients.DistinctBy(r => r.Id).ToDictionary(r => r.Id);
        var added = new List<Added>();
        foreach (var absence in current.OrderBy(a => a.UserName, StringComparer.Ordinal))
        {
            // Checked again at delivery: a deputy deactivated, or moved to another role or region since, is not told.
            if (deputies.TryGetValue(absence.DeputyUserId, out var deputy) && AbsenceRules.Unable(absent[absence.UserId], deputy, ReferenceLabels.None) is null)
            {
                added.Add(new Added(deputy, $"deputising for {absence.UserName}, absent until {AbsenceRules.Day(absence.EndsOn)}", absence.UserName, absence.EndsOn, absence.UserId));
            }
        }

        return added;
    }
}
