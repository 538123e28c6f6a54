using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core.Accounts.Absences;
using TIBS.Cases.Web.Pages.Shared;

namespace TIBS.Cases.Web.Pages.Admin.Users;

/// <summary>The "Absences" section of a user's page: an administrator records or ends an absence for the user (sudden illness).</summary>
internal sealed partial class UserModel
{
    public AbsencesSection? Absences { get; private set; }

    public Task<IActionResult> OnPostAddAbsenceAsync(string? startsOn, string? endsOn, Guid? deputyUserId, [FromServices] RecordAbsence record, CancellationToken cancellationToken) =>
        AbsencePosts.RecordAsync(this, record, Id, startsOn, endsOn, deputyUserId, kept => AgainAsync(kept, cancellationToken), new { Id }, cancellationToken);

    public Task<IActionResult> OnPostEndAbsenceAsync(Guid absenceId, DateOnly? expectedEndsOn, [FromServices] EndAbsence end, CancellationToken cancellationToken) =>
        AbsencePosts.EndAsync(this, end, absenceId, expectedEndsOn, kept => AgainAsync(kept, cancellationToken), new { Id }, cancellationToken);

    private async Task<IActionResult> AgainAsync(Func<AbsencesSection, AbsencesSection> kept, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Role = Details!.User.Account.Role;
        Regions = [.. Details.User.Regions];
        OrganisationId = Details.User.Account.OrganisationId;
        Absences = kept(Absences!);
        return Page();
    }
}
