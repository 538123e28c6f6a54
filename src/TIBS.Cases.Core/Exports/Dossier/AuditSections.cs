using System.Globalization;
using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Companies.DeMinimis;

namespace TIBS.Cases.Core.Exports.Dossier;

/// <summary>
/// The de minimis aid declared for the lead company: each record, and the three-year total against the ceiling as the
/// company page shows it. Left out for readers who may not see aid, and when the lead company is no longer in TIBS.
/// </summary>
internal sealed class DeMinimisSection(GetDeMinimisAid aid) : IDossierSection
{
    public int Order => 150;

    public async Task<DossierSection?> BuildAsync(DossierContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await aid.HandleAsync(new GetDeMinimisAid.Request(context.Case.Case.LeadCompanyId), context.Reader, cancellationToken);
        if (result.View is not { } view)
        {
            return null;
        }

        var period = view.LastThreeYears;
        var status = $"Received from {Day(period.From)} to {Day(period.To)}: {DeMinimisRules.Euros(period.SumCents)} of the ceiling of "
            + $"{DeMinimisRules.Euros(view.CeilingCents)} over any three years (Regulation (EU) 2023/2831); {DeMinimisRules.Euros(period.RemainingCents)} remains."
            + (period.OverCeiling ? " Over the ceiling." : "");
        List<DossierBlock> blocks = [new DossierParagraph(status)];
        blocks.Add(view.Records.Count == 0
            ? new DossierParagraph("No aid recorded.")
            : new DossierTable(["Granted on", "Granting body", "Amount", "Description"], [2, 3, 2, 4],
                [.. view.Records.Select(r => (IReadOnlyList<string>)[Day(r.GrantedOn), r.GrantingBody, DeMinimisRules.Euros(r.AmountCents), r.Description ?? ""])]));
        return new DossierSection($"De minimis aid of {view.Company.Name}", blocks);
    }

    private static string Day(DateOnly day) => day.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}

/// <summary>
/// The strategy's audits and their conclusions, as its case page lists them, each with its findings and the broker's
/// answers. Left out of an audit's own dossier.
/// </summary>
internal sealed class AuditsSection(IAuditStore audits) : IDossierSection
{
    public int Order => 800;

    public async Task<DossierSection?> BuildAsync(DossierContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var c = context.Case.Case;
        if (c.IsAudit)
        {
            return null;
        }

        var list = await audits.GetAuditsOfAsync(c.Id, cancellationToken);
        if (list.Count == 0)
        {
            return new DossierSection("Audits", [new DossierParagraph("Not audited yet.")]);
        }

        var blocks = new List<DossierBlock>();
        foreach (var a in list)
        {
            var findings = await audits.GetFindingsAsync(a.Id, cancellationToken);
            blocks.Add(new DossierHeading($"Audit {a.Reference}"));
            blocks.Add(new DossierFacts(
            [
                new("Evaluator", a.OwnerName),
                new("Started", DossierText.When(a.OpenedAt)),
                new("Where it stands", Conclusion(a)),
                new("Closed", DossierText.When(a.ClosedAt, "Not closed")),
                new("Findings", string.Create(CultureInfo.InvariantCulture, $"{findings.Count} ({findings.Count(f => !f.IsAnswered)} without an answer)")),
            ]));
            if (findings.Count > 0)
            {
                blocks.Add(new DossierTable(["#", "Severity", "Step", "Finding", "Broker's answer"], [0.6, 1.4, 2, 4, 4],
                    [.. findings.OrderBy(f => f.Number).Select(f => (IReadOnlyList<string>)
                    [
                        f.Number.ToString(CultureInfo.InvariantCulture),
                        FindingSeverity.Label(f.Severity),
                        context.Display.StepName(f.StrategyStep),
                        f.Description,
                        f.Response ?? "No answer yet",
                    ])]));
            }
        }

        return new DossierSection("Audits", blocks);
    }

    /// <summary>As the case page says it: concluded and how, cancelled, or in progress.</summary>
    public static string Conclusion(AuditSummary audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return AuditDefinition.ConclusionLabel(audit.CurrentStep) is { } concluded ? $"Concluded: {concluded}"
            : audit.Status == "closed" ? "Cancelled" : "In progress";
    }
}
