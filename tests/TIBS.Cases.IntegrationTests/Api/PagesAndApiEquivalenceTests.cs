using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.IntegrationTests.Web;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>
/// The pages and the API give the same answers for the same request: one scenario (open a case for a company, complete
/// its first steps with the same values, shortlist a partner, add a note) driven once through the Razor pages (signed
/// in, forms with their antiforgery token) and once through <c>/api/v1</c> on a fresh database each, and the rows it
/// left compared — case, steps, audit events, participants, notes, reminders and notifications — with ids named by
/// what they are and times given as durations.
/// </summary>
public abstract partial class PagesAndApiEquivalenceTests(DatabaseFixture fixture)
{
    private const string Broker = "broker.lv008@tibs.example";
    private const string Lead = "Vidzeme Wood Solutions";
    private const string Partner = "Hamburg Maritime Analytics";
    private const string Note = "Met the CEO at the Valmiera fair; the partner search starts in Hamburg.";

    /// <summary>The steps the scenario completes, each towards the step it leads to, with the values that differ from the filled defaults.</summary>
    private static readonly (string Target, (string Key, string Value)[] Overrides)[] Steps =
    [
        ("first-contact", [("contact-data-consent", "yes")]),
        ("needs-assessment", []),
        ("internationalisation-readiness", []),
    ];

    private interface IDoor
    {
        Task<Guid> OpenAsync(Guid companyId);

        Task CompleteAsync(Guid caseId, string outcome, IReadOnlyDictionary<string, List<string>> values);

        Task ShortlistAsync(Guid caseId, Guid companyId);

        Task AddNoteAsync(Guid caseId, string body);
    }

    [SkippableFact]
    public async Task The_same_scenario_through_the_pages_and_through_the_api_leaves_the_same_rows()
    {
        fixture.EnsureAvailable();
        var pages = await RunAsync(async factory => new PagesDoor(await CaseForms.SignedInAsync(factory, Broker)));
        var api = await RunAsync(async factory => new ApiDoor(factory.ApiClient(await factory.TokenAsync(Broker))));

        Assert.Contains(pages, l => l.StartsWith("step internationalisation-readiness", StringComparison.Ordinal));
        Assert.Contains(pages, l => l.StartsWith("participant Hamburg Maritime Analytics partner shortlisted", StringComparison.Ordinal));
        Assert.Contains(pages, l => l.StartsWith("note " + Note, StringComparison.Ordinal));
        Assert.Contains(pages, l => l.StartsWith("reminder ", StringComparison.Ordinal));
        Assert.Equal(pages, api);
    }

    /// <summary>Runs the scenario through a door on a fresh database with the demo data, and returns the rows it left.</summary>
    private async Task<IReadOnlyList<string>> RunAsync(Func<TibsWebFactory, Task<IDoor>> doorOf)
    {
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var door = await doorOf(factory);
        var companies = factory.Services.GetRequiredService<ICompanyStore>();
        async Task<Guid> CompanyAsync(string name) => (await companies.SearchAsync(new CompanySearch { Text = name })).Items.Single(c => c.Name == name).Id;
        var lead = await CompanyAsync(Lead);
        var (_, plan) = await factory.Services.GetRequiredService<WorkflowCatalog>().GetPublishedAsync(OpenCase.DefaultDefinitionKey);

        var id = await door.OpenAsync(lead);
        var step = plan.GetStep("intake");
        foreach (var (target, overrides) in Steps)
        {
            var values = FormFiller.Fill(step.Fields, lead, overrides.ToDictionary(o => o.Key, o => o.Value)).Strings
                .ToDictionary(p => p.Key, p => p.Value.ToList(), StringComparer.Ordinal);
            await door.CompleteAsync(id, step.Outcomes.First(o => o.Target == target).Key, values);
            step = plan.GetStep(target);
        }

        await door.ShortlistAsync(id, await CompanyAsync(Partner));
        await door.AddNoteAsync(id, Note);
        return await RowsAsync(id);
    }

