using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Web.Pages.Audit;

/// <summary>
/// The evaluators' home: completed strategies with their filters and keyset paging, starting an audit of one, drawing
/// a sample, the audits in progress and the findings open per region. Only translates: <see cref="AuditHome"/>,
/// <see cref="StartAudit"/> and <see cref="DrawAuditSample"/> decide.
/// </summary>
[Microsoft.AspNetCore.Authorization.Authorize(Roles = TIBS.Cases.Core.Accounts.Roles.Evaluator + "," + TIBS.Cases.Core.Accounts.Roles.Coordinator)]
internal sealed class IndexModel(AuditHome home, StartAudit start, DrawAuditSample sample, IStringLocalizer<Ui> t) : PageModel
{
    public AuditHome.Request Filter { get; private set; } = new();

    public AuditHomeView View { get; private set; } = new();

    public string? Error { get; private set; }

    public DrawAuditSample.Result? Drawn { get; private set; }

    public IReadOnlyDictionary<string, string> SampleErrors { get; private set; } = new Dictionary<string, string>();

    /// <summary>The sample form as posted (kept after an error).</summary>
    public (string? Region, string? From, string? To, string? Size, string? Seed) SampleInput { get; private set; }

    public bool MayStart => User.IsInRole(TIBS.Cases.Core.Accounts.Roles.Evaluator);

    public async Task<IActionResult> OnGetAsync(string? region, string? country, string? from, string? to, string? s3, string? version, string? audited, string? conclusion, string? after, CancellationToken cancellationToken)
    {
        Filter = new AuditHome.Request { Region = region, Country = country, From = from, To = to, S3Area = s3, Version = version, Audited = audited, Conclusion = conclusion, After = after };
        return await LoadAsync(cancellationToken) ? Page() : Forbid();
    }

    public async Task<IActionResult> OnPostStartAsync(Guid strategyId, CancellationToken cancellationToken)
    {
        var result = await start.HandleAsync(new StartAudit.Request(strategyId), User.ToActor(), cancellationToken);
        switch (result.Status)
        {
            case CaseCommandStatus.Done:
                TempData["Flash"] = result.Message;
                return LocalRedirect($"/cases/{result.Case!.Id}");
            case CaseCommandStatus.NotFound:
                return NotFound();
            case CaseCommandStatus.Forbidden:
                return Forbid();
            default:
                Error = result.Message;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return await LoadAsync(cancellationToken) ? Page() : Forbid();
        }
    }

    public async Task<IActionResult> OnPostSampleAsync(string? region, string? from, string? to, string? size, string? seed, CancellationToken cancellationToken)
    {
        SampleInput = (region, from, to, size, seed);
        var errors = new List<FieldError>();
        var request = new DrawAuditSample.Request(region, Day(from, "from", errors), Day(to, "to", errors), Whole(size, "size", errors), Long(seed, errors));
        Drawn = errors.Count > 0
            ? new DrawAuditSample.Result(CaseCommandStatus.InvalidForm, t["Some fields need attention; nothing was drawn."], null, [], [], []) { FieldErrors = errors }
            : await sample.HandleAsync(request, User.ToActor(), cancellationToken);
        if (Drawn.Status == CaseCommandStatus.Forbidden)
        {
            return Forbid();
        }

        SampleErrors = Drawn.FieldErrors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message);
        if (!Drawn.Succeeded)
        {
            Response.StatusCode = Drawn.Status == CaseCommandStatus.InvalidForm ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
        }

        return await LoadAsync(cancellationToken) ? Page() : Forbid();
    }

    /// <summary>The address of this list with one filter changed (or the next page).</summary>
    public string Link(string? after) => "/audit" + QueryString.Create(new Dictionary<string, string?>
    {
        ["region"] = Filter.Region,
        ["country"] = Filter.Country,
        ["from"] = Filter.From,
        ["to"] = Filter.To,
        ["s3"] = Filter.S3Area,
        ["version"] = Filter.Version,
        ["audited"] = Filter.Audited,
        ["conclusion"] = Filter.Conclusion,
        ["after"] = after,
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var view = await home.HandleAsync(Filter, User.ToActor(), cancellationToken);
        if (view is null)
        {
            return false;
        }

        View = view;
        return true;
    }

    private DateOnly? Day(string? text, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add(new FieldError(field, t["Enter a date such as {0}.", "2026-03-31"]));
        return null;
    }

    private int? Whole(string? text, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        errors.Add(new FieldError(field, t["Enter how many strategies to draw, from 1 to {0}.", DrawAuditSample.MaxSize]));
        return null;
    }

    private long? Long(string? text, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        errors.Add(new FieldError("seed", t["A seed is a whole number, as recorded with an earlier sample; leave it empty for a new draw."]));
        return null;
    }
}
