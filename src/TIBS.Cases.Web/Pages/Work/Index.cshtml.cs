using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Work;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Work;

/// <summary>
/// "My work" of the signed-in broker: open steps that are the broker's (cases of their region), open partner tracks of
/// their region, cases where a company of their region is a partner, unread notifications and recent activity on the
/// cases they may read; and, for a deputy, what waits for each absent colleague they deputise for.
/// </summary>
internal sealed class IndexModel(MyWork myWork, MyOpenTracks openTracks, MyDeputising deputising, Microsoft.Extensions.Localization.IStringLocalizer<Ui> t) : PageModel
{
    /// <summary>The colleagues absent today whose deputy the user is, with what waits for them.</summary>
    public IReadOnlyList<Deputising> Deputising { get; private set; } = [];

    /// <summary>Open partner tracks of the broker's region, the earliest due first.</summary>
    public IReadOnlyList<MyOpenTrack> Tracks { get; private set; } = [];

    public IReadOnlyList<MyWorkStep> Steps { get; private set; } = [];

    /// <summary>The address of the next page of open steps; null on the last page.</summary>
    public string? MoreStepsUrl { get; private set; }

    /// <summary>Whether the open steps shown are a later page than the first.</summary>
    public bool LaterSteps { get; private set; }

    /// <summary>Why the first page is shown instead of the one the address asked for.</summary>
    public string? PagingProblem { get; private set; }

    public IReadOnlyList<PartnerCaseItem> PartnerCases { get; private set; } = [];

    /// <summary>The address of the next page of partner cases; null on the last page.</summary>
    public string? MorePartnersUrl { get; private set; }

    /// <summary>The address of the first partner cases with the open steps shown now; null on the first page.</summary>
    public string? FirstPartnersUrl { get; private set; }

    /// <summary>The address of the first open steps with the partner cases shown now; null on the first page.</summary>
    public string? FirstStepsUrl { get; private set; }

    /// <summary>Why the first partner cases are shown instead of the page the address asked for.</summary>
    public string? PartnersPagingProblem { get; private set; }

    public IReadOnlyList<NotificationRecord> Unread { get; private set; } = [];

    public IReadOnlyList<ActivityItem> Activity { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    private TIBS.Cases.Core.Display.ReferenceLabels labels = TIBS.Cases.Core.Display.ReferenceLabels.None;

    public string RegionName(string code) => labels.Region(code);

    /// <summary>
    /// My work; <paramref name="after"/> and <paramref name="due"/> (the last listed case's reference and due date) ask
    /// for a later page of open steps, <paramref name="partnersAfter"/> and <paramref name="partnersChanged"/> (the last
    /// listed participation and the time of its last change) for a later page of partner cases.
    /// </summary>
    public async Task OnGetAsync(
        string? after,
        string? due,
        [FromQuery(Name = "partners-after")] string? partnersAfter,
        [FromQuery(Name = "partners-changed")] string? partnersChanged,
        CancellationToken cancellationToken)
    {
        var cursor = Cursor(after, due);
        if (after is not null && cursor is null)
        {
            PagingProblem = t["That link to more open steps is not valid; the first open steps are shown."].Value;
        }

        var partnersCursor = PartnersCursor(partnersAfter, partnersChanged);
        if ((partnersAfter is not null || partnersChanged is not null) && partnersCursor is null)
        {
            PartnersPagingProblem = t["That link to more partner cases is not valid; the latest partner cases are shown."].Value;
        }

        var view = await myWork.HandleAsync(User.ToActor(), cursor, partnersCursor, cancellationToken);
        (Steps, PartnerCases, Unread, Activity, labels, Now) = (view.Steps, view.PartnerCases, view.Unread, view.Activity, view.Labels, view.Now);
        LaterSteps = cursor is not null;
        MoreStepsUrl = view.NextSteps is { } next ? Address(next, partnersCursor) : null;
        FirstStepsUrl = cursor is not null ? Address(null, partnersCursor) : null;
        MorePartnersUrl = view.NextPartners is { } nextPartners ? Address(cursor, nextPartners) : null;
        FirstPartnersUrl = partnersCursor is not null ? Address(cursor, null) : null;
        Tracks = await openTracks.HandleAsync(User.ToActor(), cancellationToken);
        Deputising = await deputising.HandleAsync(User.ToActor(), cancellationToken);
    }

    /// <summary>My work's address showing the open steps after <paramref name="steps"/> and the partner cases after <paramref name="partners"/>.</summary>
    private static string Address(OpenStepCursor? steps, PartnerCaseCursor? partners) =>
        QueryHelpers.AddQueryString("/work", new Dictionary<string, string?>
        {
            ["after"] = steps?.Reference,
            ["due"] = steps?.DueAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["partners-after"] = partners?.ParticipantId.ToString("D"),
            ["partners-changed"] = partners?.UpdatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        }.Where(p => p.Value is not null));

    /// <summary>The partner cases' start from the address: a participation's id and the time of its last change, both required.</summary>
    private static PartnerCaseCursor? PartnersCursor(string? after, string? changed) =>
        Guid.TryParseExact(after, "D", out var id)
        && changed is { Length: <= 40 }
        && DateTimeOffset.TryParse(changed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? new PartnerCaseCursor(at, id)
            : null;

    /// <summary>The page's start from the address: a reference as the product writes them and, when given, a due date.</summary>
    private static OpenStepCursor? Cursor(string? after, string? due)
    {
        if (string.IsNullOrEmpty(after) || after.Length > 64 || after.Any(char.IsControl))
        {
            return null;
        }

        if (due is null)
        {
            return new OpenStepCursor(null, after);
        }

        return DateTimeOffset.TryParse(due, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? new OpenStepCursor(at, after)
            : null;
    }

    public async Task<IActionResult> OnPostReadAsync(Guid notificationId, CancellationToken cancellationToken)
    {
        var marked = await myWork.MarkReadAsync(User.ToActor(), notificationId, cancellationToken);
        TempData["Flash"] = marked ? t["Notification marked as read."].Value : t["That notification was already read."].Value;
        return RedirectToPage();
    }
}
