using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Every page of the route table (<see cref="RouteAccessTests.Rules"/>), rendered in each language other than English
/// for every role allowed to see it, with the demo data and an open case: the page answers in that language
/// (<c>html lang</c>), shows no raw resource key and none of the words only the English interface has, in <c>main</c>
/// and in the navigation. The sign-in page and the error pages are read without signing in.
/// </summary>
public sealed partial class EveryPageInEveryLanguageTests(EveryPageInEveryLanguageTests.App app) : IClassFixture<EveryPageInEveryLanguageTests.App>
{
    /// <summary>Routes of the table that answer with something other than a page of their own, and why.</summary>
    private static readonly IReadOnlyDictionary<string, string> NotAPage = new Dictionary<string, string>
    {
        ["/"] = "sends each role to its home page, which is in the table",
        ["/account/sign-out"] = "signs out and sends to the sign-in page",
        ["/language"] = "sets the language and sends back to the page",
        ["/account/two-step"] = "without a pending sign-in it sends to the sign-in page",
        ["/account/two-step/set-up"] = "without a pending sign-in it sends to the sign-in page",
        ["/account/single-sign-on"] = "starts sign-in with the provider (not found when single sign-on is off)",
        ["/account/access-denied"] = "the refusal page: read below as an error page",
        ["/training/certificates/{id:guid}"] = "a certificate file",
        ["/cases/{id:guid}/dossier"] = "a PDF (its words are checked by the dossier's tests)",
        ["/cases/{id:guid}/findings"] = "GET sends to the findings on the case page",
        ["/account/set-password"] = "works with the link of an invitation: read below with an unknown link",
        ["/health/live"] = "the liveness status for monitors (JSON), not a page",
        ["/health/ready"] = "the readiness status for monitors (JSON), not a page",
        ["/metrics"] = "the Prometheus scrape (text), not a page",
    };

    /// <summary>Roles that pass a page's policy but see no content of the sample data there, and why.</summary>
    private static readonly IReadOnlyDictionary<(string Route, string Role), string> NoSampleContent = new Dictionary<(string, string), string>
    {
        [("/cases/{id:guid}", "evaluator")] = "an evaluator sees the cases of an audit sample only",
        [("/cases/{id:guid}/partners", "evaluator")] = "an evaluator sees the cases of an audit sample only",
    };

    /// <summary>
    /// Pages that edit the English source of a draft definition: its names, labels and field paths fill the page as
    /// written (a definition is translated in the sidecars of a published version, not in its draft). Their own words
    /// are checked in <see cref="TryAndEditStepLanguageTests"/>; here only the language of the page and placeholders.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> DefinitionSource = new Dictionary<string, string>
    {
        ["/definitions/{key}/draft/steps/{stepKey}"] = "the step editor of the draft",
    };

    /// <summary>
    /// Words and phrases of the English interface that no other language writes (matched whole, case-sensitively).
    /// None is a word of the demo data (names of people and companies, references, regions, e-mail addresses).
    /// </summary>
    private static readonly string[] EnglishOnly =
    [
        "Save", "Cancel", "Sign in", "Sign out", "Overdue", "Add a note", "Preferences", "Next step", "Due",
        "Case", "Cases", "Company", "Companies", "Search", "Back", "Edit", "Delete", "Remove", "Add", "New",
        "Open", "Close", "Closed", "Submit", "Upload", "Settings", "Language", "Notifications", "Inbox",
        "My work", "Coordination", "Definitions", "Users", "Invite", "Organisations", "Timeline", "Attachments",
        "Participants", "Notes", "Reminders", "Owner", "Coordinator", "Email", "Password", "Profile", "Created",
        "Published", "Draft", "Step", "Steps", "Stage", "Outcome", "Country", "Size", "Yes", "None", "Show",
        "Hide", "Previous", "Next", "Actions", "Description", "Title", "Reason", "Date", "Reference", "Indicators",
        "Message", "Messages", "Today", "Results", "Certificate", "Expires", "Not found", "Not allowed", "Breadcrumb",
        "Germany", "Any", "Overview", "Verify",
    ];

    /// <summary>Words of the list that a language writes the same way: Danish "Reference" and "Upload", Swedish "Organisations-" (in "Organisations- eller momsnummer").</summary>
    private static readonly IReadOnlyDictionary<string, string[]> AlsoWritten = new Dictionary<string, string[]>
    {
        ["da"] = ["Reference", "Upload"],
        ["sv"] = ["Organisations"],
    };

    private static readonly IReadOnlyDictionary<string, string> Users = new Dictionary<string, string>
    {
        ["broker"] = PartnerApp.Latvian, // the owner of the open case
        ["coordinator"] = "coordinator@tibs.example",
        ["evaluator"] = "evaluator@tibs.example",
        ["administrator"] = "admin@tibs.example",
    };

