using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.IntegrationTests.Api;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.IntegrationTests.Infrastructure;

/// <summary>
/// A case of the Latvian broker (lead Vidzeme Wood Solutions) on the partner-tracks test definition, in its
/// expressions-of-interest step with one open track for the Hamburg partner (Hamburg Maritime Analytics).
/// </summary>
public static class TrackCases
{
    public const string Latvian = "broker.lv008@tibs.example";
    public const string Hamburg = "broker.de60@tibs.example";
    public const string LeadCompany = "Vidzeme Wood Solutions";
    public const string PartnerCompany = "Hamburg Maritime Analytics";

    /// <param name="translations">Sidecar translations of the definition by language (<c>v1.&lt;language&gt;.yaml</c>), if any.</param>
    public static async Task<Guid> StartAsync(TibsWebFactory factory, DatabaseFixture fixture, IReadOnlyDictionary<string, string>? translations = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tibs-tests", "tracks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, TrackDefinition.Key));
        await File.WriteAllTextAsync(Path.Combine(folder, TrackDefinition.Key, "v1.yaml"), TrackDefinition.Yaml());
        foreach (var (language, sidecar) in translations ?? new Dictionary<string, string>())
        {
            await File.WriteAllTextAsync(Path.Combine(folder, TrackDefinition.Key, $"v1.{language}.yaml"), sidecar);
        }

        await factory.Services.GetRequiredService<WorkflowCatalog>().ImportFolderAsync(folder);
        var commands = new CaseCommands(factory.Services);
        var broker = (await factory.UserAsync(Latvian)).AsActor();
        var lead = await CompanyIdAsync(fixture, LeadCompany);
        var partner = await CompanyIdAsync(fixture, PartnerCompany);
        var opened = await commands.OpenCaseAsync(lead, null, broker, TrackDefinition.Key);
        var caseId = opened.Case!.Id;
        Assert.True((await commands.Shortlist.HandleAsync(new ShortlistPartner.Request(caseId, opened.Case.Version, partner), broker)).Succeeded);
        var version = (await commands.GetDetailsAsync(caseId))!.Case.Version;
        Assert.True((await commands.CompleteStepAsync(caseId, version, "ask-partners", FormInput.Empty, broker)).Succeeded);
        return caseId;
    }

    private static async Task<Guid> CompanyIdAsync(DatabaseFixture fixture, string name) =>
        Guid.Parse(await fixture.ScalarAsync<string>("SELECT CAST(id AS VARCHAR(36)) FROM companies WHERE name = @name", new { name }));
}
