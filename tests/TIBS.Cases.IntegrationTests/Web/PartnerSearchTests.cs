using System.Net;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>One web application on a fresh embedded database with the demo data and two extra Hamburg SMEs.</summary>
public sealed class PartnerApp : IAsyncLifetime
{
    public PartnerApp()
        : this(TibsWebFactory.ForNewSqliteDatabase())
    {
    }

    /// <summary>The same application on a factory of the caller's (its own test-host services).</summary>
    internal PartnerApp(TibsWebFactory factory) => Factory = factory;

    public TibsWebFactory Factory { get; }

    public Guid TimberId { get; } = Guid.CreateVersion7();

    public Guid UnrelatedId { get; } = Guid.CreateVersion7();

    public async Task InitializeAsync()
    {
        using var _ = Factory.CreateClient(); // starts the host: schema, workflows, demo data
        var companies = Factory.Services.GetRequiredService<ICompanyStore>();
        var now = DateTimeOffset.UtcNow;
        await companies.InsertAsync(new Company
        {
            Id = TimberId,
            Name = "Hamburg Timber Digital",
            CountryCode = "DE",
            RegionCode = "DE60",
            SizeClass = SizeClasses.Small,
            NaceCodes = ["C", "C16"],
            S3Areas = ["bioeconomy"],
            Offers = "Digital design of timber buildings",
            Needs = "Suppliers of CLT elements",
            Keywords = "timber, BIM",
            Languages = "de, en",
            CreatedAt = now,
            UpdatedAt = now,
        });
        await companies.InsertAsync(new Company
        {
            Id = UnrelatedId,
            Name = "Elbe Cleaning Services",
            CountryCode = "DE",
            RegionCode = "DE60",
            SizeClass = SizeClasses.Micro,
            NaceCodes = ["N", "N81"],
            S3Areas = ["water-management"],
            Offers = "Office cleaning",
            Needs = "Staff",
            Languages = "de",
            CreatedAt = now,
            UpdatedAt = now,
        });
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }

    public HttpClient NewClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });

    public async Task<HttpClient> SignInAsync(string email)
    {
        var client = NewClient();
        var page = await client.GetDocumentAsync("/account/sign-in");
        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await HtmlForms.ParseAsync(response)).QuerySelector(".who"));
        return client;
    }

    public async Task<Actor> ActorAsync(string email)
    {
        var user = await Factory.Services.GetRequiredService<IUserStore>().FindByEmailAsync(email);
        return user!.AsActor();
    }

    public async Task<Guid> CompanyIdAsync(string name)
    {
        await using var c = await Factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        return Guid.Parse(await c.ExecuteScalarAsync<string>("SELECT id FROM companies WHERE name = @name", new { name }) ?? throw new InvalidOperationException(name));
    }

    /// <summary>A new case for the Latvian demo SME, opened by the Latvian broker.</summary>
    public async Task<CaseRecord> OpenLatvianCaseAsync()
    {
        var service = new CaseCommands(Factory.Services);
        var result = await service.OpenCaseAsync(await CompanyIdAsync("Vidzeme Wood Solutions"), null, await ActorAsync(Latvian));
        Assert.True(result.Succeeded, result.Message);
        return result.Case!;
    }

    public const string Latvian = "broker.lv008@tibs.example";
    public const string Hamburg = "broker.de60@tibs.example";
}

public sealed class PartnerSearchTests(PartnerApp app) : IClassFixture<PartnerApp>
{
    private static string Url(Guid caseId) => $"/cases/{caseId}/partners";

    private static List<string> CandidateNames(IHtmlDocument page) => [.. page.QuerySelectorAll("#candidates .candidate-name").Select(e => e.TextContent.Trim())];