    /// <summary>A name quoted in a sentence (“Intake”, „Intake“, »Intake«, ”Intake”): data shown as written, in any language.</summary>
    [GeneratedRegex(@"[“„”»«][^“„”»«\n]{1,200}[“”»«]")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\{\d+\}|\{[A-Za-z]+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"(?<![\w@./-])(?:[A-Za-z]+\.){2,}[A-Za-z]+(?![\w@./-])|(?<![\w@./-])[a-z]+(?:_[a-z]+)+(?![\w@./-])")]
    private static partial Regex KeyLike();

    public static TheoryData<string> OtherLanguages()
    {
        var data = new TheoryData<string>();
        foreach (var language in Languages.All.Where(l => l.Code != Languages.Default))
        {
            data.Add(language.Code);
        }

        return data;
    }

    [Fact]
    public void Every_route_of_the_table_is_rendered_or_named_as_not_a_page()
    {
        Assert.Equal(8, OtherLanguages().Count);
        var unknown = NotAPage.Keys.Concat(NoSampleContent.Keys.Select(k => k.Route)).Concat(DefinitionSource.Keys).Where(r => !RouteAccessTests.Rules.ContainsKey(r)).ToList();
        Assert.True(unknown.Count == 0, "Not in the route table: " + string.Join(", ", unknown));
        var unseen = RouteAccessTests.Rules.Where(r => !NotAPage.ContainsKey(r.Key) && !r.Value.Any(Users.ContainsKey)).Select(r => r.Key).ToList();
        Assert.True(unseen.Count == 0, "Pages no signed-in role sees: " + string.Join(", ", unseen));
    }

    [Theory]
    [MemberData(nameof(OtherLanguages))]
    public async Task Every_page_speaks_the_language(string language)
    {
        var problems = new List<string>();
        foreach (var (route, roles) in RouteAccessTests.Rules.Where(r => !NotAPage.ContainsKey(r.Key)).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            foreach (var role in roles.Where(r => Users.ContainsKey(r) && !NoSampleContent.ContainsKey((route, r))))
            {
                var url = app.Url(route);
                await CheckAsync(await app.ClientAsync(role), url, language, HttpStatusCode.OK, $"{url} ({role})", problems, words: !DefinitionSource.ContainsKey(route));
            }
        }

        var anonymous = app.NewClient();
        await CheckAsync(anonymous, "/account/sign-in", language, HttpStatusCode.OK, "/account/sign-in (anonymous)", problems);
        await CheckAsync(anonymous, "/account/set-password?token=not-a-real-token", language, HttpStatusCode.NotFound, "/account/set-password with an unknown link (anonymous)", problems);
        await CheckAsync(anonymous, "/no-such-page", language, HttpStatusCode.NotFound, "404 (anonymous)", problems);
        await CheckAsync(anonymous, "/account/access-denied", language, HttpStatusCode.Forbidden, "403 (anonymous)", problems);
        await CheckAsync(await app.ClientAsync("broker"), "/account/access-denied?ReturnUrl=%2Fadmin", language, HttpStatusCode.Forbidden, "403 (broker)", problems);
        await CheckAsync(anonymous, "/Error?code=500", language, HttpStatusCode.OK, "500 (anonymous)", problems);

        Assert.True(problems.Count == 0, $"{problems.Count} pages in '{language}' are not fully translated:\n" + string.Join("\n", problems));
    }

    private static async Task CheckAsync(HttpClient client, string url, string language, HttpStatusCode expected, string what, List<string> problems, bool words = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptLanguage.ParseAdd(language);
        using var response = await client.SendAsync(request);
        if (response.StatusCode != expected)
        {
            problems.Add($"{what}: {(int)response.StatusCode} {response.Headers.Location}, expected {(int)expected}");
            return;
        }

        var page = await HtmlForms.ParseAsync(response);
        var found = new List<string>();
        var lang = page.DocumentElement.GetAttribute("lang");
        if (lang != language)
        {
            found.Add($"html lang=\"{lang}\"");
        }

        var text = VisibleText(page);
        found.AddRange(Placeholder().Matches(text).Select(m => $"raw placeholder “{m.Value}”"));
        text = words ? Quoted().Replace(text, "“”") : "";
        found.AddRange(KeyLike().Matches(text).Select(m => $"key-like “{m.Value}”"));
        found.AddRange(EnglishOnly.Except(AlsoWritten.GetValueOrDefault(language, [])).Where(word => Regex.IsMatch(text, $@"(?<![\p{{L}}\p{{N}}_/]){Regex.Escape(word)}(?![\p{{L}}\p{{N}}_/])")).Select(w => $"“{w}”"));
        if (found.Count > 0)
        {
            problems.Add($"{what}: {string.Join(", ", found.Distinct())}");
        }
    }

