using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Tests;

public sealed class MatchingTests
{
    private static Company Make(string name, string country, string[] nace, string[] s3, string? offers = null, string? needs = null, string? keywords = null, string? languages = null) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        CountryCode = country,
        RegionCode = country + "00",
        SizeClass = SizeClasses.Small,
        NaceCodes = nace,
        S3Areas = s3,
        Offers = offers,
        Needs = needs,
        Keywords = keywords,
        Languages = languages,
    };

    private static readonly Company Lead = Make("Vidzeme Wood Solutions", "LV", ["C", "C16"], ["bioeconomy", "sustainable-innovation"],
        offers: "Cross-laminated timber elements, small-series production", needs: "Technology partner for digital design of timber buildings",
        keywords: "timber, CLT, construction", languages: "lv, en, ru");

    [Fact]
    public void A_perfect_partner_scores_100_and_the_breakdown_adds_up()
    {
        var candidate = Make("Hamburg Timber Design", "DE", ["C", "C16"], ["bioeconomy", "sustainable-innovation"],
            offers: "Digital design software for timber buildings", needs: "Suppliers of cross-laminated timber elements", languages: "de, en, ru");

        var profile = MatchProfile.Of(Lead, CaseWith(("needs-assessment", "partner-types-sought", new MultiChoiceValue(["sme"])), ("cooperation-profile", "target-countries", new TaxonomyValue("country", ["DE"]))));

        var result = MatchScorer.Score(profile, candidate with { RegionCode = "DE60" }, Words);

        Assert.Equal(100, result.Score);
        Assert.Equal(result.Score, result.Breakdown.Sum(b => b.Points));
        Assert.Equal(100, result.Breakdown.Sum(b => b.Max));
        Assert.All(result.Breakdown, b => Assert.False(string.IsNullOrWhiteSpace(b.Reason)));
        Assert.Equal("Bioeconomy (from the lead company's record), Sustainable innovation and circular economy (from the lead company's record).", result.Breakdown.Single(b => b.Component == MatchScorer.S3Component).Reason);
        Assert.Equal("Same NACE division C16 (from the lead company's record).", result.Breakdown.Single(b => b.Component == MatchScorer.NaceComponent).Reason);
        Assert.Equal("Germany is one of the case's target countries (from the cooperation profile).", result.Breakdown.Single(b => b.Component == MatchScorer.TargetCountryComponent).Reason);
        Assert.Equal("They are an SME, a partner type the case seeks (from the needs assessment).", result.Breakdown.Single(b => b.Component == MatchScorer.PartnerTypeComponent).Reason);
        Assert.Equal("Vidzeme (supported) with Hamburg (advanced): Trans-S3 pairs a less with a more advanced region.", result.Breakdown.Single(b => b.Component == MatchScorer.RegionPairingComponent).Reason);
    }

    [Fact]
    public void An_unrelated_company_scores_low_with_reasons_saying_why()
    {
        var candidate = Make("Aabenraa Water Systems", "DK", ["E", "E36"], ["water-management"], offers: "Water treatment units", needs: "Municipal pilots", languages: "da");

        var result = MatchScorer.Score(Lead, candidate, ["DE"]);

        Assert.Equal(0, result.Score);
        Assert.Equal("No S3 area in common; the case names bioeconomy (from the lead company's record), sustainable-innovation (from the lead company's record).", result.Breakdown[0].Reason);
        Assert.Equal("Different NACE sections.", result.Breakdown[1].Reason);
        Assert.Equal("Denmark is not among the case's target countries (Germany).", result.Breakdown.Single(b => b.Component == MatchScorer.TargetCountryComponent).Reason);
    }

    [Fact]
    public void Nace_section_gives_partial_points_and_one_shared_s3_area_less_than_two()
    {
        var sameSection = Make("A", "DE", ["C", "C17"], ["bioeconomy"]);
        var sameDivision = Make("B", "DE", ["C16"], ["bioeconomy", "sustainable-innovation"]);

        var a = MatchScorer.Score(Lead, sameSection, []);
        var b = MatchScorer.Score(Lead, sameDivision, []);

        Assert.Equal(9, a.Breakdown.Single(x => x.Component == MatchScorer.NaceComponent).Points);
        Assert.Equal(20, a.Breakdown.Single(x => x.Component == MatchScorer.S3Component).Points);
        Assert.Equal(15, b.Breakdown.Single(x => x.Component == MatchScorer.NaceComponent).Points);
        Assert.Equal(30, b.Breakdown.Single(x => x.Component == MatchScorer.S3Component).Points);
        Assert.True(b.Score > a.Score);
        Assert.Equal("No target countries recorded on the case yet.", a.Breakdown.Single(x => x.Component == MatchScorer.TargetCountryComponent).Reason);
    }

    [Fact]
    public void Keyword_overlap_works_both_ways_with_stemming_and_without_stop_words()
    {
        var candidate = Make("Sensor GmbH", "DE", [], [], offers: "We offer the design of buildings", needs: "Timber", keywords: null);

        var result = MatchScorer.Score(Lead, candidate, []);

        var offers = result.Breakdown.Single(x => x.Component == MatchScorer.OffersNeedsComponent);
        Assert.Equal(10, offers.Points); // "design" and "building" (from "buildings")
        Assert.Contains("building, design", offers.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("the", offers.Reason.Split(':')[1].Split(',', StringSplitOptions.TrimEntries));
        var back = result.Breakdown.Single(x => x.Component == MatchScorer.NeedsOffersComponent);
        Assert.Equal(5, back.Points);
        Assert.Contains("timber", back.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sensors", "sensor")]
    [InlineData("processing", "process")]
    [InlineData("technologies", "technology")]
    [InlineData("buildings", "building")]
    [InlineData("planned", "plan")]
    [InlineData("analysis", "analysis")]
    [InlineData("business", "business")]
    public void Stemming_brings_word_forms_together(string word, string stem) => Assert.Equal(stem, Keywords.Stem(word));

    [Fact]
    public void Terms_are_lower_case_distinct_and_skip_stop_words()
    {
        var terms = Keywords.Terms("The IoT sensors, and the Sensor for smart-buildings!");

        Assert.Equal(["building", "iot", "sensor", "smart"], terms.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Languages_shared_count_towards_the_score()
    {
        var one = MatchScorer.Score(Lead, Make("A", "DE", [], [], languages: "de, EN"), []);
        var two = MatchScorer.Score(Lead, Make("B", "DE", [], [], languages: "en ru"), []);

        Assert.Equal(3, one.Breakdown.Single(x => x.Component == MatchScorer.LanguageComponent).Points);
        Assert.Equal("Shared languages: en, ru.", two.Breakdown.Single(x => x.Component == MatchScorer.LanguageComponent).Reason);
        Assert.Equal(5, two.Score);
    }

    [Fact]
    public void Target_countries_are_read_from_the_profile_steps_of_the_case_data()
    {
        var profile = MatchProfile.Of(Lead, CaseWith(
            ("needs-assessment", "target-countries", new TaxonomyValue("country", ["DE", "fi"])),
            ("cooperation-profile", "target-countries", new TaxonomyValue("country", ["SE", "DE"]))));

        Assert.Equal(["DE", "FI", "SE"], profile.TargetCountries.Select(t => t.Code).Order(StringComparer.Ordinal));
        Assert.Equal(["the cooperation profile", "the needs assessment"], profile.TargetCountries.Single(t => t.Code == "DE").Sources);
        Assert.Equal(10, MatchScorer.Score(profile, Make("A", "SE", [], []), MatchReference.None).Score);
    }

    [Fact]
    public void The_case_profile_supplies_S3_areas_the_lead_company_record_lacks_and_the_reason_says_where_they_came_from()
    {
        var bare = Lead with { S3Areas = [] };
        var hamburg = Make("Hamburg Digital", "DE", ["J62"], ["ict-digitalisation"]) with { RegionCode = "DE60" };
        var profile = MatchProfile.Of(bare, CaseWith(("cooperation-profile", "s3-areas", new TaxonomyValue("s3-area", ["ict-digitalisation"]))));

        var withoutProfile = MatchScorer.Score(MatchProfile.Of(bare), hamburg, Words).Breakdown.Single(b => b.Component == MatchScorer.S3Component);
        var withProfile = MatchScorer.Score(profile, hamburg, Words).Breakdown.Single(b => b.Component == MatchScorer.S3Component);

        Assert.Equal(0, withoutProfile.Points);
        Assert.Equal("No S3 area recorded in the case profile or on the lead company.", withoutProfile.Reason);
        Assert.Equal(30, withProfile.Points);
        Assert.Equal("ICT and digitalisation (incl. cybersecurity) (from the cooperation profile).", withProfile.Reason);
    }

    [Fact]
    public void An_area_named_by_the_profile_and_the_record_counts_once_with_both_sources()
    {
        var profile = MatchProfile.Of(Lead, CaseWith(
            ("needs-assessment", "s3-areas", new TaxonomyValue("s3-area", ["bioeconomy"])),
            ("cooperation-profile", "s3-areas", new TaxonomyValue("s3-area", ["ict-digitalisation", "bioeconomy"]))));

        var result = MatchScorer.Score(profile, Make("A", "DE", [], ["bioeconomy"]), Words).Breakdown.Single(b => b.Component == MatchScorer.S3Component);

        Assert.Equal(["ict-digitalisation", "bioeconomy", "sustainable-innovation"], profile.S3Areas.Select(a => a.Code));
        Assert.Equal(20, result.Points);
        Assert.Equal("1 of the case's 3 S3 areas in common: Bioeconomy (from the cooperation profile, the needs assessment and the lead company's record).", result.Reason);
    }

    [Fact]
    public void Needs_and_nace_of_the_needs_assessment_count_and_say_so()
    {
        var bare = Lead with { Needs = null, NaceCodes = [] };
        var profile = MatchProfile.Of(bare, CaseWith(
            ("needs-assessment", "innovation-needs", new TextValue("Sensors for drying kilns")),
            ("needs-assessment", "nace", new TaxonomyValue("nace", ["C26"]))));
        var candidate = Make("Kiel Sensors", "DE", ["C26.5"], [], offers: "Industrial sensor systems");

        var result = MatchScorer.Score(profile, candidate, MatchReference.None);

        Assert.Equal("1 shared term between the lead's needs and their offers: sensor (from the needs assessment).", result.Breakdown.Single(b => b.Component == MatchScorer.OffersNeedsComponent).Reason);
        Assert.Equal("Same NACE division C26 (from the needs assessment).", result.Breakdown.Single(b => b.Component == MatchScorer.NaceComponent).Reason);
    }

    [Fact]
    public void Partner_types_sought_and_the_Trans_S3_pairing_are_factors()
    {
        var profile = MatchProfile.Of(Lead, CaseWith(("needs-assessment", "partner-types-sought", new MultiChoiceValue(["research-organisation"]))));
        var institute = Make("Fraunhofer Nord", "DE", [], []) with { SizeClass = SizeClasses.Research, RegionCode = "DE60" };
        var sme = Make("Tartu Timber", "EE", [], []) with { RegionCode = "EE008" };

        var a = MatchScorer.Score(profile, institute, Words).Breakdown;
        var b = MatchScorer.Score(profile, sme, Words).Breakdown;

        Assert.Equal(10, a.Single(x => x.Component == MatchScorer.PartnerTypeComponent).Points);
        Assert.Equal(5, a.Single(x => x.Component == MatchScorer.RegionPairingComponent).Points);
        Assert.Equal(0, b.Single(x => x.Component == MatchScorer.PartnerTypeComponent).Points);
        Assert.Equal("They are an SME; the case seeks: research organisation.", b.Single(x => x.Component == MatchScorer.PartnerTypeComponent).Reason);
        Assert.Equal(0, b.Single(x => x.Component == MatchScorer.RegionPairingComponent).Points);
        Assert.Equal("Vidzeme (supported) with South Estonia (supported): both regions are supported; Trans-S3 pairs a less with a more advanced region.",
            b.Single(x => x.Component == MatchScorer.RegionPairingComponent).Reason);
    }

    [Fact]
    public void A_definition_without_the_profile_steps_contributes_nothing_but_the_company_record()
    {
        var profile = MatchProfile.Of(Lead, CaseWith(("intake", "s3-areas", new TaxonomyValue("s3-area", ["water-management"]))));

        Assert.Equal(["bioeconomy", "sustainable-innovation"], profile.S3Areas.Select(a => a.Code));
        Assert.All(profile.S3Areas, a => Assert.Equal([ProfileSource.CompanyRecord], a.Sources));
        Assert.Empty(profile.TargetCountries);
        Assert.Empty(profile.PartnerTypes);
    }

    private static readonly MatchReference Words = MatchReference.From(
        [
            new S3Area { Code = "ict-digitalisation", Name = "ICT and digitalisation (incl. cybersecurity)" },
            new S3Area { Code = "bioeconomy", Name = "Bioeconomy" },
            new S3Area { Code = "sustainable-innovation", Name = "Sustainable innovation and circular economy" },
        ],
        [
            new Region { Code = "LV00", Name = "Vidzeme", CountryCode = "LV", Kind = "supported" },
            new Region { Code = "EE008", Name = "South Estonia", CountryCode = "EE", Kind = "supported" },
            new Region { Code = "DE60", Name = "Hamburg", CountryCode = "DE", Kind = "advanced" },
        ]);

    private static CaseRecord CaseWith(params (string Step, string Field, FieldValue Value)[] values)
    {
        var data = "{}";
        foreach (var step in values.GroupBy(v => v.Step))
        {
            data = CaseData.With(data, step.Key, step.ToDictionary(v => v.Field, v => v.Value));
        }

        return new CaseRecord
        {
            Id = Guid.NewGuid(),
            Reference = "LV008-2026-0001",
            Title = "t",
            DefinitionVersionId = Guid.NewGuid(),
            LeadCompanyId = Lead.Id,
            RegionCode = "LV008",
            OwnerUserId = Guid.NewGuid(),
            Status = CaseStatus.Active,
            CurrentStep = "x",
            AuditHeadHash = "h",
            Data = data,
        };
    }
}
