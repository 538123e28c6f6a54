using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Opens a case for a lead SME on the published version of a definition: the case row, its first step, the opening
/// audit event, the step's reminders and the lead participant in one transaction. Cases are opened by the broker of
/// the lead company's region.
/// </summary>
/// <remarks>
/// While <c>Certification:UncertifiedBrokers</c> is <c>MayNotOpenCases</c> (the default), a broker who is not certified
/// (see <see cref="Training.CertificationOverview"/>) is refused, with what is missing in words.
/// </remarks>
public sealed class OpenCase(ICaseStore cases, ICompanyStore companies, WorkflowCatalog catalog, TimeProvider time, Training.ITrainingStore? training = null, Training.CertificationOptions? certification = null)
{
    public const string DefaultDefinitionKey = "joint-smart-strategy";

    /// <param name="LeadCompanyId">The lead SME.</param>
    /// <param name="Title">Optional; "&lt;company&gt;: joint smart strategy" in the broker's language when empty.</param>
    /// <param name="DefinitionKey">The definition whose published version the case starts on.</param>
    public sealed record Request(Guid? LeadCompanyId, string? Title = null, string DefinitionKey = DefaultDefinitionKey);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != WorkflowRole.Broker)
        {
            return new CaseCommandResult(CaseCommandStatus.Forbidden, Localized.Text("Cases are opened by brokers."));
        }

        if (await Training.CertificationGate.RefusalAsync(training, certification, actor, time.UtcNow(), cancellationToken) is { } refusal)
        {
            return new CaseCommandResult(CaseCommandStatus.Forbidden, refusal);
        }

        var errors = new List<FieldError>();
        if (TextRules.Problem(Localized.Text("The title"), request.Title, TextRules.MaxTitleLength) is { } titleProblem)
        {
            errors.Add(new FieldError("title", titleProblem));
        }

        var company = request.LeadCompanyId is { } id ? await companies.GetAsync(id, cancellationToken) : null;
        if (request.LeadCompanyId is null)
        {
            errors.Add(new FieldError("company", Localized.Text("Choose the lead company.")));
        }
        else if (company is null && errors.Count == 0)
        {
            return CaseCommandResult.Missing(Localized.Text("The lead company was not found."));
        }
        else if (company is not null && !actor.Covers(company.RegionCode))
        {
            errors.Add(new FieldError("company", actor.Regions.Count > 1
                ? Localized.Format("Cases are opened by a broker of the lead company's region; choose a company of one of your regions ({0}).", string.Join(", ", actor.Regions))
                : Localized.Text("Cases are opened by the broker of the lead company's region; choose a company of your region.")));
        }

        if (errors.Count > 0 || company is null)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, errors.Count == 1 ? errors[0].Message : Localized.Text("Some fields need attention; nothing was saved.")) { FieldErrors = errors };
        }

        var (version, plan) = await catalog.GetPublishedAsync(request.DefinitionKey, cancellationToken);
        var now = time.UtcNow();
        var write = await CaseStart.PrepareAsync(
            cases, version, plan, (company.Id, company.Name, company.RegionCode),
            _ => string.IsNullOrWhiteSpace(request.Title) ? Localized.Format("{0}: joint smart strategy", company.Name) : request.Title.Trim(), actor, now, null, null, cancellationToken);
        var record = write.Case;
        var lead = new CaseParticipantRecord
        {
            Id = Guid.CreateVersion7(now),
            CaseId = record.Id,
            CompanyId = company.Id,
            RegionCode = company.RegionCode,
            Role = ParticipantRole.Lead,
            PipelineStatus = PipelineStatus.Lead,
            AddedBy = actor.AuditId,
            AddedAt = now,
            UpdatedAt = now,
        };
        await cases.CommitAsync(write with { NewParticipants = [lead] }, cancellationToken);
        var shown = await catalog.GetDisplayPlanAsync(version.Id, cancellationToken: cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("Case {0} opened at “{1}”.", record.Reference, shown.GetStep(record.CurrentStep).Name)) { Case = record };
    }
}
