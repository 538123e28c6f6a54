using System.IO.Compression;
using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Events;
using TIBS.Cases.Core.PersonalData;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Api;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.PersonalData;

/// <summary>
/// Erasing a company's contact person (decision 0043) through the administrators' pages: the case's timeline, notes and
/// company page show "Erased on …"; a scan of every text column of every table (read from the database catalogue now,
/// so a column added later is scanned too) and of the attachment store's names finds none of the erased values; every
/// chain still verifies; the events feed publishes the erasure by reference. And a user's export holds every row the
/// scan finds about them.
/// </summary>
public abstract class ContactErasureTests(DatabaseFixture fixture)
{
    private const string Broker = "broker.lv008@tibs.example";
    private const string Admin = "admin@tibs.example";

    private sealed record Scenario(TibsWebFactory Factory, HttpClient Broker, string CaseUrl, Guid CaseId, Guid CompanyId, Guid ContactId, string[] Values);

    private async Task<Scenario> MarkedNoteAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var factory = TibsWebFactory.For(fixture);
        var client = await SignedInAsync(factory, Broker);
        var form = await client.GetDocumentAsync("/cases/new");
        var company = form.QuerySelectorAll("#company option").First(o => o.TextContent == "Vidzeme Wood Solutions").GetAttribute("value")!;
        var opened = await client.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = company, ["title"] = "" });
        var url = opened.RequestMessage!.RequestUri!.AbsolutePath;
        var user = await factory.UserAsync(Broker);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var digits = Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] values = [$"Zelma Kalnciema {tag}", $"zelma.{tag}@example.org", $"+371 2{digits}", $"Chief innovation scout {tag}"];
        var added = await factory.Services.GetRequiredService<AddContact>().HandleAsync(new AddContact.Request(Guid.Parse(company),
            new ContactFields { Name = values[0], Email = values[1], Phone = values[2], Role = values[3], ConsentDate = "2026-01-15", ConsentPurpose = "Partner search", ConsentLegalBasis = LegalBases.Consent }), user.AsActor());
        Assert.True(added.Succeeded, added.Message);
        var page = await client.GetDocumentAsync(url);
        var box = page.QuerySelector($"#pd-{added.ContactId}");
        Assert.NotNull(box);
        var note = $"Called {values[0]} ({values[1]}): she wants the offer by Friday.";
        var posted = await PostAsync(client, page, "form[action$='handler=Note']", Values(("body", note), ("personalDataOf", added.ContactId!.Value.ToString())));
        Assert.True(posted.IsSuccessStatusCode || posted.StatusCode == HttpStatusCode.Redirect, posted.StatusCode.ToString());
        var after = await client.GetDocumentAsync(url);
        Assert.Contains(note, after.QuerySelector("#timeline")!.TextContent, StringComparison.Ordinal);
        return new Scenario(factory, client, url, Guid.Parse(url[7..]), Guid.Parse(company), added.ContactId!.Value, [.. values, note]);
    }

    [SkippableFact]
    public async Task An_administrator_erases_a_contact_person_and_no_table_holds_the_data_while_every_chain_verifies()
    {
        var s = await MarkedNoteAsync();
        using var owned = s.Factory;
        var before = await ScanAsync(s.Values);
        Assert.Contains(before, r => r.Table == "company_contacts");
        Assert.Contains(before, r => r.Table == "personal_data");
        Assert.DoesNotContain(before, r => r.Table == "case_events");

        var admin = await SignedInAsync(s.Factory, Admin);
        var found = await admin.GetDocumentAsync("/admin/personal-data?q=" + Uri.EscapeDataString(s.Values[0]));
        var eraseUrl = found.QuerySelectorAll("#contacts a").First(a => a.TextContent == "Erase…").GetAttribute("href")!;
        var erasePage = await admin.GetDocumentAsync(eraseUrl);
        var will = erasePage.QuerySelector("#will-erase")!.TextContent;
        Assert.Contains($"name ({s.Values[0]})", will, StringComparison.Ordinal);
        Assert.Contains("The text of 1 case note marked as containing their personal data.", will, StringComparison.Ordinal);
        var empty = await admin.SubmitAsync(erasePage, eraseUrl, new Dictionary<string, string> { ["Reason"] = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Contains("Write the reason for the erasure", (await HtmlForms.ParseAsync(empty)).QuerySelector("#reason-error")!.TextContent, StringComparison.Ordinal);
        var naming = await admin.SubmitAsync(erasePage, eraseUrl, new Dictionary<string, string> { ["Reason"] = $"{s.Values[0]} asked us" });
        Assert.Contains("which is personal data being erased", (await HtmlForms.ParseAsync(naming)).QuerySelector("#reason-error")!.TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(await ScanAsync(s.Values));

        var dayBefore = DateTimeOffset.UtcNow;
        var done = await HtmlForms.ParseAsync(await admin.SubmitAsync(erasePage, eraseUrl, new Dictionary<string, string> { ["Reason"] = "The person asked to be erased on 2026-12-01." }));
        var dayAfter = DateTimeOffset.UtcNow;

        var summary = done.QuerySelector("#erasure-summary")!.TextContent;
        Assert.Contains("1 value in the personal-data vault, 1 case note", summary, StringComparison.Ordinal);
        Assert.Contains("recorded, without the data, in the audit trail of 1 case", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Not erased", summary, StringComparison.Ordinal);
        Assert.Empty(await ScanAsync(s.Values));
        Assert.Empty(AttachmentNames(s.Factory, s.Values));

        var caseStore = s.Factory.Services.GetRequiredService<ICaseStore>();
        await using (var c = await fixture.Factory.OpenAsync())
        {
            foreach (var caseId in await c.QueryAsync<Guid>("SELECT id FROM cases"))
            {
                Assert.Null(AuditEvidence.CheckChain(caseId, await caseStore.GetAsync(caseId), await caseStore.GetEventsAsync(caseId)));
            }
        }

        var page = await s.Broker.GetDocumentAsync(s.CaseUrl);
        var timeline = page.QuerySelector("#timeline")!;
        Assert.Contains("Personal data erased", timeline.QuerySelectorAll("li").First().TextContent, StringComparison.Ordinal);
        Assert.Contains("Reason: The person asked to be erased on 2026-12-01.", timeline.TextContent, StringComparison.Ordinal);
        // The erasure's day (the one on which it was submitted, or the next when the request crossed midnight UTC).
        var erasedOn = new[] { dayBefore, dayAfter }.Select(d => "Erased on " + d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToArray();
        void AssertErasedOn(string text) =>
            Assert.True(erasedOn.Any(e => text.Contains(e, StringComparison.Ordinal)), $"Expected \"{erasedOn[0]}\" in: {text}");
        AssertErasedOn(timeline.QuerySelectorAll("li").First(li => li.TextContent.Contains("Note", StringComparison.Ordinal)).TextContent);
        AssertErasedOn(page.QuerySelector("#notes-heading")!.ParentElement!.TextContent);
        Assert.All(s.Values, v => Assert.DoesNotContain(v, page.Body!.TextContent, StringComparison.Ordinal));

        // Every page states the same day, the erasure's day in UTC (the one written into what it overwrote), whatever the
        // reader's time zone: here one where, at this hour, the day is not the UTC day.
        var far = DateTimeOffset.UtcNow.Hour >= 12 ? "Pacific/Kiritimati" : "Etc/GMT+12";
        await s.Broker.SubmitAsync(await s.Broker.GetDocumentAsync("/account/preferences"), "/account/preferences",
            new Dictionary<string, string> { ["EmailDelivery"] = "single", ["Language"] = "", ["TimeZone"] = far }, "#preferences-form");
        var notes = (await s.Broker.GetDocumentAsync(s.CaseUrl)).QuerySelector("#notes-heading")!.ParentElement!;
        var written = notes.QuerySelector("time")!;
        Assert.NotEqual(written.GetAttribute("datetime")![..10], DateTime.Parse(written.TextContent, System.Globalization.CultureInfo.InvariantCulture).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var noteDay = System.Text.RegularExpressions.Regex.Match(notes.TextContent, @"Erased on (\d{4}-\d{2}-\d{2})").Groups[1].Value;
        AssertErasedOn("Erased on " + noteDay);
        var erasedContacts = (await s.Broker.GetDocumentAsync($"/companies/{s.CompanyId}")).QuerySelector("#erased-contacts")!.TextContent;
        Assert.Contains("erased on " + noteDay + " ", erasedContacts, StringComparison.Ordinal);

        // On PostgreSQL the feed holds events back while an older transaction of the server is open: follow it.
        var feed = new Events.FeedFollower(s.Factory.Services.GetRequiredService<ReadEventFeed>(), (await s.Factory.UserAsync(Broker)).AsActor(), 500);
        await feed.CatchUpAsync(received => received.Any(e => e.Kind == "personal-data-erased"));
        var erasure = Assert.Single(feed.Received, e => e.Kind == "personal-data-erased");
        Assert.Contains($"\"subject\":\"contact:{s.ContactId:D}\"", erasure.Data, StringComparison.Ordinal);
        Assert.All(feed.Received, e => Assert.All(s.Values, v => Assert.DoesNotContain(v, e.Data, StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task A_name_typed_in_an_unmarked_note_is_overwritten_in_the_note_and_reported_where_the_chain_holds_it()
    {
        var s = await MarkedNoteAsync();
        using var owned = s.Factory;
        var broker = (await s.Factory.UserAsync(Broker)).AsActor();
        Assert.True((await s.Factory.Services.GetRequiredService<AddNote>().HandleAsync(new AddNote.Request(s.CaseId, $"Unmarked: {s.Values[0]} phoned back."), broker)).Succeeded);
        var reference = (await s.Factory.Services.GetRequiredService<ICaseStore>().GetAsync(s.CaseId))!.Reference;

        var result = await s.Factory.Services.GetRequiredService<EraseContactPerson>().HandleAsync(
            new EraseContactPerson.Request(s.CompanyId, s.ContactId, "Retention period ended."), TIBS.Cases.Core.Cases.Actor.System);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal([new PlaintextPlace(reference, 1)], result.Outcome!.Remaining);
        Assert.Contains($"Not erased: 1 audit event of case {reference} hold these values as text", string.Join("\n", result.Summary), StringComparison.Ordinal);
        var left = await ScanAsync(s.Values);
        Assert.All(left, hit => Assert.Equal("case_events", hit.Table));
        Assert.Single(left);
        var notes = (await s.Broker.GetDocumentAsync(s.CaseUrl)).QuerySelector("#notes-heading")!.ParentElement!.TextContent;
        Assert.Contains("Unmarked: Erased on ", notes, StringComparison.Ordinal);
        var record = (await s.Factory.Services.GetRequiredService<ICaseStore>().GetEventsAsync(s.CaseId)).Last();
        Assert.Equal("personal-data-erased", record.Kind);
        Assert.Null(record.ActorUserId);
        Assert.Contains("\"plaintextEvents\":1", record.Data, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_users_export_holds_every_row_the_scan_finds_about_them()
    {
        var s = await MarkedNoteAsync();
        using var owned = s.Factory;
        var user = await s.Factory.UserAsync(Broker);
        string[] values = [user.Email, user.DisplayName];
        var scanned = await ScanAsync(values);
        Assert.Contains(scanned, r => r.Table == "users");

        var items = await s.Factory.Services.GetRequiredService<ExportPersonalData>().ItemsAsync(new ExportPersonalData.Request(PersonalSubjectKinds.User, user.Id));

        Assert.NotNull(items);
        foreach (var row in scanned.Where(r => r.Table != "personal_data"))
        {
            Assert.Contains(items, i => i.Source.StartsWith(row.Table, StringComparison.Ordinal) && row.Values.All(v => i.Values.Values.Contains(v)));
        }

        Assert.Contains(items, i => i.Category == "audit-trail" && i.Values["kind"] == "note-added");
        var admin = await SignedInAsync(s.Factory, Admin);
        var userPage = await admin.GetDocumentAsync($"/admin/users/{user.Id}");
        var zip = await admin.GetAsync(userPage.QuerySelector("#export-personal-data")!.GetAttribute("href")!);
        Assert.Equal("application/zip", zip.Content.Headers.ContentType!.MediaType);
        using var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync());
        Assert.Contains(archive.Entries, e => e.FullName == "account.json");
        Assert.Contains(archive.Entries, e => e.FullName == "account.csv");
        using var reader = new StreamReader(archive.GetEntry("account.json")!.Open());
        Assert.Contains(user.Email, await reader.ReadToEndAsync(), StringComparison.Ordinal);
        var own = await s.Broker.GetAsync((await s.Broker.GetDocumentAsync("/account/profile")).QuerySelector("#my-data")!.GetAttribute("href")!);
        using (var mine = new ZipArchive(await own.Content.ReadAsStreamAsync()))
        {
            Assert.Equal(archive.Entries.Select(e => e.FullName).Order(), mine.Entries.Select(e => e.FullName).Order());
        }

        var refused = await s.Broker.GetAsync($"/admin/personal-data?handler=Export&kind=user&id={user.Id}");
        Assert.Contains("/account/access-denied", refused.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
    }

    private sealed record Hit(string Table, string Column, IReadOnlyList<string> Values);

    /// <summary>Every row of every table with a text column holding one of <paramref name="values"/>: tables and columns from the catalogue, now.</summary>
    private async Task<List<Hit>> ScanAsync(IReadOnlyList<string> values)
    {
        await using var c = await fixture.Factory.OpenAsync();
        var columns = fixture.Provider == DatabaseProvider.Sqlite
            ? await c.QueryAsync<(string, string)>("SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND (upper(p.type) LIKE '%TEXT%' OR upper(p.type) LIKE '%CHAR%')")
            : await c.QueryAsync<(string, string)>("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')");
        var hits = new List<Hit>();
        foreach (var (table, column) in columns)
        {
            var rows = await c.QueryAsync<string?>($"SELECT CAST(\"{column}\" AS TEXT) FROM \"{table}\"");
            foreach (var text in rows.Where(t => t is not null && values.Any(v => t.Contains(v, StringComparison.Ordinal))))
            {
                hits.Add(new Hit(table, column, [text!]));
            }
        }

        Assert.Contains(columns, col => col.Item1 == "case_events");
        return hits;
    }

    private static List<string> AttachmentNames(TibsWebFactory factory, IReadOnlyList<string> values)
    {
        var root = ((FileSystemAttachmentStorage)factory.Services.GetRequiredService<IAttachmentStorage>()).Root;
        return !Directory.Exists(root) ? [] : [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Where(p => values.Any(v => p.Contains(v, StringComparison.Ordinal)))];
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteContactErasureTests(SqliteFixture fixture) : ContactErasureTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresContactErasureTests(PostgresFixture fixture) : ContactErasureTests(fixture);
