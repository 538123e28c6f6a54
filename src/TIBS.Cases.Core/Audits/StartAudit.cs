using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Core.Audits;

/// <summary>
/// An evaluator starts an audit of one completed strategy: an audit case on the published version of the audit
/// definition, linked to the strategy (<see cref="CaseRecord.AuditedCaseId"/>), with the strategy's lead company and
/// region, owned by the evaluator; its first step, opening event and reminders in one transaction. A strategy with an
/// audit still running is not audited twice at once.
/// </summary>
public sealed class StartAudit(ICaseStore cases, IAuditStore audits, ICompanyStore companies, WorkflowCatalog catalog, TimeProvider time)
{
    public sealed record Request(Guid StrategyCaseId);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != WorkflowRole.Evaluator)
        {
            return new CaseCommandResult(CaseCommandStatus.Forbidden, Localized.Text("Audits are started by evaluators."));
        }

        var strategy = await cases.GetAsync(request.StrategyCaseId, cancellationToken);
        if (strategy is null || !CaseAccess.CanRead(actor, strategy, []))
        {
            return CaseCommandResult.Missing(Localized.Text("The strategy was not found."));
        }

        return await OpenAsync(strategy, actor, null, cancellationToken);
    }

    /// <summary>Opens the audit of <paramref name="strategy"/>; <paramref name="sample"/> names the draw it came from, if any.</summary>
    internal async Task<CaseCommandResult> OpenAsync(CaseRecord strategy, Actor actor, SampleDraw? sample, CancellationToken cancellationToken)
    {
        if (!CaseAccess.CanAudit(actor, strategy))
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, strategy.IsAudit
                ? Localized.Format("{0} is an audit itself; audit the strategy it audits instead.", strategy.Reference)
                : Localized.Format("{0} is still running; only completed strategies are audited.", strategy.Reference))
            { Case = strategy };
        }

        if ((await audits.GetAuditsOfAsync(strategy.Id, cancellationToken)).FirstOrDefault(a => a.Status != CaseStatus.Closed) is { } running)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, Localized.Format("{0} already has an audit in progress: {1}.", strategy.Reference, running.Reference)) { Case = strategy };
        }

        var company = await companies.GetAsync(strategy.LeadCompanyId, cancellationToken);
        var (version, plan) = await catalog.GetPublishedAsync(AuditDefinition.Key, cancellationToken);
        var now = time.UtcNow();
        var details = new JsonObject
        {
            ["audits"] = strategy.Reference,
            ["auditedCaseId"] = strategy.Id.ToString(),
        };
        if (sample is not null)
        {
            details["sampleId"] = sample.Id.ToString();
            details["seed"] = sample.Seed.ToString(CultureInfo.InvariantCulture);
            details["period"] = string.Create(CultureInfo.InvariantCulture, $"from {sample.From:yyyy-MM-dd} to {sample.To:yyyy-MM-dd}");
            details["drawn"] = string.Join(", ", sample.Drawn);
        }

        var write = await CaseStart.PrepareAsync(
            cases, version, plan, (strategy.LeadCompanyId, company?.Name ?? "", strategy.RegionCode), _ => $"Audit of {strategy.Reference}",
            actor, now, strategy.Id, details, cancellationToken);
        await cases.CommitAsync(write, cancellationToken);
        var record = write.Case;
        var reference = record.Reference;
        var step = plan.GetStep(record.CurrentStep);
        return new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("Audit {0} of {1} started at '{2}'.", reference, strategy.Reference, step.Name)) { Case = record };
    }
}

/// <summary>The draw an audit came from: recorded in the audit's opening event.</summary>
internal sealed record SampleDraw(Guid Id, long Seed, DateOnly From, DateOnly To, IReadOnlyList<string> Drawn);
