using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;
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

        var result = MatchScorer.Score(Lead, candidate, ["DE"]);

        Assert.Equal(100, result.Score);
        Assert.Equal(result.Score, result.Breakdown.Sum(b => b.Points));
        Assert.Equal(100, result.Breakdown.Sum(b => b.Max));
        Assert.All(result.Breakdown, b => Assert.False(string.IsNullOrWhiteSpace(b.Reason)));
        Assert.Contains("bioeconomy", result.Breakdown.Single(b => b.Component == MatchScorer.S3Component).Reason, StringComparison.Ordinal);
        Assert.Equal("Same NACE division C16.", result.Breakdown.Single(b => b.Component == MatchScorer.NaceComponent).Reason);
    }

    [Fact]
    public void An_unrelated_company_scores_low_with_reasons_saying_why()
    {
        var candidate = Make("Aabenraa Water Systems", "DK", ["E", "E36"], ["water-management"], offers: "Water treatment units", needs: "Municipal pilots", languages: "da");

        var result = MatchScorer.Score(Lead, candidate, ["DE"]);

        Assert.Equal(0, result.Score);
        Assert.Equal("No S3 area in common.", result.Breakdown[0].Reason);
        Assert.Equal("Different NACE sections.", result.Breakdown[1].Reason);
        Assert.Contains("not among the target countries (DE)", result.Breakdown.Single(b => b.Component == MatchScorer.TargetCountryComponent).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nace_section_gives_partial_points_and_one_shared_s3_area_less_than_two()
    {
        var sameSection = Make("A", "DE", ["C", "C17"], ["bioeconomy"]);
        var sameDivision = Make("B", "DE", ["C16"], ["bioeconomy", "sustainable-innovation"]);

        var a = MatchScorer.Score(Lead, sameSection, []);
        var b = MatchScorer.Score(Lead, sameDivision, []);

        Assert.Equal(12, a.Breakdown.Single(x => x.Component == MatchScorer.NaceComponent).Points);
        Assert.Equal(20, a.Breakdown.Single(x => x.Component == MatchScorer.S3Component).Points);
        Assert.Equal(20, b.Breakdown.Single(x => x.Component == MatchScorer.NaceComponent).Points);
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

        Assert.Equal(6, one.Breakdown.Single(x => x.Component == MatchScorer.LanguageComponent).Points);
        Assert.Equal("Shared languages: en, ru.", two.Breakdown.Single(x => x.Component == MatchScorer.LanguageComponent).Reason);
        Assert.Equal(10, two.Score);
    }

    [Fact]
    public void Target_countries_are_read_from_every_step_of_the_case_data()
    {
        var data = CaseData.With("{}", "needs-assessment", new Dictionary<string, FieldValue> { ["target-countries"] = new TaxonomyValue("country", ["DE", "fi"]) });
        data = CaseData.With(data, "cooperation-profile", new Dictionary<string, FieldValue> { ["target-countries"] = new TaxonomyValue("country", ["SE", "DE"]) });
        var record = new CaseRecord
        {
            Id = Guid.NewGuid(),
            Reference = "LV008-2026-0001",
            Title = "t",
            DefinitionVersionId = Guid.NewGuid(),
            LeadCompanyId = Guid.NewGuid(),
            RegionCode = "LV008",
            OwnerUserId = Guid.NewGuid(),
            Status = CaseStatus.Active,
            CurrentStep = "x",
            AuditHeadHash = "h",
            Data = data,
        };

        var targets = MatchScorer.TargetCountries(record);

        Assert.Equal(["DE", "FI", "SE"], targets.Order(StringComparer.Ordinal));
        Assert.Equal(15, MatchScorer.Score(Lead, Make("A", "SE", [], []), targets).Score);
    }
}
