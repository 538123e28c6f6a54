using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Core.Partners.Tracks;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// What tests of partner tracks do: import a test's own definition, open a case of the Latvian broker with partners
/// shortlisted and move it into the step that runs tracks, find a partner's track, take an outcome on it.
/// </summary>
internal static class TrackSteps
{
    public static async Task ImportAsync(CaseEnvironment env, string key, string yaml)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tibs-tests", "tracks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, key));
        await File.WriteAllTextAsync(Path.Combine(folder, key, "v1.yaml"), yaml);
        await env.Catalog.ImportFolderAsync(folder);
    }

    public static async Task<Guid> CaseInExpressionsAsync(CaseEnvironment env, string definitionKey, params Company[] partners)
    {
        var opened = await env.Service.OpenCaseAsync(env.Lead.Id, null, env.LatvianBroker, definitionKey);
        Assert.True(opened.Succeeded, opened.Message);
        var id = opened.Case!.Id;
        foreach (var partner in partners)
        {
            await ShortlistAsync(env, id, partner);
        }

        var moved = await env.CompleteTowardsAsync(id, "expressions");
        Assert.True(moved.Succeeded, moved.Message);
        return id;
    }

    public static async Task ShortlistAsync(CaseEnvironment env, Guid caseId, Company partner)
    {
        var c = (await env.DetailsAsync(caseId)).Case;
        var result = await env.Service.Shortlist.HandleAsync(new ShortlistPartner.Request(caseId, c.Version, partner.Id), env.LatvianBroker);
        Assert.True(result.Succeeded, result.Message);
    }

    public static async Task<CaseTrackRecord> TrackOfAsync(CaseEnvironment env, Guid caseId, Company partner)
    {
        var details = await env.DetailsAsync(caseId);
        var participant = details.Participants.Single(p => p.CompanyId == partner.Id);
        return details.Tracks.Last(t => t.ParticipantId == participant.Id);
    }

    public static async Task<CaseCommandResult> TakeAsync(CaseEnvironment env, Guid caseId, Company partner, string outcome, Actor actor)
    {
        var track = await TrackOfAsync(env, caseId, partner);
        return await env.Service.Handler<TakeTrackOutcome>().HandleAsync(new TakeTrackOutcome.Request(caseId, track.Id, track.Version, outcome), actor);
    }
}
