using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>The partner search reads the case's own profile (step data) together with the lead company's record.</summary>
public sealed class PartnerProfileTests(PartnerApp app) : IClassFixture<PartnerApp>
{
    private const string HamburgSme = "Hamburg Maritime Analytics";

    private static IElement Card(IHtmlDocument page, string name) =>
        page.QuerySelectorAll("#candidates .candidate").Single(c => c.QuerySelector(".candidate-name")!.TextContent.Trim() == name);

    private static string Row(IElement card, string component) =>
        card.QuerySelectorAll("tr.breakdown").Select(r => string.Join(" | ", r.QuerySelectorAll("td").Select(td => td.TextContent.Trim())))
            .Single(r => r.StartsWith(component + " |", StringComparison.Ordinal));

    /// <summary>A Latvian wood processor whose company record names no S3 area, and its case.</summary>
    private async Task<CaseRecord> OpenCaseForLeadWithoutS3Async()
    {
        var now = DateTimeOffset.UtcNow;
        var lead = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = "SIA Gaujas Kokapstrāde " + Guid.NewGuid().ToString("N")[..6],
            CountryCode = "LV",
            RegionCode = "LV008",
            SizeClass = SizeClasses.Small,
            NaceCodes = ["C16"],
            S3Areas = [],
            Languages = "lv, en",
            CreatedAt = now,
            UpdatedAt = now,
        };
        await app.Factory.Services.GetRequiredService<ICompanyStore>().InsertAsync(lead);
        var opened = await new CaseCommands(app.Factory.Services).OpenCaseAsync(lead.Id, null, await app.ActorAsync(PartnerApp.Latvian));
        Assert.True(opened.Succeeded, opened.Message);
        return opened.Case!;
    }

    /// <summary>Completes the steps up to the cooperation profile with filled forms (S3 area "ICT and digitalisation", target country Germany, SMEs sought).</summary>
    private async Task CompleteProfileAsync(CaseRecord @case)
    {
        var service = new CaseCommands(app.Factory.Services);
        var broker = await app.ActorAsync(PartnerApp.Latvian);
        for (var i = 0; i < 12; i++)
        {
            var details = (await service.GetDetailsAsync(@case.Id))!;
            var step = details.CurrentStep!;
            var done = step.Key == "cooperation-profile";
            var result = await service.CompleteStepAsync(@case.Id, details.Case.Version, step.Outcomes[0].Key, FormFiller.Fill(step.Fields, details.Case.LeadCompanyId), broker);
            Assert.True(result.Succeeded, $"{step.Key}: {result.Message}");
            if (done)
            {
                return;
            }
        }

        Assert.Fail("The cooperation profile was not reached.");
    }

    [Fact]
    public async Task The_Hamburg_SME_shares_the_S3_area_of_the_case_profile_when_the_lead_company_record_has_none()
    {
        var @case = await OpenCaseForLeadWithoutS3Async();
        var client = await app.SignInAsync(PartnerApp.Latvian);
        var before = Card(await client.GetDocumentAsync($"/cases/{@case.Id}/partners"), HamburgSme);

        await CompleteProfileAsync(@case);
        var page = await client.GetDocumentAsync($"/cases/{@case.Id}/partners");
        var after = Card(page, HamburgSme);

        Assert.Equal("Shared S3 areas | 0 / 30 | No S3 area recorded in the case profile or on the lead company.", Row(before, "Shared S3 areas"));
        Assert.Equal("Shared S3 areas | 30 / 30 | ICT and digitalisation (incl. cybersecurity) (from the cooperation profile and the needs assessment).", Row(after, "Shared S3 areas"));
        Assert.StartsWith("Target countries | 10 / 10 | Germany is one of the case's target countries (from the cooperation profile", Row(after, "Target countries"), StringComparison.Ordinal);
        Assert.Equal("Partner type sought | 10 / 10 | They are an SME, a partner type the case seeks (from the needs assessment).", Row(after, "Partner type sought"));
        Assert.Equal("Trans-S3 region pairing | 5 / 5 | Vidzeme (supported) with Hamburg (advanced): Trans-S3 pairs a less with a more advanced region.", Row(after, "Trans-S3 region pairing"));
        Assert.Equal(HamburgSme, page.QuerySelector("#candidates .candidate-name")!.TextContent.Trim());
        Assert.Equal("ICT and digitalisation (incl. cybersecurity) (from the cooperation profile and the needs assessment)", page.QuerySelector("#profile-s3")!.TextContent.Trim());
        Assert.Equal("S3 areas: ICT and digitalisation (incl. cybersecurity), Resource efficiency", after.QuerySelector(".candidate-s3")!.TextContent.Trim());
        Assert.Contains("Hamburg (advanced region)", after.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("ict-digitalisation", page.QuerySelector("#candidates")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Candidates_can_be_narrowed_to_advanced_or_supported_regions()
    {
        var @case = await app.OpenLatvianCaseAsync();
        var client = await app.SignInAsync(PartnerApp.Latvian);

        var advanced = await client.GetDocumentAsync($"/cases/{@case.Id}/partners?regionKind=advanced");
        var supported = await client.GetDocumentAsync($"/cases/{@case.Id}/partners?regionKind=supported");
        var wrong = await client.GetAsync($"/cases/{@case.Id}/partners?regionKind=rich");

        var advancedCards = advanced.QuerySelectorAll("#candidates .candidate").ToList();
        var supportedCards = supported.QuerySelectorAll("#candidates .candidate").ToList();
        Assert.NotEmpty(advancedCards);
        Assert.NotEmpty(supportedCards);
        Assert.All(advancedCards, c => Assert.Contains("(advanced region)", c.TextContent, StringComparison.Ordinal));
        Assert.All(supportedCards, c => Assert.Contains("(supported region)", c.TextContent, StringComparison.Ordinal));
        Assert.Contains(HamburgSme, advancedCards.Select(c => c.QuerySelector(".candidate-name")!.TextContent.Trim()));
        Assert.Contains("The kind of region must be", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
