using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts.Absences;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Web.Pages.Shared;

/// <summary>
/// What the "Absences" section (_Absences) shows: the user's absences, whom they deputise for, and the form to record
/// one with what was typed and its problems after a refusal. On the profile page for oneself, on an administrator's
/// user page for that user.
/// </summary>
internal sealed record AbsencesSection(GetAbsences.Result Data, bool ForSelf)
{
    public string? StartsOn { get; init; }
    public string? EndsOn { get; init; }
    public Guid? DeputyUserId { get; init; }

    /// <summary>The refusal of the last post, in words; null when there was none.</summary>
    public string? Error { get; init; }
    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    public string? ErrorOf(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;
}

/// <summary>The posts of the "Absences" section, shared by the pages that show it: each answers a redirect or the page again with the refusal.</summary>
internal static class AbsencePosts
{
    public static async Task<IActionResult> RecordAsync(PageModel page, RecordAbsence record, Guid userId, string? startsOn, string? endsOn, Guid? deputyUserId,
        Func<Func<AbsencesSection, AbsencesSection>, Task<IActionResult>> again, object? route, CancellationToken cancellationToken)
    {
        var result = await record.HandleAsync(new RecordAbsence.Request(userId, startsOn, endsOn, deputyUserId), page.User.ToActor(), cancellationToken);
        return await AnswerAsync(page, result, again, route, s => s with { StartsOn = startsOn, EndsOn = endsOn, DeputyUserId = deputyUserId });
    }

    public static async Task<IActionResult> EndAsync(PageModel page, EndAbsence end, Guid absenceId, DateOnly? expectedEndsOn,
        Func<Func<AbsencesSection, AbsencesSection>, Task<IActionResult>> again, object? route, CancellationToken cancellationToken)
    {
        var result = await end.HandleAsync(new EndAbsence.Request(absenceId, expectedEndsOn), page.User.ToActor(), cancellationToken);
        return await AnswerAsync(page, result, again, route, s => s);
    }

    private static async Task<IActionResult> AnswerAsync(PageModel page, CaseCommandResult result, Func<Func<AbsencesSection, AbsencesSection>, Task<IActionResult>> again, object? route, Func<AbsencesSection, AbsencesSection> kept)
    {
        switch (result.Status)
        {
            case CaseCommandStatus.NotFound:
                return page.NotFound();
            case CaseCommandStatus.Forbidden:
                return page.Forbid();
            case CaseCommandStatus.Done:
                page.TempData["Flash"] = result.Message;
                return page.RedirectToPage(route);
        }

        page.Response.StatusCode = result.Status switch
        {
            CaseCommandStatus.InvalidForm => StatusCodes.Status422UnprocessableEntity,
            CaseCommandStatus.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status200OK,
        };
        return await again(s => kept(s) with { Error = result.Message, Errors = result.FieldErrors });
    }
}
