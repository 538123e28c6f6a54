using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>Over-long text is a field error where it was typed, and nothing of it is stored: step forms, company form, search filters.</summary>
public abstract class TextLimitTests(DatabaseFixture fixture)
{
    [SkippableFact]
    public async Task Over_long_text_is_a_field_error_and_nothing_is_stored()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = await SignedInAsync(factory, "broker.pl84@tibs.example");
        var store = factory.Services.GetRequiredService<ICaseStore>();

        // A step form: one mebibyte of notes in the intake step.
        var form = await client.GetDocumentAsync("/cases/new");
        var company = form.QuerySelectorAll("#company option").Select(o => o.GetAttribute("value")).First(v => !string.IsNullOrEmpty(v))!;
        var opened = await client.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = company, ["title"] = "" });
        var caseId = Guid.Parse(opened.RequestMessage!.RequestUri!.AbsolutePath.Split('/')[^1]);
        var page = await HtmlForms.ParseAsync(opened);
        var before = await store.GetAsync(caseId);
        var outcome = page.QuerySelector("#step-form button[name=outcome]")!.GetAttribute("value")!;
        var notes = new string('n', 1_000_000);
        var response = await PostAsync(client, page, "#step-form", Values(("notes", notes), ("contact-data-consent", "yes")), ("outcome", outcome));
        var after = await HtmlForms.ParseAsync(response);
        var stored = await store.GetAsync(caseId);
        var events = await store.GetEventsAsync(caseId);
        var steps = await store.GetStepsAsync(caseId);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Notes: at most 20,000 characters are allowed (this has 1,000,000).", after.QuerySelector("#f-notes-error")!.TextContent.Trim());
        Assert.Equal(before!.Version, stored!.Version);
        Assert.Equal(before.AuditCount, events.Count);
        Assert.DoesNotContain(events, e => e.Data.Length > 100_000);
        Assert.DoesNotContain(steps, s => (s.FormData?.Length ?? 0) > 100_000);

        // A note over Core's limit.
        var note = await PostAsync(client, after, "form[action$='handler=Note']", Values(("body", new string('b', 10_001))));
        var noteError = (await HtmlForms.ParseAsync(note)).QuerySelector("form[action$='handler=Note'] .field-error");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, note.StatusCode);
        Assert.NotNull(noteError);
        Assert.Contains("The note is too long: at most 10,000 characters (it has 10,001).", noteError.TextContent, StringComparison.Ordinal);
        Assert.Equal(before.Version, (await store.GetAsync(caseId))!.Version);

        // The company form: what it offers over the 4,000 characters of CompanyRules.
        var companyForm = await client.GetDocumentAsync("/companies/new");
        var company2 = await client.SubmitAsync(companyForm, "/companies/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Długa Oferta Sp. z o.o.",
            ["Input.CountryCode"] = "PL",
            ["Input.RegionCode"] = "PL84",
            ["Input.SizeClass"] = "micro",
            ["Input.Offers"] = new string('o', 4_001),
        }, "main form.company-form");
        var companyPage = await HtmlForms.ParseAsync(company2);

        Assert.Equal(HttpStatusCode.OK, company2.StatusCode);
        Assert.Equal("/companies/new", company2.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("What it offers is too long: at most 4,000 characters (it has 4,001).", companyPage.QuerySelector("#Input_Offers-error")!.TextContent.Trim());
        var list = await client.GetDocumentAsync("/companies?q=D%C5%82uga");
        Assert.DoesNotContain("Długa Oferta", list.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_filter_with_a_control_character_or_over_long_is_refused_without_searching()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = await SignedInAsync(factory, "broker.pl84@tibs.example");

        var nul = await client.GetAsync("/companies?q=a%00b");
        var cases = await client.GetAsync("/cases?q=%00");
        var longText = await client.GetDocumentAsync("/companies?q=" + new string('x', 201));
        var longCases = await client.GetDocumentAsync("/cases?q=" + new string('x', 201));

        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.Contains("The address contains the control character U+0000; it cannot be used.", await nul.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, cases.StatusCode);
        Assert.Equal("The search text is too long: at most 200 characters (it has 201).", longText.QuerySelector("#filter-errors li")!.TextContent.Trim());
        Assert.Equal("The search text is too long: at most 200 characters (it has 201).", longCases.QuerySelector("#filter-errors li")!.TextContent.Trim());
    }

    [SkippableFact]
    public async Task A_filter_whose_value_is_not_one_of_its_choices_is_named_and_nothing_is_searched_rather_than_the_filter_dropped()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = await SignedInAsync(factory, "broker.pl84@tibs.example");
        var form = await client.GetDocumentAsync("/cases/new");
        var company = form.QuerySelectorAll("#company option").Select(o => o.GetAttribute("value")).First(v => !string.IsNullOrEmpty(v))!;
        await client.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = company, ["title"] = "A case to find" });
        var all = await client.GetDocumentAsync("/cases?overdue=false&escalated=false");
        Assert.Contains("A case to find", all.QuerySelector("main tbody")!.TextContent, StringComparison.Ordinal);
        Assert.Null(all.QuerySelector("#filter-errors"));

        var page = await client.GetDocumentAsync("/cases?escalated=garbage&broker=nobody&overdue=false&q=case");
        var export = await client.GetAsync("/cases?handler=Export&format=csv&overdue=maybe");

        Assert.Equal(
            ["broker: Broker: \"nobody\" cannot be read as one of its choices; choose it again.",
             "escalated: Escalated only: \"garbage\" cannot be read as one of its choices; choose it again."],
            page.QuerySelectorAll("#filter-errors li").Select(li => $"{li.GetAttribute("data-field")}: {li.TextContent.Trim()}").Order(StringComparer.Ordinal));
        Assert.Empty(page.QuerySelectorAll("main tbody tr"));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/html", export.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Overdue only: \"maybe\" cannot be read as one of its choices; choose it again.", (await HtmlForms.ParseAsync(export)).QuerySelector("#filter-errors li")!.TextContent.Trim());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTextLimitTests(SqliteFixture fixture) : TextLimitTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTextLimitTests(PostgresFixture fixture) : TextLimitTests(fixture);
