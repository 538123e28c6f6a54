using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>
/// Partner search of a case: candidates from other countries ranked by the explained <see cref="MatchScorer"/> score,
/// filters, shortlisting, the partner pipeline and expression-of-interest messages between the brokers. Reading
/// follows <see cref="CaseAccess.CanRead"/> (404 otherwise); every write handler checks again and answers 403.
/// Shortlisting or contacting a partner notifies the brokers of the partner's region, who thereby get the case.
/// </summary>
public sealed class PartnersModel(
    CaseService cases,
    FindPartners findPartners,
    ShortlistPartner shortlistPartner,
    INotificationStore notifications,
    IUserStore users,
    TimeProvider time) : PageModel
{
    public const int MaxShown = FindPartnersRequest.DefaultShown;

    [BindProperty(SupportsGet = true, Name = "country")]
    public string? Country { get; set; }

    [BindProperty(SupportsGet = true, Name = "s3")]
    public string? S3 { get; set; }

    [BindProperty(SupportsGet = true, Name = "regionKind")]
    public string? RegionKind { get; set; }

    [BindProperty(SupportsGet = true, Name = "nace")]
    public string? Nace { get; set; }

    [BindProperty(SupportsGet = true, Name = "minScore")]
    public int? MinScore { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    public CaseDetails Details { get; private set; } = null!;

    /// <summary>Filters that cannot be searched for (too long, a forbidden character); nothing is searched then.</summary>
    public IReadOnlyList<TIBS.Cases.Workflows.Forms.FieldError> FilterErrors { get; private set; } = [];

    public Company? Lead { get; private set; }

    public Actor Me { get; private set; } = null!;

    public IReadOnlyList<WorkflowRole> MyRoles { get; private set; } = [];

    public bool CanWrite { get; private set; }

    public bool IsCaseBroker => MyRoles.Contains(WorkflowRole.Broker);

    /// <summary>Only the broker of the case shortlists (see <see cref="CaseService.AddPartnerAsync"/>).</summary>
    public bool CanShortlist => CanWrite && IsCaseBroker && !Details.Case.IsClosed;

    /// <summary>The case's profile as matching reads it: step data with the lead company's record.</summary>
    public MatchProfile? Profile { get; private set; }

    /// <summary>Names of S3 areas and regions, for words instead of codes.</summary>
    public MatchReference Words { get; private set; } = MatchReference.None;

    public IReadOnlyList<MatchResult> Candidates { get; private set; } = [];

    public int CandidatesFound { get; private set; }

    public IReadOnlyList<CaseParticipantRecord> Partners => [.. Details.Participants.Where(p => p.Role == ParticipantRole.Partner)];

    public IReadOnlyList<S3Area> S3Areas { get; private set; } = [];

    public IReadOnlyList<NaceSection> NaceSections { get; private set; } = [];

    public string? ErrorMessage { get; private set; }

    /// <summary>The message form with an error: which partner (empty for the case in general), the text kept.</summary>
    public string? MessageFormKey { get; private set; }

    public string? MessageDraft { get; private set; }

    public string? MessageError { get; private set; }

    public static IReadOnlyList<string> MoveTo { get; } = [PipelineStatus.Contacted, PipelineStatus.Interested, PipelineStatus.Declined, PipelineStatus.Agreed];

    public static IReadOnlyList<string> RegionKinds => FindPartners.RegionKinds;

    /// <summary>The case's broker, or the broker of the partner's region, moves a partner along the pipeline.</summary>
    public bool CanMove(CaseParticipantRecord partner) =>
        CanWrite && !Details.Case.IsClosed &&
        (IsCaseBroker || (Me.Role == Roles.Broker && Me.RegionCode == partner.RegionCode && MyRoles.Contains(WorkflowRole.PartnerBroker)));

    public static string Key(Guid? participantId) => participantId?.ToString() ?? "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostShortlistAsync(Guid id, int version, Guid companyId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!CanShortlist)
        {
            return Forbidden();
        }

        var result = await shortlistPartner.HandleAsync(new ShortlistPartnerRequest(id, version, companyId, Me), cancellationToken);
        if (!result.Succeeded)
        {
            return await FailAsync(id, result, cancellationToken);
        }

        var after = await cases.GetDetailsAsync(id, cancellationToken);
        var participant = after?.Participants.FirstOrDefault(p => p.CompanyId == companyId);
        var notified = participant is null ? 0 : await NotifyRegionBrokersAsync(after!.Case, participant, "shortlisted", NotificationKinds.PartnerShortlisted, cancellationToken);
        TempData["Flash"] = $"{result.Message} {Notified(notified, participant?.RegionCode ?? "")}";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostStatusAsync(Guid id, int version, Guid participantId, string? status, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var partner = Partners.FirstOrDefault(p => p.Id == participantId);
        if (partner is null)
        {
            return NotFound();
        }

        if (!CanMove(partner))
        {
            return Forbidden();
        }

        var result = await cases.SetPartnerStatusAsync(id, version, participantId, status ?? "", Me, cancellationToken);
        if (!result.Succeeded)
        {
            return await FailAsync(id, result, cancellationToken);
        }

        var message = $"{partner.CompanyName}: {TIBS.Cases.Core.Display.Words.PipelineStatus(status ?? "")}.";
        if (status == PipelineStatus.Contacted)
        {
            var notified = await NotifyRegionBrokersAsync(result.Case ?? Details.Case, partner, "contacted", NotificationKinds.PartnerContacted, cancellationToken);
            message += " " + Notified(notified, partner.RegionCode);
        }

        TempData["Flash"] = message;
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostMessageAsync(Guid id, Guid? participantId, string? body, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!CanWrite || Details.Case.IsClosed)
        {
            return Forbidden();
        }

        if (participantId is { } pid && Partners.All(p => p.Id != pid))
        {
            return NotFound();
        }

        var result = await cases.AddMessageAsync(id, participantId, body ?? "", Me, cancellationToken);
        if (result.Succeeded)
        {
            TempData["Flash"] = result.Message;
            return RedirectToPage(new { id });
        }

        MessageFormKey = Key(participantId);
        MessageDraft = body;
        MessageError = result.FieldErrors.FirstOrDefault()?.Message;
        return await FailAsync(id, result, cancellationToken);
    }

    private StatusCodeResult Forbidden() => StatusCode(StatusCodes.Status403Forbidden);

    private static string Notified(int count, string region) => count switch
    {
        0 => $"No broker of {region} was notified (none registered, or already notified).",
        1 => $"The broker of {region} was notified.",
        _ => $"{count} brokers of {region} were notified.",
    };

    private async Task<int> NotifyRegionBrokersAsync(CaseRecord @case, CaseParticipantRecord partner, string what, string kind, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        var count = 0;
        foreach (var broker in (await users.ListAsync(cancellationToken)).Where(u => u.Role == Roles.Broker && u.IsActive && u.RegionCode == partner.RegionCode && u.Id != Me.UserId))
        {
            var added = await notifications.AddAsync(new NotificationRecord
            {
                Id = Guid.CreateVersion7(now),
                UserId = broker.Id,
                CaseId = @case.Id,
                Kind = kind,
                Title = $"{partner.CompanyName} {what} as partner on {@case.Reference}",
                Body = $"{partner.CompanyName} of your region was {what} as a partner for \"{@case.Title}\" ({@case.Reference}). You can follow the case and record the partner's interest.",
                DeliveryKey = $"{what}:{partner.Id}:{broker.Id}",
                CreatedAt = now,
            }, cancellationToken);
            count += added ? 1 : 0;
        }

        return count;
    }

    private async Task<IActionResult> FailAsync(Guid id, CaseCommandResult result, CancellationToken cancellationToken)
    {
        switch (result.Status)
        {
            case CaseCommandStatus.NotFound:
                return NotFound();
            case CaseCommandStatus.Forbidden:
                return Forbidden();
        }

        await LoadAsync(id, cancellationToken);
        ErrorMessage = result.Status == CaseCommandStatus.Conflict
            ? "This case was changed by someone else after you opened this page, so nothing was saved. The page now shows the current state — check it and try again."
            : result.Message;
        Response.StatusCode = result.Status == CaseCommandStatus.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        Me = User.ToActor();
        var found = await findPartners.HandleAsync(new FindPartnersRequest
        {
            CaseId = id,
            Actor = Me,
            Country = Country,
            S3Area = S3,
            NaceSection = Nace,
            RegionKind = RegionKind,
            MinScore = MinScore,
            Text = Q,
        }, cancellationToken);
        if (found.Status != FindPartnersStatus.Found || found.Details is not { } details)
        {
            return false;
        }

        Details = details;
        MyRoles = CaseRoles.Of(Me, details.Case, details.Participants);
        CanWrite = CaseAccess.CanWrite(Me, details.Case, details.Participants);
        Lead = found.Lead;
        Profile = found.Profile;
        Words = found.Reference;
        S3Areas = found.S3Areas;
        NaceSections = found.NaceSections;
        FilterErrors = found.FilterErrors;
        CandidatesFound = found.CandidatesFound;
        Candidates = found.Candidates;
        return true;
    }

    /// <summary>The lead's S3 areas with where each came from, in words.</summary>
    public string ProfileS3() => Profile is null || Profile.S3Areas.Count == 0
        ? "none recorded yet"
        : string.Join("; ", Profile.S3Areas.Select(a => $"{Words.S3Name(a.Code)} ({ProfileSource.From(a.Sources)})"));

    /// <summary>The case's target countries in words.</summary>
    public string ProfileTargets() => Profile is null || Profile.TargetCountries.Count == 0
        ? "none recorded yet"
        : string.Join(", ", Profile.TargetCountries.Select(t => CompanyRules.CountryName(t.Code)));

    /// <summary>A region in words with its Trans-S3 kind: "Hamburg (advanced region)".</summary>
    public string RegionWords(string code) => Words.RegionKind(code) is { } kind ? $"{Words.RegionName(code)} ({kind} region)" : Words.RegionName(code);
}
