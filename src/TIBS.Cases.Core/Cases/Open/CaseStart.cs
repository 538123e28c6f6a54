using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// The first write of every new case, whichever use case opens it (a strategy, an audit): the next reference of its
/// region, the case row at the definition's start step, the step record, the opening audit event and the step's
/// reminders. The caller adds its own rows (the lead participant) and commits.
/// </summary>
internal static class CaseStart
{
    /// <param name="details">Keys the opening event records beyond the common ones (reference, definition, lead company, region, owner, step).</param>
    public static async Task<CaseWrite> PrepareAsync(
        ICaseStore cases, WorkflowVersionRecord version, WorkflowPlan plan, (Guid Id, string Name, string RegionCode) lead, Func<string, string> title,
        Actor actor, DateTimeOffset now, Guid? auditedCaseId, JsonObject? details, CancellationToken cancellationToken)
    {
        var number = await cases.NextReferenceNumberAsync(lead.RegionCode, now.Year, cancellationToken);
        var caseId = Guid.CreateVersion7(now);
        var reference = string.Create(CultureInfo.InvariantCulture, $"{lead.RegionCode}-{now.Year}-{number:0000}");
        var step = plan.GetStep(new WorkflowRuntime(plan).Start().State);
        var stepRecord = CaseSteps.NewStep(caseId, step, now, lead.RegionCode);
        var data = new JsonObject
        {
            ["reference"] = reference,
            ["definition"] = plan.Key,
            ["version"] = plan.Version,
            ["leadCompanyId"] = lead.Id.ToString(),
            ["leadCompany"] = lead.Name,
            ["region"] = lead.RegionCode,
            ["owner"] = actor.UserId.ToString(),
            ["step"] = step.Key,
        };
        foreach (var (key, value) in details ?? [])
        {
            data[key] = value?.DeepClone();
        }

        var opened = AuditChain.Append(caseId, 1, AuditChain.GenesisHash, now, actor.AuditId, CaseEventKinds.CaseOpened, step.Key, data.ToJsonString());
        var record = new CaseRecord
        {
            Id = caseId,
            Reference = reference,
            Title = title(reference),
            DefinitionVersionId = version.Id,
            LeadCompanyId = lead.Id,
            RegionCode = lead.RegionCode,
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
            AuditedCaseId = auditedCaseId,
        };
        return new CaseWrite { Case = record, StartedSteps = [stepRecord], Events = [opened], NewReminders = CaseSteps.Schedule(plan, step, stepRecord, now, lead.RegionCode) };
    }
}
