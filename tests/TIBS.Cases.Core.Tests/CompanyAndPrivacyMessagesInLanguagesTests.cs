using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Core.Privacy;

namespace TIBS.Cases.Core.Tests;

/// <summary>
/// The words Core composes without a database speak the reader's language: why a partner matches, a register number's
/// problem, the record of processing with its durations counted the language's way; English again outside the scope.
/// </summary>
public sealed class CompanyAndPrivacyMessagesInLanguagesTests
{
    private static Company Make(string name, string country, string region, string nace, string? offers, string? needs) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        CountryCode = country,
        RegionCode = region,
        SizeClass = SizeClasses.Small,
        NaceCodes = [nace],
        S3Areas = ["bioeconomy"],
        Offers = offers,
        Needs = needs,
    };

    private static readonly Company Lead = Make("Vidzeme Wood Solutions", "LV", "LV008", "C16.1", "Cross-laminated timber panels", null);
    private static readonly Company Candidate = Make("Hamburg Maritime Analytics", "DE", "DE60", "C16.2", null, "timber");

    private static Dictionary<string, string> Reasons(string language)
    {
        using var scope = CultureScope.Of(language);
        return MatchScorer.Score(Lead, Candidate, ["DE"]).Breakdown.ToDictionary(c => c.Component, c => c.Reason);
    }

    [Fact]
    public void A_matching_explanation_says_why_in_latvian_and_german_and_in_english_outside_the_scope()
    {
        var latvian = Reasons("lv");
        var german = Reasons("de");
        var english = MatchScorer.Score(Lead, Candidate, ["DE"]).Breakdown.ToDictionary(c => c.Component, c => c.Reason);

        Assert.Equal("Tā pati NACE nodaļa C16 (avots: vadošā uzņēmuma ieraksts).", latvian["NACE atbilstība"]);
        Assert.Equal("Vācija ir viena no lietas mērķa valstīm (avots: lieta).", latvian["Mērķa valstis"]);
        Assert.Equal("Nav ar ko salīdzināt: vadošā uzņēmuma vajadzības nav aprakstītas.", latvian["Viņu piedāvājums ↔ vadošā uzņēmuma vajadzības"]);
        Assert.Equal("1 gemeinsamer Begriff in ihrem Bedarf und dem Angebot des federführenden Unternehmens: timber (Quelle: Datensatz des federführenden Unternehmens).",
            german["Angebot des federführenden Unternehmens ↔ ihr Bedarf"]);
        Assert.Equal("Gleiche NACE-Abteilung C16 (Quelle: Datensatz des federführenden Unternehmens).", german["NACE-Passung"]);
        Assert.Equal("1 shared term between their needs and the lead's offers: timber (from the lead company's record).", english["Lead's offers ↔ their needs"]);
        Assert.Equal("Same NACE division C16 (from the lead company's record).", english["NACE fit"]);
    }

    [Fact]
    public void A_register_numbers_problem_is_one_sentence_in_german_and_latvian()
    {
        RegisterNumbers.Outcome german, latvian;
        using (CultureScope.Of("de"))
        {
            german = RegisterNumbers.Normalise("LV", "12345678901");
        }

        using (CultureScope.Of("lv"))
        {
            latvian = RegisterNumbers.Normalise("EE", "123");
        }

        Assert.Equal("12345678901 sieht nach einem lettischen Personenkennzeichen aus, nicht nach der Registriernummer eines Unternehmens: "
            + "Die Nummer eines Unternehmens beginnt mit 4 oder höher (etwa 40003521600).", german.Problem);
        Assert.Equal("Igaunijas reģistra kodā ir 8 cipari; norādīti: 3.", latvian.Problem);
        Assert.Null(german.Number);
        Assert.Equal("A Latvian registration number has 11 digits; 3 were given.", RegisterNumbers.Normalise("LV", "123").Problem);
    }

    [Fact]
    public void The_record_of_processing_is_headed_and_counted_in_latvian_and_polish()
    {
        RecordOfProcessing latvian;
        string polish;
        using (CultureScope.Of("lv"))
        {
            latvian = RecordOfProcessing.Build(new PrivacyOptions());
        }

        using (CultureScope.Of("pl"))
        {
            polish = RecordOfProcessing.Build(new PrivacyOptions()).ToMarkdown();
        }

        Assert.Equal("MVU kopīgo viedo stratēģiju brokerēšana", latvian.Activities[0].Name);
        Assert.Equal("company_contacts", latvian.Activities[0].Data[0].Where);
        Assert.Equal("Uzņēmuma bez atvērtas lietas kontaktpersonas tiek dzēstas, kad kopš uzņēmuma pēdējās lietas slēgšanas pagājis noteiktais laiks (2 gadi) "
            + "(Privacy:Retention:ContactsWithoutOpenCaseMonths).", latvian.Activities[0].Retention[0]);
        Assert.Equal("(nav iestatīts: Privacy:Controller)", RecordOfProcessingOr("lv"));
        Assert.StartsWith("# Rejestr czynności przetwarzania\n", polish, StringComparison.Ordinal);
        Assert.Contains("po upływie okresu (2 lata) od zamknięcia ostatniej sprawy firmy", polish, StringComparison.Ordinal);
        Assert.Contains("- **Podstawa prawna:** Zgoda osoby kontaktowej (art. 6 ust. 1 lit. a RODO)", polish, StringComparison.Ordinal);
        using (CultureScope.Of("pl"))
        {
            var configured = RecordOfProcessing.Build(new PrivacyOptions { ContactsLegalBasis = "Zgoda według umowy partnerskiej" }).ToMarkdown();
            Assert.Contains("- **Podstawa prawna:** Zgoda według umowy partnerskiej", configured, StringComparison.Ordinal);
        }
        Assert.Equal("Brokerage of SME Joint Smart Strategies", RecordOfProcessing.Build(new PrivacyOptions()).Activities[0].Name);
    }

    private static string RecordOfProcessingOr(string language)
    {
        using var scope = CultureScope.Of(language);
        return RecordOfProcessing.Or("", "Controller");
    }
}
