using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Testing;

/// <summary>
/// Walks a new case of the joint smart strategy (v2 or later; partner tracks from v5) from intake to the implementation follow-up through the
/// engine, with filled forms: the agreement is signed at the clock's "now", so the check-ins count from there.
/// </summary>
public static class FollowUpWalk
{
    public static async Task<Guid> ToFollowUpAsync(CaseCommands service, Guid leadId, Guid partnerId, Actor broker, Actor coordinator, Actor partnerBroker)
    {
        ArgumentNullException.ThrowIfNull(service);
        var opened = await service.OpenCaseAsync(leadId, null, broker);
        Require(opened);
        var id = opened.Case!.Id;
        Actor ActorFor(WorkflowRole role) => role switch
        {
            WorkflowRole.Coordinator => coordinator,
            WorkflowRole.PartnerBroker => partnerBroker,
            _ => broker,
        };

        async Task CompleteTowardsAsync(string target, Guid company, params (string Key, string Value)[] overrides)
        {
            var details = (await service.GetDetailsAsync(id))!;
            var step = details.CurrentStep!;
            var outcome = step.Outcomes.First(o => o.Target == target);
            var input = FormFiller.Fill(step.Fields, company, overrides.ToDictionary(o => o.Key, o => o.Value));
            Require(await service.CompleteStepAsync(id, details.Case.Version, outcome.Key, input, ActorFor(step.Role)));
        }

        await CompleteTowardsAsync("first-contact", leadId, ("contact-data-consent", "yes"));
        await CompleteTowardsAsync("needs-assessment", leadId);
        await CompleteTowardsAsync("internationalisation-readiness", leadId);
        await CompleteTowardsAsync("eligibility", leadId);
        await CompleteTowardsAsync("cooperation-profile", leadId, ("eligible", "yes"));
        await CompleteTowardsAsync("profile-validation", leadId);
        await CompleteTowardsAsync("matching", leadId, ("decision", "validated"));
        var d = (await service.GetDetailsAsync(id))!;
        Require(await service.ShortlistPartnerAsync(id, d.Case.Version, partnerId, broker));
        await CompleteTowardsAsync("expressions-of-interest", partnerId);
        // The partner answers: interested, then agreed (from version 5 on, its track's outcomes; the join then
        // continues the case by itself).
        foreach (var status in new[] { PipelineStatus.Interested, PipelineStatus.Agreed })
        {
            d = (await service.GetDetailsAsync(id))!;
            var partner = d.Participants.Single(p => p.Role == ParticipantRole.Partner);
            Require(await service.SetPartnerStatusAsync(id, d.Case.Version, partner.Id, status, partnerBroker));
        }

        if ((await service.GetDetailsAsync(id))!.CurrentStep!.Key == "expressions-of-interest")
        {
            await CompleteTowardsAsync("joint-strategy", partnerId, ("result", "partner-found"));
        }
        await CompleteTowardsAsync("signed-agreement", partnerId);
        await CompleteTowardsAsync("implementation-follow-up", partnerId);
        return id;
    }

    private static void Require(CaseCommandResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"The walk to the follow-up stopped: {result.Message} {string.Join(" ", result.FieldErrors)}");
        }
    }
}
