using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>
/// Partner search of a case: candidates from other countries ranked by the explained match score, filters,
/// shortlisting, the partner pipeline and expression-of-interest messages between the brokers. The page only
/// translates HTTP: what is shown comes from <see cref="GetPartnerWorkspace"/>, every change from its handler
/// (<see cref="ShortlistPartner"/>, <see cref="SetPartnerStatus"/>, <see cref="AddMessage"/>), which decide who may
/// do what and write the notifications to the partner's brokers with the change.
/// </summary>
internal sealed class PartnersModel(
    GetPartnerWorkspace workspace,
    ShortlistPartner shortlistPartner,
    SetPartnerStatus setPartnerStatus,
    AddMessage addMessage,
    IStringLocalizer<Ui> t) : PageModel
{
    public const int MaxShown = FindPartners.DefaultShown;

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

    public CaseDetails Details => Workspace.Details;

    /// <summary>Filters that cannot be searched for (too long, a forbidden character); nothing is searched then.</summary>
    public IReadOnlyList<TIBS.Cases.Workflows.Forms.FieldError> FilterErrors => Workspace.Search.FilterErrors;

    public Company? Lead => Workspace.Search.Lead;

    public bool CanWrite => Workspace.CanWrite;

    public bool CanShortlist => Workspace.CanShortlist;

    /// <summary>The case's profile as matching reads it: step data with the lead company's record.</summary>
    public MatchProfile? Profile => Workspace.Search.Profile;

    /// <summary>Names of S3 areas and regions, for words instead of codes.</summary>
    public MatchReference Words => Workspace.Search.Reference;

    public IReadOnlyList<MatchResult> Candidates => Workspace.Search.Candidates;

    public int CandidatesFound => Workspace.Search.CandidatesFound;

    public IReadOnlyList<CaseParticipantRecord> Partners => [.. Workspace.Partners.Select(p => p.Participant)];

    public IReadOnlyList<S3Area> S3Areas => Workspace.Search.S3Areas;

    public IReadOnlyList<NaceSection> NaceSections => Workspace.Search.NaceSections;

    public string? ErrorMessage { get; private set; }

    /// <summary>The message form with an error: which partner (empty for the case in general), the text kept.</summary>
    public string? MessageFormKey { get; private set; }

    public string? MessageDraft { get; private set; }

    public string? MessageError { get; private set; }

    public static IReadOnlyList<string> MoveTo { get; } = [PipelineStatus.Contacted, PipelineStatus.Interested, PipelineStatus.Declined, PipelineStatus.Agreed];

    public static IReadOnlyList<string> RegionKinds => FindPartners.RegionKinds;

    private GetPartnerWorkspace.Result Workspace { get; set; } = new(false);

    /// <summary>The open partner tracks of the case (the step running them now): a partner's state and due date there.</summary>
    public IReadOnlyList<GetCaseTracks.TrackView> OpenTracks { get; private set; } = [];

    public GetCaseTracks.TrackView? OpenTrackOf(CaseParticipantRecord partner) => OpenTracks.FirstOrDefault(t => t.ParticipantId == partner?.Id);

    /// <summary>Whether the reader may move this partner along the pipeline.</summary>
    public bool CanMove(CaseParticipantRecord partner) => Workspace.Partners.Any(p => p.Participant.Id == partner?.Id && p.CanMove);

    public static string Key(Guid? participantId) => participantId?.ToString() ?? "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostShortlistAsync(Guid id, int version, Guid companyId, CancellationToken cancellationToken) =>
        await DoneAsync(id, await shortlistPartner.HandleAsync(new ShortlistPartner.Request(id, version, companyId), User.ToActor(), cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostStatusAsync(Guid id, int version, Guid participantId, string? status, CancellationToken cancellationToken) =>
        await DoneAsync(id, await setPartnerStatus.HandleAsync(new SetPartnerStatus.Request(id, version, participantId, status), User.ToActor(), cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostMessageAsync(Guid id, Guid? participantId, string? body, CancellationToken cancellationToken)
    {
        var result = await addMessage.HandleAsync(new AddMessage.Request(id, participantId, body), User.ToActor(), cancellationToken);
        if (result.Status == CaseCommandStatus.InvalidForm)
        {
            MessageFormKey = Key(participantId);
            MessageDraft = body;
            MessageError = result.FieldErrors.FirstOrDefault()?.Message;
        }

        return await DoneAsync(id, result, cancellationToken);
    }

    private async Task<IActionResult> DoneAsync(Guid id, CaseCommandResult result, CancellationToken cancellationToken)
    {
        switch (result.Status)
        {
            case CaseCommandStatus.Done:
                TempData["Flash"] = result.Message;
                return RedirectToPage(new { id });
            case CaseCommandStatus.NotFound:
                return NotFound();
            case CaseCommandStatus.Forbidden:
                return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        ErrorMessage = result.Status == CaseCommandStatus.Conflict
            ? t["This case was changed by someone else after you opened this page, so nothing was saved. The page now shows the current state — check it and try again."]
            : result.Message;
        Response.StatusCode = result.Status == CaseCommandStatus.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        Workspace = await workspace.HandleAsync(new GetPartnerWorkspace.Request(new FindPartners.Request(id)
        {
            Country = Country,
            S3Area = S3,
            NaceSection = Nace,
            RegionKind = RegionKind,
            MinScore = MinScore,
            Text = Q,
        }), User.ToActor(), cancellationToken);
        if (Workspace.Found && Details.CurrentStep is { Tracks: not null })
        {
            var tracks = await HttpContext.RequestServices.GetRequiredService<GetCaseTracks>().HandleAsync(new GetCaseTracks.Request(id), User.ToActor(), cancellationToken);
            OpenTracks = [.. tracks.Tracks.Where(t => t.Status == TIBS.Cases.Core.Partners.Tracks.TrackStatus.Open)];
        }

        return Workspace.Found;
    }

    /// <summary>The lead's S3 areas with where each came from, in words.</summary>
    public string ProfileS3() => Profile is null || Profile.S3Areas.Count == 0
        ? t["none recorded yet"]
        : string.Join("; ", Profile.S3Areas.Select(a => $"{Words.S3Name(a.Code)} ({ProfileSource.From(a.Sources)})"));

    /// <summary>The case's target countries in words.</summary>
    public string ProfileTargets() => Profile is null || Profile.TargetCountries.Count == 0
        ? t["none recorded yet"]
        : string.Join(", ", Profile.TargetCountries.Select(c => CompanyRules.CountryName(c.Code)));

    /// <summary>A region in words with its Trans-S3 kind: "Hamburg (advanced region)".</summary>
    public string RegionWords(string code) => Words.RegionKind(code) switch
    {
        "advanced" => t["{0} (advanced region)", Words.RegionName(code)],
        "supported" => t["{0} (supported region)", Words.RegionName(code)],
        _ => Words.RegionName(code),
    };
}
