using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Audits;

/// <summary>
/// The evaluator records a finding of an audit while it is in its findings step: its severity, the step of the audited
/// strategy it concerns and what was found; numbered 1, 2, … in the audit. The finding row and its audit event are
/// written together; like a note, it only appends to the case, so it never conflicts with someone's step.
/// </summary>
public sealed class RecordFinding(CaseCommandContext context, IAuditStore audits, ICaseStore cases, WorkflowCatalog catalog)
{
    public sealed record Request(Guid AuditCaseId, string? Severity, string? StrategyStep, string? Description);

    public Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return context.ExecuteAsync(request.AuditCaseId, null, actor, opening => DecideAsync(opening, request, actor, cancellationToken), cancellationToken);
    }

    /// <summary>The steps of the audited strategy a finding may concern, in the order of its definition.</summary>
    public async Task<IReadOnlyList<PlanStep>> StrategyStepsAsync(CaseRecord audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var strategy = audit.AuditedCaseId is { } id ? await cases.GetAsync(id, cancellationToken) : null;
        return strategy is null ? [] : (await catalog.GetPlanAsync(strategy.DefinitionVersionId, cancellationToken)).Steps;
    }

    private async Task<CaseCommandResult> DecideAsync(CaseOpening opening, Request request, Actor actor, CancellationToken cancellationToken)
    {
        if (AuditDefinition.Refusal(opening, actor, AuditDefinition.FindingsStep, Localized.Text("Findings are recorded while an audit is in its findings step."), Localized.Text("Findings are recorded by the evaluators.")) is { } refused)
        {
            return refused;
        }

        var c = opening.Details!.Case;
        var errors = new List<TIBS.Cases.Workflows.Forms.FieldError>();
        if (FindingSeverity.All.All(s => s.Value != request.Severity))
        {
            errors.Add(new("severity", Localized.Text("Choose the severity of the finding: minor, major or critical.")));
        }

        var steps = await StrategyStepsAsync(c, cancellationToken);
        var concerned = steps.FirstOrDefault(s => s.Key == request.StrategyStep);
        if (concerned is null)
        {
            errors.Add(new("strategy-step", Localized.Text("Choose the step of the strategy the finding concerns.")));
        }

        if (string.IsNullOrWhiteSpace(request.Description))
        {
            errors.Add(new("description", Localized.Text("Describe the finding.")));
        }
        else if (TextRules.Problem(Localized.Text("The description"), request.Description, TextRules.MaxNoteLength) is { } problem)
        {
            errors.Add(new("description", problem));
        }

        if (errors.Count > 0)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, errors.Count == 1 ? errors[0].Message : Localized.Text("Some fields need attention; nothing was saved.")) { FieldErrors = errors, Case = c };
        }

        var now = context.Now();
        var existing = await audits.GetFindingsAsync(c.Id, cancellationToken);
        var finding = new AuditFindingRecord
        {
            Id = Guid.CreateVersion7(now),
            AuditCaseId = c.Id,
            Number = existing.Count == 0 ? 1 : existing.Max(f => f.Number) + 1,
            Severity = request.Severity!,
            StrategyStep = concerned!.Key,
            Description = request.Description!.Trim(),
            RecordedBy = actor.UserId,
            RecordedAt = now,
        };
        var (advanced, evt) = c.RecordAppendOnly(now, actor, CaseEventKinds.FindingRecorded, c.CurrentStep, new JsonObject
        {
            ["findingId"] = finding.Id.ToString(),
            ["number"] = finding.Number,
            ["severity"] = finding.Severity,
            ["strategyStep"] = finding.StrategyStep,
            ["strategyStepName"] = concerned.Name,
            ["description"] = finding.Description,
        }.ToJsonString());
        return await context.CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = c.Version,
            AppendOnly = true,
            Events = [evt],
            NewFindings = [finding],
        }, Localized.Format("Finding {0} recorded.", finding.Number), cancellationToken);
    }
}
