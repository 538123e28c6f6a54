using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web;
using TIBS.Cases.Web.Pages.Cases;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The case pages, the broker's work, the inbox and the partner search in Latvian and German, on each database: the
/// page's own words come from the resources (no English left in <c>main</c>), times in the broker's zone and culture;
/// numbers typed into generated forms are read as the user's language writes them.
/// </summary>
public abstract partial class CasePagesLanguageTests(DatabaseFixture fixture)
{
    private const string Liga = "broker.lv008@tibs.example";

    /// <summary>Words of these pages that only English has; none may be left in a translated page.</summary>
    private static readonly string[] EnglishOnly =
    [
        "Open a case", "Title (optional)", "Open the case", "Timeline", "Add a note", "Add note",
        "Attachments", "Upload", "Participants", "Save draft", "Download dossier", "Overdue only", "Export CSV",
        "No cases match", "Open steps", "Recent activity", "Mark all as read", "You have no notifications",
        "Candidates from other countries", "No partner shortlisted yet", "Show the diagram",
        "Reference", "Current step", "Please correct",
    ];

    public static TheoryData<string, string[]> Languages => new()
    {
        { "lv", ["Atvērt lietu", "Laika skala", "Piezīmes", "Pielikumi", "Dalībnieki", "Lietas", "Atvērtie soļi", "Partneru meklēšana", "Iesūtne", "Ieinteresētības apliecinājumi"] },
        { "de", ["Fall eröffnen", "Zeitverlauf", "Notizen", "Anhänge", "Beteiligte", "Fälle", "Offene Schritte", "Partnersuche", "Posteingang", "Interessenbekundungen"] },
    };

    [GeneratedRegex(@"^/cases/([0-9a-f-]{36})$")]
    private static partial Regex CaseUrl();

    private static void AssertTranslated(IHtmlDocument page, string lang, string heading)
    {
        Assert.Equal(lang, page.DocumentElement.GetAttribute("lang"));
        var main = page.QuerySelector("main")!.TextContent;
        Assert.Contains(heading, main, StringComparison.Ordinal);
        foreach (var english in EnglishOnly)
        {
            Assert.False(Regex.IsMatch(main, $@"\b{Regex.Escape(english)}\b"), $"'{english}' is left in English on {page.Url}");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Languages))]
    public async Task A_broker_works_a_case_in_her_language(string lang, string[] words)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = await factory.SignedInAsync(Liga);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(lang);

        var form = await client.GetDocumentAsync("/cases/new");
        AssertTranslated(form, lang, words[0]);
        Assert.Equal(words[0], form.QuerySelector("h1")!.TextContent.Trim());
        var company = form.QuerySelectorAll("#company option").First(o => o.TextContent == "Vidzeme Wood Solutions").GetAttribute("value")!;
        var opened = await client.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = company, ["title"] = "" });
        var url = opened.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.Matches(CaseUrl(), url);

        var @case = await HtmlForms.ParseAsync(opened);
        AssertTranslated(@case, lang, words[1]);
        Assert.Equal(words[1], @case.QuerySelector("#timeline-heading")!.TextContent.Trim());
        Assert.Equal(words[2], @case.QuerySelector("#notes-heading")!.TextContent.Trim());
        Assert.Equal(words[3], @case.QuerySelector("#files-heading")!.TextContent.Trim());
        Assert.Equal(words[4], @case.QuerySelector("#participants-heading")!.TextContent.Trim());
        // Times in the broker's zone (Riga) and culture, with the UTC instant kept in the element.
        var time = @case.QuerySelector("#timeline time")!;
        var instant = DateTimeOffset.Parse(time.GetAttribute("datetime")!, CultureInfo.InvariantCulture);
        var riga = TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById("Europe/Riga"));
        Assert.Equal(riga.ToString("g", CultureInfo.GetCultureInfo(lang == "lv" ? "lv-LV" : "de-DE")), time.TextContent.Trim());

        var list = await client.GetDocumentAsync("/cases");
        AssertTranslated(list, lang, words[5]);
        Assert.Equal(words[5], list.QuerySelector("h1")!.TextContent.Trim());

        var work = await client.GetDocumentAsync("/work");
        AssertTranslated(work, lang, words[6]);
        Assert.Equal(words[6], work.QuerySelector("#steps-heading")!.TextContent.Trim());

        var partners = await client.GetDocumentAsync(url + "/partners");
        AssertTranslated(partners, lang, words[7]);
        Assert.Equal(words[7], partners.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal(words[9], partners.QuerySelector("#messages-heading")!.TextContent.Trim());

        var inbox = await client.GetDocumentAsync("/notifications");
        AssertTranslated(inbox, lang, words[8]);
        Assert.Equal(words[8], inbox.QuerySelector("h1")!.TextContent.Trim());
    }

    [SkippableTheory]
    [InlineData("lv-LV", "72,5", "72.5")]
    [InlineData("de-DE", "1.234,5", "1234.5")]
    [InlineData("en-GB", "72.5", "72.5")]
    [InlineData("en-GB", "1,234.5", "1234.5")]
    [InlineData("en-GB", "-3", "-3")]
    public void A_number_is_read_as_the_user_s_language_writes_it(string culture, string typed, string invariant)
    {
        fixture.EnsureAvailable();
        Assert.Equal(decimal.Parse(invariant, CultureInfo.InvariantCulture), CultureNumbers.Parse(typed, CultureInfo.GetCultureInfo(culture)));
    }

    [SkippableTheory]
    [InlineData("en-GB", "72,5")]
    [InlineData("en-GB", "1,23")]
    [InlineData("lv-LV", "72.5")]
    [InlineData("de-DE", "72.5")]
    [InlineData("en-GB", "seventy")]
    public void A_number_written_another_way_is_not_read_as_a_different_number(string culture, string typed)
    {
        fixture.EnsureAvailable();
        Assert.Null(CultureNumbers.Parse(typed, CultureInfo.GetCultureInfo(culture)));
    }

    [SkippableFact]
    public async Task A_number_field_of_a_form_goes_to_Core_invariant_and_a_wrong_one_is_refused_in_words()
    {
        fixture.EnsureAvailable();
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var t = factory.Services.GetRequiredService<IStringLocalizer<Ui>>();
        PlanField[] fields = [new("solutions", "Jointly developed solutions", FieldType.Number, false, null, [], null, false, null, null, [])];
        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (CultureInfo.GetCultureInfo("lv-LV"), CultureInfo.GetCultureInfo("lv"));
            var errors = new Dictionary<string, string>();
            var latvian = CultureNumbers.ToInvariant([new("solutions", "72,5"), new("note", "72,5")], fields, errors, t);
            Assert.Empty(errors);
            Assert.Equal(["72.5", "72,5"], latvian.Select(p => p.Value)); // only the number field is read as a number

            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (CultureInfo.GetCultureInfo("en-GB"), CultureInfo.GetCultureInfo("en"));
            var english = CultureNumbers.ToInvariant([new("solutions", "72.5")], fields, errors, t);
            Assert.Equal("72.5", Assert.Single(english).Value);
            var refused = CultureNumbers.ToInvariant([new("solutions", "72,5")], fields, errors, t);
            Assert.Empty(refused);
            Assert.Equal("Jointly developed solutions: “72,5” is not a number. Write numbers like 1234.5.", errors["solutions"]);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = previous;
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCasePagesLanguageTests(SqliteFixture fixture) : CasePagesLanguageTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCasePagesLanguageTests(PostgresFixture fixture) : CasePagesLanguageTests(fixture);
