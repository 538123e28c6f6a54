// Longer than 400 lines because it walks every company page (search, create, edit, contacts, merge, compliance) as a user does, each test reusing the same sign-in and form helpers.
using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>The company registry pages on the embedded database with the demo data, followed as a browser would.</summary>
public sealed class CompanyPagesTests : IClassFixture<CompanyPagesTests.App>
{
    private readonly App app;

    public CompanyPagesTests(App app) => this.app = app;

    public sealed class App : IDisposable
    {
        public TibsWebFactory Factory { get; } = TibsWebFactory.ForNewSqliteDatabase();

        public ICompanyStore Companies => Factory.Services.GetRequiredService<ICompanyStore>();

        public void Dispose() => Factory.Dispose();
    }

    private HttpClient NewClient(bool redirects = true) =>
        app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = redirects, HandleCookies = true });

    private async Task<HttpClient> SignedInAsync(string email, bool redirects = true)
    {
        var client = NewClient(redirects);
        var page = await client.GetDocumentAsync("/account/sign-in");
        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });
        Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Redirect, $"sign-in of {email} answered {(int)response.StatusCode}");
        return client;
    }

    private async Task<Company> SeedAsync(string name, string country = "LV", string region = "LV008", string size = SizeClasses.Small)
    {
        var now = DateTimeOffset.UtcNow;
        var company = new Company
        {
            Id = Guid.NewGuid(),
            Name = name,
            CountryCode = country,
            RegionCode = region,
            SizeClass = size,
            NaceCodes = ["C", "C16"],
            S3Areas = ["bioeconomy"],
            Keywords = "timber, CLT",
            Contacts = [new CompanyContact { Id = Guid.NewGuid(), Name = "Māris Ozols", Email = "maris@example.org", ConsentDate = new DateOnly(2026, 1, 10), ConsentPurpose = "Partner search" }],
            CreatedAt = now,
            UpdatedAt = now,
        };
        await app.Companies.InsertAsync(company);
        return company;
    }

    /// <summary>
    /// Posts a form as a browser would, like <see cref="HtmlForms.SubmitAsync"/>, but with repeated checkboxes: for every
    /// name in <paramref name="checkedBoxes"/> exactly the listed values are ticked. <paramref name="action"/> replaces the
    /// form's action (a button's formaction).
    /// </summary>
    private static async Task<HttpResponseMessage> PostFormAsync(
        HttpClient client, IHtmlDocument page, IReadOnlyDictionary<string, string> values, ILookup<string, string>? checkedBoxes = null, string? action = null)
    {
        var form = page.QuerySelector("main form[method=post]") as IHtmlFormElement ?? throw new InvalidOperationException("No post form on the page.");
        var fields = new List<KeyValuePair<string, string>>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement box when !string.IsNullOrEmpty(box.Name) && box.Type is "checkbox" or "radio":
                    known.Add(box.Name!);
                    var tick = checkedBoxes is not null && checkedBoxes.Contains(box.Name!) ? checkedBoxes[box.Name!].Contains(box.Value) : box.IsChecked;
                    if (tick)
                    {
                        fields.Add(new(box.Name!, box.Value));
                    }

                    break;
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Type is not ("submit" or "button"):
                    known.Add(input.Name);
                    fields.Add(new(input.Name, values.TryGetValue(input.Name, out var v) ? v : input.Value));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    known.Add(area.Name);
                    fields.Add(new(area.Name, values.TryGetValue(area.Name, out var av) ? av : area.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    known.Add(select.Name);
                    fields.Add(new(select.Name, values.TryGetValue(select.Name, out var sv) ? sv : select.Value ?? ""));
                    break;
            }
        }

        var unknown = values.Keys.Concat(checkedBoxes?.Select(g => g.Key) ?? []).Where(k => !known.Contains(k)).ToList();
        Assert.True(unknown.Count == 0, $"The form has no field {string.Join(", ", unknown)}.");
        return await client.PostAsync(action ?? form.GetAttribute("action"), new FormUrlEncodedContent(fields));
    }

    private static ILookup<string, string> Boxes(params (string Name, string Value)[] boxes) => boxes.ToLookup(b => b.Name, b => b.Value);

    private static string? Value(IHtmlDocument page, string name) => page.QuerySelector($"main form [name='{name}']") switch
    {
        IHtmlTextAreaElement area => area.Value,
        IHtmlSelectElement select => select.Value,
        IHtmlInputElement input => input.Value,
        _ => null,
    };

    private static string? ErrorOf(IHtmlDocument page, string fieldId) => page.QuerySelector($"#{fieldId}-error")?.TextContent.Trim();

    private static Guid CompanyIdOf(HttpResponseMessage response)
    {
        var path = response.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.Matches("^/companies/[0-9a-f-]{36}$", path);
        return Guid.Parse(path["/companies/".Length..]);
    }

    [Fact]
    public async Task A_broker_registers_a_company_with_codes_areas_and_a_contact_person()
    {
        var client = await SignedInAsync("broker.lv008@tibs.example");
        var form = await client.GetDocumentAsync("/companies/new");
        Assert.Equal("LV", Value(form, "Input.CountryCode"));
        Assert.Equal("LV008", Value(form, "Input.RegionCode"));
        Assert.NotNull(form.QuerySelector("main form input[name=__RequestVerificationToken]"));
        foreach (var input in form.QuerySelectorAll("main form input:not([type=hidden]), main form select, main form textarea"))
        {
            Assert.True(form.QuerySelector($"label[for='{input.Id}']") is not null, $"input {input.GetAttribute("name")} has no label");
        }

        var response = await PostFormAsync(client, form, new Dictionary<string, string>
        {
            ["Input.Name"] = "  Cēsis Timber Labs ",
            ["Input.CountryCode"] = "LV",
            ["Input.RegionCode"] = "LV008",
            ["Input.SizeClass"] = SizeClasses.Micro,
            ["Input.YearFounded"] = "2019",
            ["Input.NaceDetail"] = "c16, M72.1",
            ["Input.Offers"] = "Prefabricated timber modules",
            ["Input.Needs"] = "Digital design partner",
            ["Input.Keywords"] = "timber, modules, , Timber, prefab",
            ["Input.Languages"] = "LV, en",
            ["Input.Website"] = "https://cesis-timber.example",
            ["Input.Contacts[0].Name"] = "Ilze Kalniņa",
            ["Input.Contacts[0].Role"] = "Founder",
            ["Input.Contacts[0].Email"] = "ilze@cesis-timber.example",
            ["Input.Contacts[0].Phone"] = "+371 2612 3456",
            ["Input.Contacts[0].ConsentDate"] = "2026-01-15",
            ["Input.Contacts[0].ConsentPurpose"] = "Partner search",
        }, Boxes(("Input.NaceSections", "C"), ("Input.S3Areas", "bioeconomy"), ("Input.S3Areas", "advanced-manufacturing")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = CompanyIdOf(response);
        var page = await HtmlForms.ParseAsync(response);
        Assert.Equal("Cēsis Timber Labs is registered.", page.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Equal("Cēsis Timber Labs", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("#edit-company"));
        var stored = await app.Companies.GetAsync(id);
        Assert.NotNull(stored);
        Assert.Equal(("LV", "LV008", SizeClasses.Micro, 2019), (stored.CountryCode, stored.RegionCode, stored.SizeClass, stored.YearFounded));
        Assert.Equal(["C", "C16", "M72.1"], stored.NaceCodes);
        Assert.Equal(["advanced-manufacturing", "bioeconomy"], stored.S3Areas);
        Assert.Equal("timber, modules, prefab", stored.Keywords);
        Assert.Equal("lv, en", stored.Languages);
        Assert.Equal("https://cesis-timber.example", stored.Website);
        var contact = Assert.Single(stored.Contacts);
        Assert.Equal(("Ilze Kalniņa", "Founder", "ilze@cesis-timber.example", "+371 2612 3456", new DateOnly(2026, 1, 15), "Partner search"),
            (contact.Name, contact.Role, contact.Email, contact.Phone, contact.ConsentDate!.Value, contact.ConsentPurpose));
        Assert.NotNull(stored.CreatedBy);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task Each_wrong_field_gets_its_own_message_and_every_value_is_kept()
    {
        var client = await SignedInAsync("broker.lv008@tibs.example");
        var before = await app.Companies.CountAsync();
        var form = await client.GetDocumentAsync("/companies/new");
        var nextYear = (DateTime.UtcNow.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tomorrow = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var response = await PostFormAsync(client, form, new Dictionary<string, string>
        {
            ["Input.Name"] = "",
            ["Input.CountryCode"] = "LV",
            ["Input.RegionCode"] = "DE60",
            ["Input.SizeClass"] = "",
            ["Input.YearFounded"] = nextYear,
            ["Input.NaceDetail"] = "C10, X99, C1",
            ["Input.Keywords"] = "wood, bark",
            ["Input.Languages"] = "lv, english",
            ["Input.Website"] = "www.example.com",
            ["Input.Contacts[0].Name"] = "",
            ["Input.Contacts[0].Email"] = "ilze(at)example",
            ["Input.Contacts[0].Phone"] = "call me",
            ["Input.Contacts[0].ConsentDate"] = tomorrow,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/companies/new", response.RequestMessage!.RequestUri!.AbsolutePath);
        var page = await HtmlForms.ParseAsync(response);
        Assert.Equal("Enter the company's name.", ErrorOf(page, "Input_Name"));
        Assert.Equal("Hamburg is not in Latvia: choose a region of Latvia.", ErrorOf(page, "Input_RegionCode"));
        Assert.Equal("Choose the organisation type.", ErrorOf(page, "Input_SizeClass"));
        Assert.StartsWith("Enter the year founded as a year from 1800 to ", ErrorOf(page, "Input_YearFounded"), StringComparison.Ordinal);
        Assert.StartsWith("Not a NACE code: 'X99', 'C1'.", ErrorOf(page, "Input_NaceDetail"), StringComparison.Ordinal);
        Assert.StartsWith("Not an ISO 639-1 language code: 'english'.", ErrorOf(page, "Input_Languages"), StringComparison.Ordinal);
        Assert.StartsWith("Enter the website's full address, starting with http:// or https://", ErrorOf(page, "Input_Website"), StringComparison.Ordinal);
        Assert.Equal("Contact person 1: enter the person's name.", ErrorOf(page, "Input_Contacts_0__Name"));
        Assert.Equal("Contact person 1: enter an e-mail address such as name@example.org.", ErrorOf(page, "Input_Contacts_0__Email"));
        Assert.StartsWith("Contact person 1: enter a phone number", ErrorOf(page, "Input_Contacts_0__Phone"), StringComparison.Ordinal);
        Assert.Equal("Contact person 1: the consent date cannot be in the future.", ErrorOf(page, "Input_Contacts_0__ConsentDate"));
        Assert.Equal("Contact person 1: enter what the consent was given for; a consent date needs its purpose.", ErrorOf(page, "Input_Contacts_0__ConsentPurpose"));
        Assert.Null(ErrorOf(page, "Input_Keywords"));
        Assert.Null(ErrorOf(page, "Input_CountryCode"));

        // The summary lists every problem with a link to its field; each field points at its message.
        var summary = page.QuerySelectorAll("#error-summary li a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(12, summary.Count);
        Assert.Contains("#Input_Name", summary);
        Assert.Contains("#Input_Contacts_0__ConsentPurpose", summary);
        Assert.Contains("Input_Name-error", page.QuerySelector("#Input_Name")!.GetAttribute("aria-describedby"), StringComparison.Ordinal);
        Assert.Contains("is-invalid", page.QuerySelector("#Input_Website")!.ClassName, StringComparison.Ordinal);

        // What was typed is still there.
        Assert.Equal("DE60", Value(page, "Input.RegionCode"));
        Assert.Equal(nextYear, Value(page, "Input.YearFounded"));
        Assert.Equal("C10, X99, C1", Value(page, "Input.NaceDetail"));
        Assert.Equal("wood, bark", Value(page, "Input.Keywords"));
        Assert.Equal("lv, english", Value(page, "Input.Languages"));
        Assert.Equal("www.example.com", Value(page, "Input.Website"));
        Assert.Equal("ilze(at)example", Value(page, "Input.Contacts[0].Email"));
        Assert.Equal(tomorrow, Value(page, "Input.Contacts[0].ConsentDate"));
        Assert.Equal(before, await app.Companies.CountAsync());
    }

    [Fact]
    public async Task A_consent_purpose_without_its_date_and_a_year_before_1800_are_refused()
    {
        var client = await SignedInAsync("coordinator@tibs.example");
        var form = await client.GetDocumentAsync("/companies/new");

        var response = await PostFormAsync(client, form, new Dictionary<string, string>
        {
            ["Input.Name"] = "Tartu Robotics",
            ["Input.CountryCode"] = "EE",
            ["Input.RegionCode"] = "EE008",
            ["Input.SizeClass"] = SizeClasses.Small,
            ["Input.YearFounded"] = "1799",
            ["Input.Contacts[0].Name"] = "Kadri Mets",
            ["Input.Contacts[0].ConsentPurpose"] = "Newsletter",
        });
        var page = await HtmlForms.ParseAsync(response);

        Assert.Equal("Contact person 1: enter the date the consent was given; a consent purpose needs its date.", ErrorOf(page, "Input_Contacts_0__ConsentDate"));
        Assert.StartsWith("Enter the year founded as a year from 1800", ErrorOf(page, "Input_YearFounded"), StringComparison.Ordinal);
        Assert.Equal("Tartu Robotics", Value(page, "Input.Name"));
        Assert.Equal("Newsletter", Value(page, "Input.Contacts[0].ConsentPurpose"));
    }

    [Fact]
    public async Task Editing_adds_and_removes_contact_persons_and_replaces_codes()
    {
        var company = await SeedAsync("Gauja Furniture");
        var client = await SignedInAsync("broker.lv008@tibs.example");
        var url = $"/companies/{company.Id}/edit";
        var form = await client.GetDocumentAsync(url);
        Assert.Equal("Gauja Furniture", Value(form, "Input.Name"));
        Assert.Equal("C16", Value(form, "Input.NaceDetail"));
        Assert.Equal("1", Value(form, "Input.Version"));

        // Without JavaScript: "Add another contact person" posts the form back with one more empty row, typed input kept.
        var added = await PostFormAsync(client, form, new Dictionary<string, string>
        {
            ["Input.Name"] = "Gauja Furniture Works",
            ["Input.Contacts[1].Name"] = "Pēteris Krūmiņš",
        }, action: $"{url}?handler=AddContact");
        var withRows = await HtmlForms.ParseAsync(added);
        Assert.Equal("Gauja Furniture Works", Value(withRows, "Input.Name"));
        Assert.Equal("Pēteris Krūmiņš", Value(withRows, "Input.Contacts[1].Name"));
        Assert.NotNull(withRows.QuerySelector("[name='Input.Contacts[2].Name']"));
        Assert.Empty(withRows.QuerySelectorAll(".field-error"));

        var saved = await PostFormAsync(client, withRows, new Dictionary<string, string>
        {
            ["Input.NaceDetail"] = "C31",
            ["Input.Contacts[2].Name"] = "Anna Liepiņa",
            ["Input.Contacts[2].Role"] = "Sales",
        }, Boxes(("Input.Contacts[0].Remove", "true"), ("Input.S3Areas", "smart-cities")));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(company.Id, CompanyIdOf(saved));
        var stored = await app.Companies.GetAsync(company.Id);
        Assert.Equal("Gauja Furniture Works", stored!.Name);
        Assert.Equal(["C", "C31"], stored.NaceCodes);
        Assert.Equal(["smart-cities"], stored.S3Areas);
        Assert.Equal(["Anna Liepiņa", "Pēteris Krūmiņš"], stored.Contacts.Select(c => c.Name));
        Assert.Equal(2, stored.Version);
    }

    [Fact]
    public async Task The_second_of_two_concurrent_edits_is_refused_with_its_input_kept_and_can_be_saved_after_review()
    {
        var company = await SeedAsync("Sigulda Bio Packaging");
        var first = await SignedInAsync("broker.lv008@tibs.example");
        var second = await SignedInAsync("coordinator@tibs.example");
        var url = $"/companies/{company.Id}/edit";
        var firstForm = await first.GetDocumentAsync(url);
        var secondForm = await second.GetDocumentAsync(url);

        var firstSave = await PostFormAsync(first, firstForm, new Dictionary<string, string> { ["Input.Name"] = "Sigulda Bio Packaging Ltd" });
        Assert.Equal(company.Id, CompanyIdOf(firstSave));

        var secondSave = await PostFormAsync(second, secondForm, new Dictionary<string, string>
        {
            ["Input.Keywords"] = "packaging, bio-based",
            ["Input.Needs"] = "Food producers for pilots",
        });

        Assert.Equal(HttpStatusCode.Conflict, secondSave.StatusCode);
        var conflict = await HtmlForms.ParseAsync(secondSave);
        Assert.Equal(
            "Someone else changed this company since you opened it; your changes are below, review and save again.",
            conflict.QuerySelector("#conflict p")!.TextContent.Trim());
        Assert.Contains(conflict.QuerySelectorAll("#conflict tbody tr"), r => r.QuerySelector("th")!.TextContent == "Name" && r.TextContent.Contains("Sigulda Bio Packaging Ltd", StringComparison.Ordinal));
        Assert.Equal("packaging, bio-based", Value(conflict, "Input.Keywords"));
        Assert.Equal("Food producers for pilots", Value(conflict, "Input.Needs"));
        Assert.Equal("Sigulda Bio Packaging", Value(conflict, "Input.Name"));
        Assert.Equal("2", Value(conflict, "Input.Version"));
        var afterConflict = await app.Companies.GetAsync(company.Id);
        Assert.Equal(("Sigulda Bio Packaging Ltd", "timber, CLT", null, 2), (afterConflict!.Name, afterConflict.Keywords, afterConflict.Needs, afterConflict.Version));

        // After review the second user keeps the other's name and saves their own changes.
        var reviewed = await PostFormAsync(second, conflict, new Dictionary<string, string> { ["Input.Name"] = "Sigulda Bio Packaging Ltd" });
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        var final = await app.Companies.GetAsync(company.Id);
        Assert.Equal(("Sigulda Bio Packaging Ltd", "packaging, bio-based", "Food producers for pilots", 3), (final!.Name, final.Keywords, final.Needs, final.Version));
    }

    [Fact]
    public async Task The_list_searches_by_text_and_by_each_filter()
    {
        var client = await SignedInAsync("broker.de60@tibs.example");

        async Task<List<(string Name, string Country, string Region, string Size)>> Rows(string query)
        {
            var page = await client.GetDocumentAsync("/companies" + query);
            return [.. page.QuerySelectorAll("table.company-list tbody tr").Select(r =>
            {
                var cells = r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
                return (r.QuerySelector("th")!.TextContent.Trim(), cells[0], cells[1], cells[2]);
            })];
        }

        var all = await Rows("");
        Assert.Contains(all, r => r.Name == "Hamburg Maritime Analytics");
        Assert.Equal(all.Select(r => r.Name).Order(StringComparer.Ordinal), all.Select(r => r.Name));

        Assert.Equal(["Podlasie Dairy Tech"], (await Rows("?q=DAIRY")).Select(r => r.Name));
        Assert.Equal(["Kaunas BioLab"], (await Rows("?q=enzymes")).Select(r => r.Name));
        Assert.Contains("Hamburg Maritime Analytics", (await Rows("?q=port+logistics")).Select(r => r.Name));

        var german = await Rows("?country=DE");
        Assert.Contains(german, r => r.Name == "Hamburg Maritime Analytics");
        Assert.All(german, r => Assert.Equal("Germany", r.Country));

        var lt02 = await Rows("?region=LT02");
        Assert.Contains(lt02, r => r.Name == "Kaunas BioLab");
        Assert.All(lt02, r => Assert.Equal("Lithuania", r.Country));
        Assert.DoesNotContain(await Rows("?region=LT01"), r => r.Name == "Kaunas BioLab");

        var water = await Rows("?s3=water-management");
        Assert.Equal(["Aabenraa Water Systems"], water.Select(r => r.Name));

        var naceE = await Rows("?nace=E");
        Assert.Equal(["Aabenraa Water Systems"], naceE.Select(r => r.Name));
        var naceM = await Rows("?nace=M");
        Assert.Contains(naceM, r => r.Name == "Kaunas BioLab");
        Assert.DoesNotContain(naceM, r => r.Name == "Aabenraa Water Systems");

        var medium = await Rows("?size=medium");
        Assert.Contains(medium, r => r.Name == "Hamburg Maritime Analytics");
        Assert.Contains(medium, r => r.Name == "Aabenraa Water Systems");
        Assert.All(medium, r => Assert.StartsWith("Medium", r.Size, StringComparison.Ordinal));

        Assert.Equal(["Hamburg Maritime Analytics"], (await Rows("?q=data&country=DE&size=medium&s3=ict-digitalisation&nace=J")).Select(r => r.Name));
        var none = await client.GetDocumentAsync("/companies?q=no-such-company-anywhere");
        Assert.Equal("No company matches this search.", none.QuerySelector(".no-results")!.TextContent.Trim());

        // The filter form shows the current search.
        var filtered = await client.GetDocumentAsync("/companies?q=dairy&country=PL");
        Assert.Equal("dairy", filtered.QuerySelector("#q")!.GetAttribute("value"));
        Assert.Equal("PL", ((IHtmlSelectElement)filtered.QuerySelector("#country")!).Value);
    }

    [Fact]
    public async Task The_list_pages_with_a_cursor_25_companies_at_a_time()
    {
        for (var i = 0; i < 31; i++)
        {
            await SeedAsync($"Keyset Paging Co {i:00}", "FI", "FI19");
        }

        var client = await SignedInAsync("coordinator@tibs.example");
        var first = await client.GetDocumentAsync("/companies?q=keyset+paging&country=FI");
        var firstNames = first.QuerySelectorAll("a.company-link").Select(a => a.TextContent).ToList();
        var next = first.QuerySelector("#next-page")?.GetAttribute("href");

        Assert.Equal(25, firstNames.Count);
        Assert.NotNull(next);
        Assert.Contains("q=keyset", next, StringComparison.Ordinal);
        Assert.Contains("country=FI", next, StringComparison.Ordinal);
        Assert.Contains("after=", next, StringComparison.Ordinal);
        Assert.Null(first.QuerySelector("#first-page"));

        var second = await client.GetDocumentAsync(next);
        var secondNames = second.QuerySelectorAll("a.company-link").Select(a => a.TextContent).ToList();
        Assert.Equal(6, secondNames.Count);
        Assert.Null(second.QuerySelector("#next-page"));
        Assert.NotNull(second.QuerySelector("#first-page"));
        Assert.Equal(Enumerable.Range(0, 31).Select(i => $"Keyset Paging Co {i:00}"), firstNames.Concat(secondNames));

        // A damaged cursor starts from the beginning instead of failing.
        var damaged = await client.GetDocumentAsync("/companies?q=keyset+paging&after=not-a-cursor");
        Assert.Equal(25, damaged.QuerySelectorAll("a.company-link").Length);
    }

    [Fact]
    public async Task Brokers_edit_only_companies_of_their_own_region_and_coordinators_all()
    {
        var latvian = await SeedAsync("Valmiera Glass Fibre");
        var german = await SeedAsync("Altona Robotics", "DE", "DE60");
        var hamburg = await SignedInAsync("broker.de60@tibs.example");

        var view = await hamburg.GetDocumentAsync($"/companies/{latvian.Id}");
        Assert.Equal("Valmiera Glass Fibre", view.QuerySelector("h1")!.TextContent.Trim());
        Assert.Null(view.QuerySelector("#edit-company"));
        Assert.Equal(HttpStatusCode.Forbidden, (await hamburg.GetAsync($"/companies/{latvian.Id}/edit")).StatusCode);

        // A valid form of the broker's own company, posted to the other region's company, is refused too.
        var ownForm = await hamburg.GetDocumentAsync($"/companies/{german.Id}/edit");
        var post = await PostFormAsync(hamburg, ownForm, new Dictionary<string, string> { ["Input.Name"] = "Taken over" }, action: $"/companies/{latvian.Id}/edit");
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal("Valmiera Glass Fibre", (await app.Companies.GetAsync(latvian.Id))!.Name);

        var coordinator = await SignedInAsync("coordinator@tibs.example");
        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync($"/companies/{latvian.Id}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync($"/companies/{german.Id}/edit")).StatusCode);
    }

    [Fact]
    public async Task Unknown_ids_answer_404()
    {
        var client = await SignedInAsync("coordinator@tibs.example");
        var id = Guid.NewGuid();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/companies/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/companies/{id}/edit")).StatusCode);
    }

    [Theory]
    [InlineData("/companies")]
    [InlineData("/companies/new")]
    [InlineData("/companies/0191c2a4-7b9e-7c4d-9a4e-3c2b1a0f9e8d")]
    [InlineData("/companies/0191c2a4-7b9e-7c4d-9a4e-3c2b1a0f9e8d/edit")]
    public async Task Evaluators_and_anonymous_visitors_are_refused(string url)
    {
        var anonymous = await NewClient(redirects: false).GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/account/sign-in", anonymous.Headers.Location!.AbsolutePath);

        var evaluator = await SignedInAsync("evaluator@tibs.example", redirects: false);
        var refused = await evaluator.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/account/access-denied", refused.Headers.Location!.AbsolutePath);
    }
}
