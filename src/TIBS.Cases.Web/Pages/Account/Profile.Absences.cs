using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core.Accounts.Absences;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Web.Pages.Shared;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>The "Absences" section of the profile: record one's own absence and deputy, end one early or delete a future one.</summary>
internal sealed partial class ProfileModel
{
    public AbsencesSection? Absences { get; private set; }

    public Task<IActionResult> OnPostAddAbsenceAsync(string? startsOn, string? endsOn, Guid? deputyUserId, [FromServices] RecordAbsence record, CancellationToken cancellationToken) =>
        AbsencePosts.RecordAsync(this, record, User.ToActor().UserId, startsOn, endsOn, deputyUserId, kept => AgainAsync(kept, cancellationToken), null, cancellationToken);

    public Task<IActionResult> OnPostEndAbsenceAsync(Guid absenceId, DateOnly? expectedEndsOn, [FromServices] EndAbsence end, CancellationToken cancellationToken) =>
        AbsencePosts.EndAsync(this, end, absenceId, expectedEndsOn, kept => AgainAsync(kept, cancellationToken), null, cancellationToken);

    private async Task<IActionResult> AgainAsync(Func<AbsencesSection, AbsencesSection> kept, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        DisplayName = Profile!.DisplayName;
        Absences = kept(Absences!);
        return Page();
    }
}
