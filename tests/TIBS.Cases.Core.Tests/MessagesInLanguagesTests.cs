using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Companies.DeMinimis;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Exports.Dossier;
using TIBS.Cases.Core.Indicators;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Tests;

/// <summary>
/// The words and numbers Core writes into what people read follow the reader's language: indicator names, country
/// names, amounts in euros, dates and zoned times in messages, and the verdict on a case's audit trail. English stays
/// as it was, and the exports keep the English names the programme's tables use.
/// </summary>
public sealed class MessagesInLanguagesTests
{
    [Fact]
    public void Indicators_are_named_in_the_readers_language_and_exported_in_english()
    {
        var rco87 = IndicatorCatalog.Find("RCO87")!;
        Assert.Equal("Organisations cooperating across borders", rco87.Name);
        Assert.Equal("output", rco87.KindName);
        using (CultureScope.Of("lv"))
        {
            Assert.Equal("Organizācijas, kas sadarbojas pāri robežām", rco87.Name);
            Assert.Equal("iznākums", rco87.KindName);
            Assert.Equal("organizācijas", rco87.UnitName);
            Assert.StartsWith("Jebkura veida organizācijas", rco87.Definition, StringComparison.Ordinal);
            Assert.Equal("Organisations cooperating across borders", rco87.EnglishName);
            Assert.Equal("organisations", rco87.EnglishUnitName);
            Assert.Equal(["Reģions", "Valsts", "S3 joma", "Gads"], IndicatorChoices.Breakdowns.Select(b => b.Label));
            Assert.Equal("Region", IndicatorChoices.EnglishBreakdown(IndicatorDimension.Region));
        }

        using (CultureScope.Of("de"))
        {
            Assert.Equal("Übernommene oder ausgeweitete Lösungen", IndicatorCatalog.Find("RCR104")!.Name);
            Assert.Equal("Ergebnis", IndicatorCatalog.Find("RCR104")!.KindName);
        }
    }

    [Theory]
    [InlineData("en", "Latvia", "Germany", "Finland")]
    [InlineData("lv", "Latvija", "Vācija", "Somija")]
    [InlineData("de", "Lettland", "Deutschland", "Finnland")]
    [InlineData("pl", "Łotwa", "Niemcy", "Finlandia")]
    public void Countries_are_named_in_the_readers_language(string language, string latvia, string germany, string finland)
    {
        using var scope = CultureScope.Of(language);
        Assert.Equal(latvia, Countries.Name("LV"));
        Assert.Equal(germany, CompanyRules.CountryName("DE"));
        Assert.Equal(finland, Assert.Single(Countries.All, c => c.Code == "FI").Name);
        Assert.Equal(latvia, Assert.Single(CompanyRules.Countries, c => c.Code == "LV").Name);
        Assert.Equal("Latvia", Countries.EnglishName("LV"));
    }

    [Theory]
    [InlineData("en", "EUR 300,000.00", "EUR 12,500.50")]
    [InlineData("lv", "300 000,00 EUR", "12 500,50 EUR")]
    [InlineData("de", "300.000,00 EUR", "12.500,50 EUR")]
    public void Amounts_are_written_in_the_readers_numbers(string language, string ceiling, string amount)
    {
        using var scope = CultureScope.Of(language);
        Assert.Equal(ceiling, DeMinimisRules.Euros(DeMinimisRules.CeilingCents).Replace('\u00A0', ' ').Replace('\u202F', ' '));
        Assert.Equal(amount, DeMinimisRules.Euros(12_500_50).Replace('\u00A0', ' ').Replace('\u202F', ' '));
    }

    [Fact]
    public void Dates_and_zoned_times_in_messages_are_written_in_the_readers_formats()
    {
        var day = new DateOnly(2027, 3, 12);
        var at = new DateTimeOffset(2026, 5, 4, 7, 0, 0, TimeSpan.Zero);
        var riga = TimeZones.Resolve("Europe/Riga", null);
        using (CultureScope.Of("en"))
        {
            Assert.Equal("2027-03-12", MessageDates.Short(day));
            Assert.Equal("12 March 2027", MessageDates.Long(day));
            Assert.Equal("12 March 2027 to 14 March 2027", MessageDates.Period(day, day.AddDays(2)));
            Assert.Equal("2026-05-04 10:00 (Europe/Riga)", MessageDates.TimeWithZone(at, riga));
            Assert.Equal("2026-05-04 07:00 (UTC)", MessageDates.TimeWithZone(at, TimeZoneInfo.Utc));
            Assert.Equal("4 May 2026 07:00 UTC", DossierText.When(at));
            Assert.Equal("1.5 KB (1,536 bytes)", DossierText.Size(1536));
        }

        using (CultureScope.Of("de"))
        {
            Assert.Equal("12.03.2027", MessageDates.Short(day));
            Assert.Equal("Freitag, 12. März 2027", MessageDates.Long(day));
            Assert.Equal("04.05.2026 10:00 (Europe/Riga)", MessageDates.TimeWithZone(at, riga));
            Assert.Equal("1,5 KB (1.536 Byte)", DossierText.Size(1536));
        }

        using (CultureScope.Of("lv"))
        {
            Assert.Equal(MessageDates.Long(day) + " 07:00 UTC", DossierText.When(new DateTimeOffset(2027, 3, 12, 7, 0, 0, TimeSpan.Zero)));
            Assert.Contains("marts", MessageDates.Long(day), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_verdict_on_a_cases_audit_trail_is_written_in_the_readers_language()
    {
        var intact = new CaseAuditResult(Guid.NewGuid(), "LV008-2026-0001", 2, null, null);
        Assert.Equal("Audit trail verified: all 2 events are intact; no signed checkpoint covers this case yet.", intact.Describe());
        using (CultureScope.Of("lv"))
        {
            Assert.Equal("Audita pieraksts pārbaudīts: visi notikumi (2) ir neskarti; neviens parakstīts kontrolpunkts vēl neaptver šo lietu.", intact.Describe());
        }

        using (CultureScope.Of("de"))
        {
            Assert.Equal("Prüfpfad geprüft: alle 2 Ereignisse sind unversehrt; noch kein signierter Prüfpunkt deckt diesen Fall ab.", intact.Describe());
        }
    }
}