    /// <summary>The rows of the case, one line each, in a stable order: ids as names, times as durations or left out.</summary>
    private async Task<IReadOnlyList<string>> RowsAsync(Guid caseId)
    {
        await using var c = await fixture.Factory.OpenAsync();
        var users = (await c.QueryAsync<IdName>("SELECT id AS Id, email AS Name FROM users")).ToDictionary(u => u.Id, u => u.Name);
        var companies = (await c.QueryAsync<IdName>("SELECT id AS Id, name AS Name FROM companies")).ToDictionary(u => u.Id, u => u.Name);
        var names = new Names(users, companies);
        names.Add(caseId, "the-case");
        var p = new { caseId };
        var lines = new List<string>();

        var theCase = await c.QuerySingleAsync<CaseRow>(
            "SELECT reference AS Reference, title AS Title, status AS Status, current_stage AS Stage, current_step AS Step, data AS Data, version AS Version, audit_count AS AuditCount, owner_user_id AS Owner, lead_company_id AS LeadCompany FROM cases WHERE id = @caseId", p);
        lines.Add($"case {theCase.Reference} '{theCase.Title}' {theCase.Status} {theCase.Stage}/{theCase.Step} v{theCase.Version} events={theCase.AuditCount} owner={names.Of(theCase.Owner)} lead={names.Of(theCase.LeadCompany)} data={names.Json(theCase.Data)}");

        var steps = await c.QueryAsync<StepRow>(
            "SELECT id AS Id, step_key AS StepKey, stage_key AS StageKey, started_at AS StartedAt, due_at AS DueAt, completed_at AS CompletedAt, completed_by AS CompletedBy, outcome AS Outcome, form_data AS FormData FROM case_steps WHERE case_id = @caseId", p);
        foreach (var s in steps.OrderBy(s => s.StartedAt).ThenBy(s => s.CompletedAt is null))
        {
            names.Add(s.Id, "step:" + s.StepKey);
            lines.Add($"step {s.StepKey} in {s.StageKey} due={Duration(s.StartedAt, s.DueAt)} done={s.CompletedAt is not null} by={names.Of(s.CompletedBy)} outcome={s.Outcome} form={names.Json(s.FormData)}");
        }

        var participants = await c.QueryAsync<ParticipantRow>(
            "SELECT id AS Id, company_id AS Company, region_code AS Region, role AS Role, pipeline_status AS Status, match_score AS Score, added_by AS AddedBy FROM case_participants WHERE case_id = @caseId", p);
        foreach (var x in participants.OrderBy(x => names.Of(x.Company), StringComparer.Ordinal))
        {
            names.Add(x.Id, "participant:" + names.Of(x.Company));
            lines.Add($"participant {names.Of(x.Company)} {x.Role} {x.Status} {x.Region} score={x.Score?.ToString("0.####", CultureInfo.InvariantCulture)} by={names.Of(x.AddedBy)}");
        }

        var events = await c.QueryAsync<EventRow>(
            "SELECT seq AS Seq, actor_user_id AS Actor, kind AS Kind, step_key AS StepKey, data AS Data FROM case_events WHERE case_id = @caseId ORDER BY seq", p);
        lines.AddRange(events.Select(e => $"event {e.Seq} {e.Kind} {e.StepKey} by={names.Of(e.Actor)} data={names.Json(e.Data)}"));

        var notes = await c.QueryAsync<NoteRow>("SELECT author_user_id AS Author, body AS Body FROM case_notes WHERE case_id = @caseId ORDER BY created_at", p);
        lines.AddRange(notes.Select(n => $"note {n.Body} by={names.Of(n.Author)}"));

        var reminders = await c.QueryAsync<ReminderRow>(
            "SELECT step_key AS StepKey, kind AS Kind, recipient_role AS Recipient, status AS Status, due_at AS DueAt, created_at AS CreatedAt, notice_key AS NoticeKey, description AS Description FROM reminders WHERE case_id = @caseId", p);
        lines.AddRange(reminders
            .Select(r => $"reminder {r.StepKey} {r.Kind} to={r.Recipient} {r.Status} after={Duration(r.CreatedAt, r.DueAt)} notice={r.NoticeKey} {names.Json(r.Description)}")
            .Order(StringComparer.Ordinal));

        var notifications = await c.QueryAsync<NotificationRow>(
            "SELECT user_id AS \"User\", kind AS Kind, title AS Title, body AS Body FROM notifications WHERE case_id = @caseId", p);
        lines.AddRange(notifications.Select(n => $"notification to={names.Of(n.User)} {n.Kind} {names.Json(n.Title)} {names.Json(n.Body)}").Order(StringComparer.Ordinal));
        return lines;
    }

    private static string Duration(DateTimeOffset from, DateTimeOffset? to) =>
        to is { } t ? Math.Round((t - from).TotalHours, 1).ToString(CultureInfo.InvariantCulture) + "h" : "none";

    /// <summary>Ids by what they are (a user's e-mail, a company's name, a step), others numbered in order of appearance; times and hashes masked.</summary>
    private sealed partial class Names(IReadOnlyDictionary<Guid, string> users, IReadOnlyDictionary<Guid, string> companies)
    {
        private readonly Dictionary<Guid, string> known = [];

        public void Add(Guid id, string name) => known[id] = name;

        public string Of(Guid? id) => id is not { } g ? "nobody"
            : users.TryGetValue(g, out var user) ? user
            : companies.TryGetValue(g, out var company) ? company
            : known.TryGetValue(g, out var name) ? name
            : known[g] = "id#" + known.Count.ToString(CultureInfo.InvariantCulture);

        public string Json(string? text)
        {
            if (text is null)
            {
                return "null";
            }

            var named = GuidPattern().Replace(text, m => Of(Guid.Parse(m.Value)));
            return HashPattern().Replace(TimePattern().Replace(named, "<time>"), "<hash>");
        }

        [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
        private static partial Regex GuidPattern();

        [GeneratedRegex(@"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")]
        private static partial Regex TimePattern();

        [GeneratedRegex("\\b[0-9a-f]{64}\\b")]
        private static partial Regex HashPattern();
    }

    private sealed class IdName
    {
        public Guid Id { get; set; }
        public string Name { get; set; } = "";
    }

    private sealed class CaseRow
    {
        public string Reference { get; set; } = "";
        public string Title { get; set; } = "";
        public string Status { get; set; } = "";
        public string? Stage { get; set; }
        public string Step { get; set; } = "";
        public string Data { get; set; } = "";
        public int Version { get; set; }
        public int AuditCount { get; set; }
        public Guid Owner { get; set; }
        public Guid LeadCompany { get; set; }
    }

    private sealed class StepRow
    {
        public Guid Id { get; set; }
        public string StepKey { get; set; } = "";
        public string? StageKey { get; set; }
        public DateTimeOffset StartedAt { get; set; }
        public DateTimeOffset? DueAt { get; set; }
        public DateTimeOffset? CompletedAt { get; set; }
        public Guid? CompletedBy { get; set; }
        public string? Outcome { get; set; }
        public string? FormData { get; set; }
    }

    private sealed class ParticipantRow
    {
        public Guid Id { get; set; }
        public Guid Company { get; set; }
        public string Region { get; set; } = "";
        public string Role { get; set; } = "";
        public string Status { get; set; } = "";
        public decimal? Score { get; set; }
        public Guid? AddedBy { get; set; }
    }

    private sealed class EventRow
    {
        public int Seq { get; set; }
        public Guid? Actor { get; set; }
        public string Kind { get; set; } = "";
        public string? StepKey { get; set; }
        public string Data { get; set; } = "";
    }

    private sealed class NoteRow
    {
        public Guid Author { get; set; }
        public string Body { get; set; } = "";
    }

    private sealed class ReminderRow
    {
        public string StepKey { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Recipient { get; set; } = "";
        public string Status { get; set; } = "";
        public DateTimeOffset DueAt { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public string? NoticeKey { get; set; }
        public string? Description { get; set; }
    }

    private sealed class NotificationRow
    {
        public Guid User { get; set; }
        public string Kind { get; set; } = "";
        public string Title { get; set; } = "";
        public string Body { get; set; } = "";
    }

    /// <summary>The case pages as a browser uses them: the new-case form, the step form, the partner search's shortlist button, the note form.</summary>
    private sealed class PagesDoor(HttpClient browser) : IDoor
    {
        public async Task<Guid> OpenAsync(Guid companyId)
        {
            var form = await browser.GetDocumentAsync("/cases/new");
            var response = await browser.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = companyId.ToString(), ["title"] = "" });
            return Guid.Parse(response.RequestMessage!.RequestUri!.AbsolutePath["/cases/".Length..]);
        }

        public async Task CompleteAsync(Guid caseId, string outcome, IReadOnlyDictionary<string, List<string>> values)
        {
            var page = await browser.GetDocumentAsync($"/cases/{caseId}");
            var response = await CaseForms.PostAsync(browser, page, "#step-form", values.ToDictionary(v => v.Key, v => v.Value.ToArray()), ("outcome", outcome));
            Assert.Equal($"/cases/{caseId}", response.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.Null((await HtmlForms.ParseAsync(response)).QuerySelector(".alert-danger"));
        }

        public async Task ShortlistAsync(Guid caseId, Guid companyId)
        {
            var page = await browser.GetDocumentAsync($"/cases/{caseId}/partners?country=DE");
            var response = await browser.SubmitAsync(page, $"/cases/{caseId}/partners?handler=Shortlist", new Dictionary<string, string>(), $".shortlist-form[data-company='{companyId}']");
            Assert.Null((await HtmlForms.ParseAsync(response)).QuerySelector(".alert-danger"));
        }

        public async Task AddNoteAsync(Guid caseId, string body)
        {
            var page = await browser.GetDocumentAsync($"/cases/{caseId}");
            var response = await CaseForms.PostAsync(browser, page, "form[action$='handler=Note']", CaseForms.Values(("body", body)));
            Assert.Null((await HtmlForms.ParseAsync(response)).QuerySelector(".alert-danger"));
        }
    }

    /// <summary>The same requests through /api/v1 with a personal access token, ETag and If-Match.</summary>
    private sealed class ApiDoor(HttpClient client) : IDoor
    {
        private string etag = "";

        public async Task<Guid> OpenAsync(Guid companyId)
        {
            var opened = await client.PostAsync("/api/v1/cases", ApiClients.Json(new { leadCompanyId = companyId }));
            etag = opened.Headers.ETag!.Tag;
            return (await opened.JsonAsync(201)).GetProperty("case").GetProperty("id").GetGuid();
        }

        public Task CompleteAsync(Guid caseId, string outcome, IReadOnlyDictionary<string, List<string>> values) =>
            SendAsync($"/api/v1/cases/{caseId}/steps/current/complete", new
            {
                outcome,
                values = values.ToDictionary(v => v.Key, v => v.Value.Count == 1 ? (object)v.Value[0] : v.Value, StringComparer.Ordinal),
            });

        public Task ShortlistAsync(Guid caseId, Guid companyId) => SendAsync($"/api/v1/cases/{caseId}/partners", new { companyId });

        public Task AddNoteAsync(Guid caseId, string body) => SendAsync($"/api/v1/cases/{caseId}/notes", new { body });

        private async Task SendAsync(string url, object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = ApiClients.Json(body) };
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            var response = await client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            etag = response.Headers.ETag!.Tag;
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePagesAndApiEquivalenceTests(SqliteFixture fixture) : PagesAndApiEquivalenceTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPagesAndApiEquivalenceTests(PostgresFixture fixture) : PagesAndApiEquivalenceTests(fixture);
