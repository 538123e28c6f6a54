using System.Globalization;
using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Companies.DeMinimis;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;

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
        var status = Localized.Format(
            "Received from {0} to {1}: {2} of the ceiling of {3} over any three years (Regulation (EU) 2023/2831); {4} remains.",
            Day(period.From), Day(period.To), DeMinimisRules.Euros(period.SumCents), DeMinimisRules.Euros(view.CeilingCents), DeMinimisRules.Euros(period.RemainingCents))
            + (period.OverCeiling ? " " + Localized.Text("Over the ceiling.") : "");
        List<DossierBlock> blocks = [new DossierParagraph(status)];
        blocks.Add(view.Records.Count == 0
            ? new DossierParagraph(Localized.Text("No aid recorded."))
            : new DossierTable([Localized.Text("Granted on"), Localized.Text("Granting body"), Localized.Text("Amount"), Localized.Text("Description")], [2, 3, 2, 4],
                [.. view.Records.Select(r => (IReadOnlyList<string>)[Day(r.GrantedOn), r.GrantingBody, DeMinimisRules.Euros(r.AmountCents), r.Description ?? ""])]));
        return new DossierSection(Localized.Format("De minimis aid of {0}", view.Company.Name), blocks);
    }

    private static string Day(DateOnly day) => MessageDates.Long(day);
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
            return new DossierSection(Localized.Text("Audits"), [new DossierParagraph(Localized.Text("Not audited yet."))]);
        }

        var blocks = new List<DossierBlock>();
        foreach (var a in list)
        {
            var findings = await audits.GetFindingsAsync(a.Id, cancellationToken);
            blocks.Add(new DossierHeading(Localized.Format("Audit {0}", a.Reference)));
            blocks.Add(new DossierFacts(
            [
                new(Localized.Text("Evaluator"), a.OwnerName),
                new(Localized.Text("Started"), DossierText.When(a.OpenedAt)),
                new(Localized.Text("Where it stands"), Conclusion(a)),
                new(Localized.Text("Closed"), DossierText.When(a.ClosedAt, Localized.Text("Not closed"))),
                new(Localized.Text("Findings"), Localized.Format("{0} ({1} without an answer)", MessageDates.Number(findings.Count), MessageDates.Number(findings.Count(f => !f.IsAnswered)))),
            ]));
            if (findings.Count > 0)
            {
                blocks.Add(new DossierTable(["#", Localized.Text("Severity"), Localized.Text("Step"), Localized.Text("Finding"), Localized.Text("Broker's answer")], [0.6, 1.4, 2, 4, 4],
                    [.. findings.OrderBy(f => f.Number).Select(f => (IReadOnlyList<string>)
                    [
                        f.Number.ToString(CultureInfo.InvariantCulture),
                        Localized.Text(FindingSeverity.Label(f.Severity)),
                        context.Display.StepName(f.StrategyStep),
                        f.Description,
                        f.Response ?? Localized.Text("No answer yet"),
                    ])]));
            }
        }

        return new DossierSection(Localized.Text("Audits"), blocks);
    }

    /// <summary>As the case page says it: concluded and how, cancelled, or in progress.</summary>
    public static string Conclusion(AuditSummary audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return AuditDefinition.ConclusionLabel(audit.CurrentStep) is { } concluded ? Localized.Format("Concluded: {0}", Localized.Text(concluded))
            : audit.Status == "closed" ? Localized.Text("Cancelled") : Localized.Text("In progress");
    }
}
