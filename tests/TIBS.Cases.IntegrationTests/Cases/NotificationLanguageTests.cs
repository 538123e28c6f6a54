using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Dapper;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Absences;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// Notifications and e-mails are written in the recipient's language, not the sender's (decision 0048), on each
/// database (the clock starts on 12 January 2026, 09:00 UTC): a reminder caused by English-speaking work is Latvian in
/// the Latvian broker's inbox and e-mail, with Riga times, and English for her English-speaking deputy; a digest is
/// German for a German broker, with Berlin times; a row written before templates is shown as stored.
/// </summary>
public abstract class NotificationLanguageTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly CultureInfo Latvian = Languages.FormatCulture("lv");
    private static readonly CultureInfo German = Languages.FormatCulture("de");

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed class RecordingSender : IEmailSender
    {
        public ConcurrentQueue<EmailMessage> Sent { get; } = new();

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
        {
            Sent.Enqueue(message);
            return Task.CompletedTask;
        }
    }

    private sealed class Inline(ReminderDelivery delivery) : IReminderQueue
    {
        public async Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default) => await delivery.DeliverAsync(reminderId, cancellationToken);
    }

    private NotificationMailer Mailer(CaseEnvironment env, RecordingSender sender) =>
        new(new NotificationStore(fixture.Factory), env.Users, sender, env.Time, "https://tibs.example");

    private async Task<IReadOnlyList<NotificationRecord>> InboxAsync(CaseEnvironment env, Guid userId, string requestLanguage)
    {
        using var request = CultureScope.Of(requestLanguage);
        var reader = (await env.Users.FindByIdAsync(userId))!;
        return (await env.Service.Handler<ListNotifications>().HandleAsync(new ListNotifications.Request(), reader.AsActor())).Items;
    }

    private async Task RenameAsync(Guid userId, string name)
    {
        await using var c = await fixture.Factory.OpenAsync();
        await c.ExecuteAsync("UPDATE users SET display_name = @name WHERE id = @userId", new { name, userId });
    }

    [SkippableFact]
    public async Task A_reminder_for_a_Latvian_broker_is_Latvian_in_her_inbox_and_mail_with_Riga_times_and_English_for_her_English_deputy()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var anna = env.LatvianBroker.UserId;
        var janis = (await env.UserAsync("janis.kalns@test.example", Roles.Broker, "LV008")).UserId;
        await RenameAsync(anna, "Anna Berg");
        await RenameAsync(janis, "Jānis Kalns");
        await env.Users.SetLanguageAndTimeZoneAsync(anna, "lv", null, env.Time.GetUtcNow());
        await env.Users.SetLanguageAndTimeZoneAsync(janis, "en", null, env.Time.GetUtcNow());

        // Everything that causes the reminder happens in English: the requests and the dispatcher's job.
        using (CultureScope.Of("en"))
        {
            var caseId = (await env.OpenCaseAsync()).Id;
            Assert.True((await env.CompleteTowardsAsync(caseId, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
            Assert.True((await env.CompleteTowardsAsync(caseId, "needs-assessment")).Succeeded);
            var absence = await env.Service.Handler<RecordAbsence>().HandleAsync(new RecordAbsence.Request(anna, "2026-01-15", "2026-01-20", janis), env.LatvianBroker);
            Assert.True(absence.Succeeded, absence.Message);
            env.Time.Advance(TimeSpan.FromDays(7));
            Assert.Equal(1, await new ReminderDispatcher(new ReminderStore(fixture.Factory), env.Time).DispatchAsync(new Inline(env.Service.Handler<ReminderDelivery>()), "server-a"));
        }

        var started = new DateOnly(2026, 1, 12);
        var annas = Assert.Single(await InboxAsync(env, anna, "lv"), n => n.Kind == "reminder");
        Assert.StartsWith("Atgādinājums: ", annas.Title, StringComparison.Ordinal);
        Assert.Contains($"sākās {started.ToString("d", Latvian)}", annas.Body, StringComparison.Ordinal);
        Assert.NotNull(annas.Template);

        // The same row read through an English request is English: the reader's language decides, not the stored one.
        var inEnglish = Assert.Single(await InboxAsync(env, anna, "en"), n => n.Kind == "reminder");
        Assert.StartsWith("Reminder: ", inEnglish.Title, StringComparison.Ordinal);
        Assert.Contains("started 2026-01-12", inEnglish.Body, StringComparison.Ordinal);

        var deputy = Assert.Single(await InboxAsync(env, janis, "en"), n => n.Kind == "reminder");
        Assert.StartsWith("Reminder: ", deputy.Title, StringComparison.Ordinal);
        Assert.EndsWith("(deputising for Anna Berg, absent until 20 January 2026)", deputy.Title, StringComparison.Ordinal);
        Assert.StartsWith("You are deputising for Anna Berg, absent until 20 January 2026. ", deputy.Body, StringComparison.Ordinal);

        // The deputy's row read in Latvian names the absence in Latvian, the date in words as Latvian writes it.
        var deputyInLatvian = Assert.Single(await InboxAsync(env, janis, "lv"), n => n.Kind == "reminder");
        Assert.StartsWith("Atgādinājums: ", deputyInLatvian.Title, StringComparison.Ordinal);
        Assert.Contains("(aizvietojat Anna Berg, prombūtnē līdz ", deputyInLatvian.Title, StringComparison.Ordinal);
        Assert.DoesNotContain("deputising", deputyInLatvian.Body, StringComparison.Ordinal);

        // The mails are written by an English job, each in its recipient's language, times in Riga's zone (11:00, not 09:00 UTC).
        var sender = new RecordingSender();
        using (CultureScope.Of("en"))
        {
            Assert.True(await Mailer(env, sender).SendAsync(annas.Id));
            Assert.True(await Mailer(env, sender).SendAsync(deputy.Id));
            Assert.False(await Mailer(env, sender).SendAsync(annas.Id)); // once
        }

        var sent = sender.Sent.ToList();
        Assert.Equal(2, sent.Count);
        var toAnna = sent.Single(m => m.To == "broker.lv008@test.example");
        Assert.StartsWith("Atgādinājums: ", toAnna.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Labdien, Anna Berg!", toAnna.TextBody, StringComparison.Ordinal);
        Assert.Contains($"{new DateTime(2026, 1, 19, 11, 0, 0).ToString("g", Latvian)} (Europe/Riga)", toAnna.TextBody, StringComparison.Ordinal);
        Assert.Contains("Lūdzu, atveriet lietu ", toAnna.TextBody, StringComparison.Ordinal);
        Assert.Contains("Ar cieņu", toAnna.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Hello", toAnna.TextBody, StringComparison.Ordinal);

        var toJanis = sent.Single(m => m.To == "janis.kalns@test.example");
        Assert.StartsWith("Reminder: ", toJanis.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Hello Jānis Kalns,", toJanis.TextBody, StringComparison.Ordinal);
        Assert.Contains("2026-01-19 11:00 (Europe/Riga)", toJanis.TextBody, StringComparison.Ordinal);
        Assert.Contains("(deputising for Anna Berg, absent until 20 January 2026)", toJanis.Subject, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_digest_is_German_with_Berlin_times_for_a_German_broker_and_an_old_row_shows_as_stored()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var hans = env.GermanBroker.UserId;
        await RenameAsync(hans, "Hans Vogt");
        await env.Users.SetLanguageAndTimeZoneAsync(hans, "de", null, env.Time.GetUtcNow());
        await env.Users.SetEmailDigestAsync(hans, true, env.Time.GetUtcNow());
        var store = new NotificationStore(fixture.Factory);
        var now = env.Time.GetUtcNow();
        var text = new NotificationTemplate(
            TextTemplate.Of("Due today: {0} — '{1}'", TemplateArg.Text("DE60-2026-0001"), TemplateArg.Step("Needs assessment")),
            TextTemplate.Of(
                "The verification of every audit trail started {0} checked {1} and found {2}:{3}",
                TemplateArg.Time(new DateTimeOffset(2026, 1, 12, 6, 30, 0, TimeSpan.Zero)),
                TemplateArg.Of(TextTemplate.Of("{0} cases", TemplateArg.Number(1250))),
                TemplateArg.Of(TextTemplate.Of("1 problem")),
                TemplateArg.Lines([TemplateArg.Of(TextTemplate.Of("See Audit verification for the full list."))])));
        Assert.True(await store.AddAsync(text.ApplyTo(new NotificationRecord
        {
            Id = Guid.CreateVersion7(),
            UserId = hans,
            Kind = "due",
            Title = "",
            Body = "",
            DeliveryKey = "test:templated",
            CreatedAt = now.AddMinutes(-5),
            EmailDueAt = now.AddMinutes(-5),
        })));
        Assert.True(await store.AddAsync(new NotificationRecord
        {
            Id = Guid.CreateVersion7(),
            UserId = hans,
            Kind = "test",
            Title = "Written before notifications had templates",
            Body = "Stored in English.",
            DeliveryKey = "test:old",
            CreatedAt = now.AddMinutes(-10),
            EmailDueAt = now.AddMinutes(-10),
        }));

        // What is stored for search and older readers is English, in UTC.
        var stored = Assert.Single(await store.ListForUserAsync(hans, false, 10), n => n.Kind == "due");
        Assert.Equal("Due today: DE60-2026-0001 — 'Needs assessment'", stored.Title);
        Assert.StartsWith("The verification of every audit trail started 2026-01-12 06:30 UTC checked 1,250 cases and found 1 problem:\nSee Audit verification", stored.Body, StringComparison.Ordinal);

        // The inbox in German: the template rendered, the old row as stored.
        var inbox = await InboxAsync(env, hans, "de");
        var due = Assert.Single(inbox, n => n.Kind == "due");
        Assert.Equal("Heute fällig: DE60-2026-0001 — „Needs assessment“", due.Title);
        Assert.StartsWith($"Die Kontrolle aller Prüfpfade, begonnen am {new DateTime(2026, 1, 12, 7, 30, 0).ToString("g", German)}, hat 1.250 Fälle geprüft und 1 Problem gefunden:", due.Body, StringComparison.Ordinal);
        var old = Assert.Single(inbox, n => n.Kind == "test");
        Assert.Equal("Written before notifications had templates", old.Title);
        Assert.Equal("Stored in English.", old.Body);

        var sender = new RecordingSender();
        using (CultureScope.Of("lv"))
        {
            Assert.Equal(1, await Mailer(env, sender).SendDigestsAsync());
        }

        var digest = Assert.Single(sender.Sent);
        Assert.Equal("Ihre TIBS.Cases-Zusammenfassung: 2 Benachrichtigungen", digest.Subject);
        Assert.StartsWith("Guten Tag Hans Vogt,", digest.TextBody, StringComparison.Ordinal);
        Assert.Contains("Ihre tägliche Zusammenfassung: 2 neue Benachrichtigungen in TIBS.Cases, die neueste zuerst.", digest.TextBody, StringComparison.Ordinal);
        Assert.Contains("Heute fällig: DE60-2026-0001 — „Needs assessment“", digest.TextBody, StringComparison.Ordinal);
        Assert.Contains($"{new DateTime(2026, 1, 12, 9, 55, 0).ToString("g", German)} (Europe/Berlin)", digest.TextBody, StringComparison.Ordinal);
        Assert.Contains("Written before notifications had templates", digest.TextBody, StringComparison.Ordinal);
        Assert.Contains("Mit freundlichen Grüßen", digest.TextBody, StringComparison.Ordinal);
        Assert.True(digest.TextBody.IndexOf("Heute fällig", StringComparison.Ordinal) < digest.TextBody.IndexOf("Written before", StringComparison.Ordinal));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteNotificationLanguageTests(SqliteFixture fixture) : NotificationLanguageTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresNotificationLanguageTests(PostgresFixture fixture) : NotificationLanguageTests(fixture);

/// <summary>Every notification template the code writes is a message of Core's resources (and so translated into every language).</summary>
public sealed partial class NotificationTemplateKeyTests
{
    [Fact]
    public void Every_literal_template_key_is_in_the_English_messages()
    {
        var root = RepositoryRoot();
        var keys = XDocument.Load(Path.Combine(root, "src/TIBS.Cases.Core/Localization/Messages.resx")).Root!.Elements("data")
            .Select(e => e.Attribute("name")!.Value).ToHashSet(StringComparer.Ordinal);
        var used = Directory.EnumerateFiles(Path.Combine(root, "src/TIBS.Cases.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => TemplateKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups["key"].Value.Replace("\\\"", "\"", StringComparison.Ordinal))))
            .ToList();
        Assert.True(used.Count >= 30, $"only {used.Count} template keys were found");
        var missing = used.Where(u => !keys.Contains(u.Key)).Select(u => $"{u.File}: \"{u.Key}\"").ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} template keys are not in Messages.resx:\n{string.Join("\n", missing)}");
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(root, "src/TIBS.Cases.Core"), "*.cs", SearchOption.AllDirectories), f => BuiltKey().IsMatch(File.ReadAllText(f)));
    }

    [GeneratedRegex(@"\bTextTemplate\.Of\(\s*""(?<key>(?:[^""\\]|\\.)*)""")]
    private static partial Regex TemplateKey();

    [GeneratedRegex(@"\bTextTemplate\.Of\(\s*(?:\$|@)""")]
    private static partial Regex BuiltKey();
}