    /// <summary>
    /// Elements whose text is data or code, not words of the interface: a definition's YAML, column names, the product's
    /// name. Text the page marks as written in another language (a definition's own names, shown as written) is skipped too.
    /// </summary>
    private const string Data = "script, style, template, code, pre:not(.mermaid), kbd, samp, textarea, .brand";

    /// <summary>The text a reader meets in <c>main</c> and in the navigation: text, labels read aloud, tooltips, placeholders and button values.</summary>
    private static string VisibleText(IHtmlDocument page)
    {
        var text = new StringBuilder();
        foreach (var part in page.QuerySelectorAll("main, header, nav").Where(e => e.ParentElement?.Closest("main, header, nav") is null))
        {
            foreach (var node in part.Descendants<IText>().Where(n => n.ParentElement is { } e && Checked(e, page)))
            {
                text.Append(node.Data).Append('\n');
            }

            foreach (var element in part.QuerySelectorAll("[title], [aria-label], [placeholder], input[type=submit][value], input[type=button][value]").Where(e => Checked(e, page)))
            {
                foreach (var attribute in new[] { "title", "aria-label", "placeholder", "value" })
                {
                    if (element.GetAttribute(attribute) is { } value && (attribute != "value" || element.GetAttribute("type") is "submit" or "button"))
                    {
                        text.Append(value).Append('\n');
                    }
                }
            }
        }

        return text.ToString();
    }

    private static bool Checked(IElement element, IHtmlDocument page) =>
        element.Closest(Data) is null && (element.Closest("[lang]") is not { } marked || marked == page.DocumentElement || marked.GetAttribute("lang") == page.DocumentElement.GetAttribute("lang"));

    /// <summary>The application with the demo data, an open case, and one signed-in client per role.</summary>
    public sealed class App : IAsyncLifetime
    {
        private readonly PartnerApp partners = new(TibsWebFactory.ForNewSqliteDatabase());
        private readonly Dictionary<string, HttpClient> clients = [];
        private readonly Dictionary<string, string> ids = [];
        private string companyOfContact = "";

        public Task DisposeAsync() => partners.DisposeAsync();

        public async Task InitializeAsync()
        {
            await partners.InitializeAsync();
            var @case = await partners.OpenLatvianCaseAsync();
            await using var db = await partners.Factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            async Task<string> One(string sql) => (await db.ExecuteScalarAsync<string>(sql))!;
            var company = await partners.CompanyIdAsync("Vidzeme Wood Solutions");
            ids["/cases/"] = @case.Id.ToString();
            ids["/companies/"] = company.ToString();
            ids["/coordination/organisations/"] = await One("SELECT id FROM organisations ORDER BY name LIMIT 1");
            ids["/coordination/training/modules/"] = await One("SELECT id FROM training_modules ORDER BY title LIMIT 1");
            ids["/coordination/training/brokers/"] = await One($"SELECT id FROM users WHERE email = '{PartnerApp.Latvian}'");
            ids["/admin/users/"] = ids["/coordination/training/brokers/"];
            ids["/admin/personal-data/contacts/"] = await One($"SELECT id FROM company_contacts WHERE company_id = '{company}' LIMIT 1");
            companyOfContact = company.ToString();
        }

        public HttpClient NewClient() => partners.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        public async Task<HttpClient> ClientAsync(string role)
        {
            if (!clients.TryGetValue(role, out var client))
            {
                client = NewClient();
                var page = await client.GetDocumentAsync("/account/sign-in");
                var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = Users[role], ["Password"] = TibsWebFactory.DemoPassword });
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                clients[role] = client;
            }

            return client;
        }

        /// <summary>The route with the sample ids of the seeded data in place of its parameters.</summary>
        public string Url(string route)
        {
            var url = route
                .Replace("{key}", "joint-smart-strategy", StringComparison.Ordinal)
                .Replace("{number}", "5", StringComparison.Ordinal)
                .Replace("{stepKey}", "intake", StringComparison.Ordinal);
            foreach (var (prefix, id) in ids)
            {
                if (url.StartsWith(prefix, StringComparison.Ordinal))
                {
                    url = url.Replace("{id:guid}", id, StringComparison.Ordinal).Replace("{id}", id, StringComparison.Ordinal);
                }
            }

            Assert.DoesNotContain("{", url, StringComparison.Ordinal);
            return route.EndsWith("/erase", StringComparison.Ordinal) ? $"{url}?company={companyOfContact}" : url;
        }
    }
}
