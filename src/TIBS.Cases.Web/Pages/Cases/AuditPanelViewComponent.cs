using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core.Audits;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>
/// The audit part of a case page: a strategy's audits and their conclusions (and "Start an audit" for evaluators); an
/// audit's strategy, findings and answers, with the form to record a finding or answer one when the reader may.
/// </summary>
public sealed class AuditPanelViewComponent(AuditsOfCase audits) : ViewComponent
{
    internal sealed record Model(AuditPanel Panel, FindingForm? Form);

    public async Task<IViewComponentResult> InvokeAsync(Guid caseId, FindingForm? form = null)
    {
        var panel = await audits.HandleAsync(new AuditsOfCase.Request(caseId), UserClaimsPrincipal.ToActor(), HttpContext.RequestAborted);
        return panel is null || (!panel.Case.IsAudit && panel.Audits.Count == 0 && !panel.MayStartAudit)
            ? Content("")
            : View(new Model(panel, form));
    }
}

/// <summary>What was posted to record or answer a finding, kept with its errors when it is shown again.</summary>
public sealed record FindingForm
{
    public string? Severity { get; init; }
    public string? StrategyStep { get; init; }
    public string? Description { get; init; }
    public int? Number { get; init; }
    public string? Response { get; init; }
    public string? Message { get; init; }
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();
}
