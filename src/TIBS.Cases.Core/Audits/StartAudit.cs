using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
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
            return new CaseCommandResult(CaseCommandStatus.Forbidden, "Audits are started by evaluators.");
        }

        var strategy = await cases.GetAsync(request.StrategyCaseId, cancellationToken);
        if (strategy is null || !CaseAccess.CanRead(actor, strategy, []))
        {
            return CaseCommandResult.NotFound("The strategy");
        }

        return await OpenAsync(strategy, actor, null, cancellationToken);
    }

    /// <summary>Opens the audit of <paramref name="strategy"/>; <paramref name="sample"/> names the draw it came from, if any.</summary>
    internal async Task<CaseCommandResult> OpenAsync(CaseRecord strategy, Actor actor, SampleDraw? sample, CancellationToken cancellationToken)
    {
        if (!CaseAccess.CanAudit(actor, strategy))
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, strategy.IsAudit
                ? $"{strategy.Reference} is an audit itself; audit the strategy it audits instead."
                : $"{strategy.Reference} is still running; only completed strategies are audited.")
            { Case = strategy };
        }

        if ((await audits.GetAuditsOfAsync(strategy.Id, cancellationToken)).FirstOrDefault(a => a.Status != CaseStatus.Closed) is { } running)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, $"{strategy.Reference} already has an audit in progress: {running.Reference}.") { Case = strategy };
        }

        var company = await companies.GetAsync(strategy.LeadCompanyId, cancellationToken);
        var (version, plan) = await catalog.GetPublishedAsync(AuditDefinition.Key, cancellationToken);
        var now = time.UtcNow();
        var number = await cases.NextReferenceNumberAsync(strategy.RegionCode, now.Year, cancellationToken);
        var caseId = Guid.CreateVersion7(now);
        var reference = string.Create(CultureInfo.InvariantCulture, $"{strategy.RegionCode}-{now.Year}-{number:0000}");
        var step = plan.GetStep(new WorkflowRuntime(plan).Start().State);
        var stepRecord = CaseSteps.NewStep(caseId, step, now);
        var data = new JsonObject
        {
            ["reference"] = reference,
            ["definition"] = plan.Key,
            ["version"] = plan.Version,
            ["audits"] = strategy.Reference,
            ["auditedCaseId"] = strategy.Id.ToString(),
            ["leadCompanyId"] = strategy.LeadCompanyId.ToString(),
            ["leadCompany"] = company?.Name ?? "",
            ["region"] = strategy.RegionCode,
            ["owner"] = actor.UserId.ToString(),
            ["step"] = step.Key,
        };
        if (sample is not null)
        {
            data["sampleId"] = sample.Id.ToString();
            data["seed"] = sample.Seed.ToString(CultureInfo.InvariantCulture);
            data["period"] = string.Create(CultureInfo.InvariantCulture, $"from {sample.From:yyyy-MM-dd} to {sample.To:yyyy-MM-dd}");
            data["drawn"] = string.Join(", ", sample.Drawn);
        }

        var opened = AuditChain.Append(caseId, 1, AuditChain.GenesisHash, now, actor.AuditId, CaseEventKinds.CaseOpened, step.Key, data.ToJsonString());
        var record = new CaseRecord
        {
            Id = caseId,
            Reference = reference,
            Title = $"Audit of {strategy.Reference}",
            DefinitionVersionId = version.Id,
            LeadCompanyId = strategy.LeadCompanyId,
            RegionCode = strategy.RegionCode,
            OwnerUserId = actor.UserId,
            Status = CaseStatus.Active,
            CurrentStage = step.StageKey,
            CurrentStep = step.Key,
            StepStartedAt = now,
            StepDueAt = stepRecord.DueAt,
            Data = "{}",
            Version = 1,
            AuditHeadHash = opened.Hash,
            AuditCount = 1,
            OpenedAt = now,
            UpdatedAt = now,
            AuditedCaseId = strategy.Id,
        };
        await cases.CommitAsync(new CaseWrite
        {
            Case = record,
            StartedSteps = [stepRecord],
            Events = [opened],
            NewReminders = CaseSteps.Schedule(plan, step, stepRecord, now),
        }, cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, $"Audit {reference} of {strategy.Reference} started at '{step.Name}'.") { Case = record };
    }
}

/// <summary>The draw an audit came from: recorded in the audit's opening event.</summary>
internal sealed record SampleDraw(Guid Id, long Seed, DateOnly From, DateOnly To, IReadOnlyList<string> Drawn);
