using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Core.Audits;

/// <summary>
/// The broker of the audited strategy's region answers one finding while the audit waits for the broker's response;
/// each finding takes one answer. The answer and its audit event are written together, appended like a note. The
/// response step is complete once every finding has an answer (the <c>findings-answered</c> condition).
/// </summary>
public sealed class AnswerFinding(CaseCommandContext context, IAuditStore audits)
{
    public sealed record Request(Guid AuditCaseId, int Number, string? Response);

    public Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return context.ExecuteAsync(request.AuditCaseId, null, actor, opening => DecideAsync(opening, request, actor, cancellationToken), cancellationToken);
    }

    private async Task<CaseCommandResult> DecideAsync(CaseOpening opening, Request request, Actor actor, CancellationToken cancellationToken)
    {
        if (AuditDefinition.Refusal(opening, actor, AuditDefinition.ResponseStep, Localized.Text("Findings are answered while the audit waits for the broker's response."),
            Localized.Text("Findings are answered by the broker of the strategy's region.")) is { } refused)
        {
            return refused;
        }

        var c = opening.Details!.Case;
        var finding = (await audits.GetFindingsAsync(c.Id, cancellationToken)).FirstOrDefault(f => f.Number == request.Number);
        if (finding is null)
        {
            return new CaseCommandResult(CaseCommandStatus.NotFound, Localized.Format("The audit has no finding {0}.", request.Number)) { Case = c };
        }

        if (finding.IsAnswered)
        {
            return opening.Refuse(CaseCommandStatus.Refused, Localized.Format("Finding {0} already has an answer.", finding.Number));
        }

        var field = string.Create(CultureInfo.InvariantCulture, $"response-{finding.Number}");
        if (string.IsNullOrWhiteSpace(request.Response))
        {
            return opening.Invalid(field, Localized.Format("Write the answer to finding {0}.", finding.Number));
        }

        if (TextRules.Problem(Localized.Text("The answer"), request.Response, TextRules.MaxNoteLength) is { } problem)
        {
            return opening.Invalid(field, problem);
        }

        var now = context.Now();
        var answered = finding with { Response = request.Response.Trim(), AnsweredBy = actor.UserId, AnsweredAt = now };
        var (advanced, evt) = c.RecordAppendOnly(now, actor, CaseEventKinds.FindingAnswered, c.CurrentStep, new JsonObject
        {
            ["findingId"] = finding.Id.ToString(),
            ["number"] = finding.Number,
            ["response"] = answered.Response,
        }.ToJsonString());
        return await context.CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = c.Version,
            AppendOnly = true,
            Events = [evt],
            AnsweredFindings = [answered],
        }, Localized.Format("Finding {0} answered.", finding.Number), cancellationToken);
    }
}