    [Fact]
    public async Task Candidates_from_other_countries_are_ranked_with_their_breakdown()
    {
        var @case = await app.OpenLatvianCaseAsync();
        var client = await app.SignInAsync(PartnerApp.Latvian);

        var page = await client.GetDocumentAsync(Url(@case.Id));

        var names = CandidateNames(page);
        Assert.DoesNotContain("Vidzeme Wood Solutions", names);
        Assert.Equal(9, names.Count); // 7 demo SMEs of other countries + 2 from Hamburg
        Assert.True(names.IndexOf("Hamburg Timber Digital") < names.IndexOf("Elbe Cleaning Services"));
        Assert.Equal("Hamburg Timber Digital", names[0]);
        var timber = page.QuerySelector($"#candidates .candidate[data-company='{app.TimberId}']")!;
        var rows = timber.QuerySelectorAll("tr.breakdown").Select(r => r.TextContent).ToList();
        Assert.Equal(8, rows.Count);
        Assert.Contains(rows, r => r.Contains("Shared S3 areas", StringComparison.Ordinal) && r.Contains("Bioeconomy (from the lead company's record)", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("Same NACE division C16 (from the lead company's record).", StringComparison.Ordinal));
        var score = int.Parse(timber.QuerySelector(".score")!.FirstChild!.TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var unrelated = int.Parse(page.QuerySelector($"#candidates .candidate[data-company='{app.UnrelatedId}'] .score")!.FirstChild!.TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(score > unrelated);
        Assert.NotNull(timber.QuerySelector("form.shortlist-form input[name=version]"));
        foreach (var id in new[] { "country", "s3", "nace", "minScore", "q" })
        {
            Assert.NotNull(page.QuerySelector($"label[for={id}]"));
        }
    }

    [Fact]
    public async Task Filters_narrow_the_candidates()
    {
        var @case = await app.OpenLatvianCaseAsync();
        var client = await app.SignInAsync(PartnerApp.Latvian);

        var germany = CandidateNames(await client.GetDocumentAsync(Url(@case.Id) + "?country=DE"));
        var water = CandidateNames(await client.GetDocumentAsync(Url(@case.Id) + "?s3=water-management"));
        var ict = CandidateNames(await client.GetDocumentAsync(Url(@case.Id) + "?nace=J"));
        var text = CandidateNames(await client.GetDocumentAsync(Url(@case.Id) + "?q=TIMBER"));
        var best = CandidateNames(await client.GetDocumentAsync(Url(@case.Id) + "?minScore=50"));

        Assert.Equal(["Elbe Cleaning Services", "Hamburg Maritime Analytics", "Hamburg Timber Digital"], germany.Order(StringComparer.Ordinal));
        Assert.Equal(["Aabenraa Water Systems", "Elbe Cleaning Services"], water.Order(StringComparer.Ordinal));
        Assert.Equal(["Gothenburg HealthTech", "Hamburg Maritime Analytics"], ict.Order(StringComparer.Ordinal));
        Assert.Equal(["Hamburg Timber Digital"], text);
        Assert.Contains("Hamburg Timber Digital", best);
        Assert.DoesNotContain("Elbe Cleaning Services", best);
    }

    [Fact]
    public async Task Shortlisting_notifies_the_Hamburg_broker_who_sees_the_case_in_my_work_and_records_interest()
    {
        var @case = await app.OpenLatvianCaseAsync();
        var latvian = await app.SignInAsync(PartnerApp.Latvian);
        var page = await latvian.GetDocumentAsync(Url(@case.Id));

        var shortlisted = await latvian.SubmitAsync(page, Url(@case.Id), new Dictionary<string, string>(), $"form.shortlist-form[data-company='{app.TimberId}']");
        var afterShortlist = await HtmlForms.ParseAsync(shortlisted);

        Assert.Equal(HttpStatusCode.OK, shortlisted.StatusCode);
        Assert.Contains("The broker of Hamburg (DE60) was notified.", afterShortlist.QuerySelector(".alert-success")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Shortlisted", afterShortlist.QuerySelector("#pipeline .pipeline-status")!.TextContent.Trim());
        Assert.DoesNotContain("Hamburg Timber Digital", CandidateNames(afterShortlist));
        var participantId = afterShortlist.QuerySelector("#pipeline tr[data-participant]")!.GetAttribute("data-participant")!;

        var contacted = await HtmlForms.ParseAsync(await latvian.SubmitAsync(afterShortlist, Url(@case.Id), new Dictionary<string, string>(), $"form.status-form[data-participant='{participantId}'][data-status=contacted]"));
        Assert.Equal("Contacted", contacted.QuerySelector("#pipeline .pipeline-status")!.TextContent.Trim());

        var hamburg = await app.SignInAsync(PartnerApp.Hamburg);
        var work = await hamburg.GetDocumentAsync("/work");
        var notices = work.QuerySelectorAll("#notifications .notification").Where(n => n.TextContent.Contains(@case.Reference, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, notices.Count); // shortlisted and contacted
        Assert.Contains(notices, n => n.GetAttribute("data-kind") == NotificationKinds.PartnerShortlisted);
        var partnerRow = work.QuerySelector($"#partner-cases tr[data-case='{@case.Id}']")!;
        Assert.Contains("Hamburg Timber Digital", partnerRow.TextContent, StringComparison.Ordinal);
        Assert.Equal("Contacted", partnerRow.QuerySelector(".pipeline-status")!.TextContent.Trim());

        var hamburgPage = await hamburg.GetDocumentAsync(Url(@case.Id));
        Assert.Empty(hamburgPage.QuerySelectorAll("form.shortlist-form")); // only the case's broker shortlists
        var interested = await hamburg.SubmitAsync(hamburgPage, Url(@case.Id), new Dictionary<string, string>(), $"form.status-form[data-participant='{participantId}'][data-status=interested]");
        var afterInterest = await HtmlForms.ParseAsync(interested);
        Assert.Equal(HttpStatusCode.OK, interested.StatusCode);
        Assert.Equal("Interested", afterInterest.QuerySelector("#pipeline .pipeline-status")!.TextContent.Trim());

        // Expression of interest: the Hamburg broker writes about the partner, the Latvian broker answers.
        var sent = await HtmlForms.ParseAsync(await hamburg.SubmitAsync(afterInterest, Url(@case.Id),
            new Dictionary<string, string> { ["body"] = "Hamburg Timber Digital is interested in a joint pilot." }, $"form.message-form[data-participant='{participantId}']"));
        var reply = await HtmlForms.ParseAsync(await latvian.SubmitAsync(await latvian.GetDocumentAsync(Url(@case.Id)), Url(@case.Id),
            new Dictionary<string, string> { ["body"] = "Great, let us plan a call." }, $"form.message-form[data-participant='{participantId}']"));
        var thread = reply.QuerySelectorAll($".messages[data-participant='{participantId}'] .message").Select(m => m.TextContent).ToList();
        Assert.Equal(2, thread.Count);
        Assert.Contains("Jan Schröder (DE60)", thread[0], StringComparison.Ordinal);
        Assert.Contains("joint pilot", thread[0], StringComparison.Ordinal);
        Assert.Contains("Līga Bērziņa", thread[1], StringComparison.Ordinal);
        Assert.NotNull(sent.QuerySelector(".alert-success"));

        // The same delivery is never notified twice.
        var store = app.Factory.Services.GetRequiredService<INotificationStore>();
        var hamburgUser = await app.ActorAsync(PartnerApp.Hamburg);
        Assert.False(await store.AddAsync(new NotificationRecord
        {
            Id = Guid.CreateVersion7(),
            UserId = hamburgUser.UserId,
            CaseId = @case.Id,
            Kind = NotificationKinds.PartnerShortlisted,
            Title = "again",
            Body = "again",
            DeliveryKey = $"shortlisted:{participantId}:{hamburgUser.UserId}",
            CreatedAt = DateTimeOffset.UtcNow,
        }));
    }

    [Fact]
    public async Task An_empty_message_is_refused_with_a_field_error()
    {
        var @case = await app.OpenLatvianCaseAsync();
        var client = await app.SignInAsync(PartnerApp.Latvian);
        var page = await client.GetDocumentAsync(Url(@case.Id));

        var response = await client.SubmitAsync(page, Url(@case.Id), new Dictionary<string, string> { ["body"] = "  " }, "form.message-form[data-participant='']");
        var result = await HtmlForms.ParseAsync(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Write the message first.", result.QuerySelector(".message-form .field-error")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_stale_shortlist_shows_a_conflict_and_saves_nothing()
    {
        var @case = await app.OpenLatvianCaseAsync();
        var client = await app.SignInAsync(PartnerApp.Latvian);
        var page = await client.GetDocumentAsync(Url(@case.Id));
        var service = new CaseCommands(app.Factory.Services);
        // Someone else was quicker (a note would not do: notes only append and never conflict with a change).
        Assert.True((await service.ShortlistPartnerAsync(@case.Id, @case.Version, app.TimberId, await app.ActorAsync(PartnerApp.Latvian))).Succeeded);

        var response = await client.SubmitAsync(page, Url(@case.Id), new Dictionary<string, string>(), $"form.shortlist-form[data-company='{app.TimberId}']");
        var result = await HtmlForms.ParseAsync(response);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("changed by someone else", result.QuerySelector("#partners-error")!.TextContent, StringComparison.Ordinal);
        Assert.Single(result.QuerySelectorAll("#pipeline tr[data-participant]"));
    }

    [Fact]
    public async Task A_broker_of_an_unrelated_region_gets_404_for_reading_and_writing()
    {
        var @case = await app.OpenLatvianCaseAsync();
        var client = await app.SignInAsync("broker.fi19@tibs.example");

        var get = await client.GetAsync(Url(@case.Id));
        var post = await PostWithTokenAsync(client, Url(@case.Id) + "?handler=Shortlist", new() { ["version"] = "1", ["companyId"] = app.TimberId.ToString() });
        var unknown = await client.GetAsync(Url(Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task An_evaluator_sees_a_closed_case_without_write_buttons_and_is_refused_a_post()
    {
        var @case = await app.OpenLatvianCaseAsync();
        var service = new CaseCommands(app.Factory.Services);
        var latvian = await app.ActorAsync(PartnerApp.Latvian);
        var added = await service.ShortlistPartnerAsync(@case.Id, @case.Version, app.TimberId, latvian);
        Assert.True(added.Succeeded, added.Message);
        var evaluator = await app.SignInAsync("evaluator@tibs.example");
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync(Url(@case.Id))).StatusCode); // evaluators read closed cases only

        var withdrawn = await service.ApplyCaseActionAsync(@case.Id, added.Case!.Version, "withdraw", "The company gave up.", latvian, null);
        Assert.True(withdrawn.Succeeded, withdrawn.Message);
        var page = await evaluator.GetDocumentAsync(Url(@case.Id));
        var participantId = page.QuerySelector("#pipeline tr[data-participant]")!.GetAttribute("data-participant")!;
        var post = await PostWithTokenAsync(evaluator, Url(@case.Id) + "?handler=Status",
            new() { ["version"] = withdrawn.Case!.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["participantId"] = participantId, ["status"] = "interested" });
        var message = await PostWithTokenAsync(evaluator, Url(@case.Id) + "?handler=Message",
            new() { ["version"] = withdrawn.Case!.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["body"] = "hello" });

        Assert.Empty(page.QuerySelectorAll("main form[method=post]"));
        Assert.Equal("Hamburg Timber Digital", page.QuerySelector("#pipeline td")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, message.StatusCode);
    }

    /// <summary>Posts with the antiforgery token of the sign-out form in the page header (valid for every form of the user).</summary>
    private static async Task<HttpResponseMessage> PostWithTokenAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        var home = await client.GetDocumentAsync("/");
        fields["__RequestVerificationToken"] = home.QuerySelector("header form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }
}
