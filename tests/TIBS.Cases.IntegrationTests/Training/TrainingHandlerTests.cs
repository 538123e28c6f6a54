using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Core.Training;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Training;

/// <summary>
/// The training handlers against the real stores, on each database: the catalogue with its concurrency check, the
/// rules of a completion and its certificate, certification deciding who may open cases, and expiry reminders through
/// the reminder outbox (cancelled by a newer completion, delivered exactly once by two dispatchers).
/// </summary>
public abstract class TrainingHandlerTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"u8.ToArray();

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static UploadedFile File(string name, byte[] bytes) => new(null, name, bytes.Length, () => new MemoryStream(bytes));

    private static async Task<TrainingModule> ModuleAsync(CaseEnvironment env, string title, string? months = "12", bool required = true)
    {
        var result = await env.Service.Handler<SaveTrainingModule>().HandleAsync(new SaveTrainingModule.Request(null, 0, title, "About " + title, months, required, true), env.Coordinator);
        Assert.True(result.Succeeded, result.Message);
        return (await env.Service.Handler<ITrainingStore>().GetModuleAsync(result.Id!.Value))!;
    }

    private static Task<TrainingResult> RecordAsync(CaseEnvironment env, Actor broker, TrainingModule module, DateTimeOffset on, UploadedFile? certificate = null) =>
        env.Service.Handler<RecordTrainingCompletion>().HandleAsync(
            new RecordTrainingCompletion.Request(broker.UserId, module.Id, on.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "Baltic Innovation Academy", certificate), env.Coordinator);

    [SkippableFact]
    public async Task A_module_edited_by_two_coordinators_at_once_keeps_the_first_and_reports_the_second()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var save = env.Service.Handler<SaveTrainingModule>();
        var module = await ModuleAsync(env, "Data protection for brokers");

        var first = await save.HandleAsync(new SaveTrainingModule.Request(module.Id, module.Version, "Data protection for brokers", "GDPR for brokers", "24", true, true), env.Coordinator);
        var second = await save.HandleAsync(new SaveTrainingModule.Request(module.Id, module.Version, "Data protection (old title)", "", "6", false, true), env.Coordinator);

        Assert.True(first.Succeeded, first.Message);
        Assert.Equal(TrainingStatus.Conflict, second.Status);
        Assert.Contains("Someone else changed 'Data protection for brokers'", second.Message, StringComparison.Ordinal);
        var stored = (await env.Service.Handler<ITrainingStore>().GetModuleAsync(module.Id))!;
        Assert.Equal(("Data protection for brokers", 24, 2), (stored.Title, stored.ValidityMonths!.Value, stored.Version));

        var duplicate = await save.HandleAsync(new SaveTrainingModule.Request(null, 0, "data protection for brokers", "", "x", false, true), env.Coordinator);
        Assert.Equal(TrainingStatus.Invalid, duplicate.Status);
        Assert.Contains(duplicate.FieldErrors, e => e.Field == "title" && e.Message.Contains("already in the catalogue", StringComparison.Ordinal));
        Assert.Contains(duplicate.FieldErrors, e => e.Field == "validity" && e.Message.Contains("'x' is not a number of months", StringComparison.Ordinal));

        var byBroker = await save.HandleAsync(new SaveTrainingModule.Request(null, 0, "Something", "", "", false, true), env.LatvianBroker);
        Assert.Equal(TrainingStatus.Forbidden, byBroker.Status);
        await using var c = await fixture.Factory.OpenAsync();
        Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM administration_log WHERE action IN ('training-module-added', 'training-module-changed')"));
    }

    [SkippableFact]
    public async Task A_completion_keeps_the_rules_of_dates_and_files_and_leaves_no_file_when_refused()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var module = await ModuleAsync(env, "Joint Smart Strategy method", "36");
        var today = env.Time.GetUtcNow();

        var future = await RecordAsync(env, env.LatvianBroker, module, today.AddDays(2), File("certificate.pdf", Pdf));
        Assert.Equal(TrainingStatus.Invalid, future.Status);
        Assert.Contains(future.FieldErrors, e => e.Field == "completedOn" && e.Message.Contains("is in the future", StringComparison.Ordinal));

        var notAPdf = await RecordAsync(env, env.LatvianBroker, module, today, File("certificate.pdf", "plain text, not a PDF"u8.ToArray()));
        Assert.Contains(notAPdf.FieldErrors, e => e.Field == "certificate" && e.Message.Contains("does not look like a .pdf file", StringComparison.Ordinal));
        var wordFile = await RecordAsync(env, env.LatvianBroker, module, today, File("certificate.docx", Pdf));
        Assert.Contains(wordFile.FieldErrors, e => e.Field == "certificate" && e.Message.Contains("a certificate is a PDF or an image", StringComparison.Ordinal));
        Assert.Empty(await env.Storage.ListWrittenBeforeAsync(DateTimeOffset.MaxValue));

        var done = await RecordAsync(env, env.LatvianBroker, module, today.AddMonths(-1), File("jss-certificate.pdf", Pdf));
        Assert.True(done.Succeeded, done.Message);
        var completion = (await env.Service.Handler<ITrainingStore>().GetCompletionAsync(done.Id!.Value))!;
        Assert.Equal(today.AddMonths(-1).UtcDateTime.Date.AddMonths(36), completion.ExpiresOn!.Value.UtcDateTime);
        Assert.Equal("jss-certificate.pdf", completion.CertificateFileName);

        // The broker and coordinators download it; another broker and the evaluator do not.
        var open = env.Service.Handler<OpenCertificate>();
        await using (var own = (await open.HandleAsync(completion.Id, env.LatvianBroker))!.Content)
        {
            using var copy = new MemoryStream();
            await own.CopyToAsync(copy);
            Assert.Equal(Pdf, copy.ToArray());
        }

        (await open.HandleAsync(completion.Id, env.Coordinator))!.Content.Dispose();
        Assert.Null(await open.HandleAsync(completion.Id, env.GermanBroker));
        Assert.Null(await open.HandleAsync(completion.Id, env.Evaluator));

        // The sweep of stray attachment files keeps certificates: their rows own them.
        Assert.Equal(0, await env.Service.Handler<SweepAttachmentFiles>().HandleAsync(new SweepAttachmentFiles.Request(TimeSpan.Zero)));
    }

    [SkippableFact]
    public async Task An_uncertified_broker_cannot_open_a_case_and_is_told_which_training_is_missing()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var jss = await ModuleAsync(env, "Joint Smart Strategy method", "36");
        var gdpr = await ModuleAsync(env, "Data protection for brokers", "12");
        await ModuleAsync(env, "Partner search and matchmaking", "24", required: false);

        var refused = await env.Service.OpenCaseAsync(env.Lead.Id, null, env.LatvianBroker);
        Assert.Equal(CaseCommandStatus.Forbidden, refused.Status);
        Assert.Equal(
            "You are not certified yet, so you cannot open new cases: your training in 'Data protection for brokers', 'Joint Smart Strategy method' is missing or has expired. Ask your coordinator to record it.",
            refused.Message);

        Assert.True((await RecordAsync(env, env.LatvianBroker, jss, env.Time.GetUtcNow())).Succeeded);
        Assert.True((await RecordAsync(env, env.LatvianBroker, gdpr, env.Time.GetUtcNow().AddMonths(-13))).Succeeded);
        var expired = await env.Service.OpenCaseAsync(env.Lead.Id, null, env.LatvianBroker);
        Assert.Contains("'Data protection for brokers' is missing or has expired", expired.Message, StringComparison.Ordinal);

        Assert.True((await RecordAsync(env, env.LatvianBroker, gdpr, env.Time.GetUtcNow().AddDays(-3))).Succeeded);
        var opened = await env.Service.OpenCaseAsync(env.Lead.Id, null, env.LatvianBroker);
        Assert.True(opened.Succeeded, opened.Message);

        // With the setting at Allowed the check is off.
        var allowed = new OpenCase(env.Cases, env.Companies, env.Catalog, env.Time, env.Service.Handler<ITrainingStore>(), new CertificationOptions { UncertifiedBrokers = UncertifiedBrokerRule.Allowed });
        var german = await allowed.HandleAsync(new OpenCase.Request(env.GermanPartner.Id), env.GermanBroker);
        Assert.True(german.Succeeded, german.Message);

        // The overview lists the German broker's case for reassignment and Hamburg without a certified broker.
        var overview = await env.Service.Handler<CertificationOverview>().HandleAsync(env.Coordinator);
        Assert.Contains(overview.CasesOfUncertifiedOwners, c => c.CaseId == german.Case!.Id && c.RegionName.Contains("DE60", StringComparison.Ordinal));
        Assert.DoesNotContain(overview.CasesOfUncertifiedOwners, c => c.CaseId == opened.Case!.Id);
        Assert.Contains(overview.RegionsWithoutCertifiedBroker, r => r.Contains("DE60", StringComparison.Ordinal));
        Assert.DoesNotContain(overview.RegionsWithoutCertifiedBroker, r => r.Contains("LV008", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Expiry_reminders_go_to_the_broker_and_coordinators_and_a_newer_completion_cancels_the_pending_ones()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var gdpr = await ModuleAsync(env, "Data protection for brokers", "12");
        var first = await RecordAsync(env, env.LatvianBroker, gdpr, env.Time.GetUtcNow().AddMonths(-9));
        await using var c = await fixture.Factory.OpenAsync();
        var pending = (await c.QueryAsync<string>(
            "SELECT notice_key FROM reminders WHERE subject_kind = 'training' AND status = 'pending' AND case_id IS NULL ORDER BY due_at")).ToList();
        Assert.Equal([$"training-expiry-60:{first.Id:N}", $"training-expiry-14:{first.Id:N}"], pending);

        // Sixty days before expiry: the broker and the coordinator are told, once.
        var reminders = new ReminderStore(fixture.Factory);
        var notifications = new NotificationStore(fixture.Factory);
        var delivery = new ReminderDelivery(reminders, env.Cases, env.Users, env.Catalog, env.Time, null, env.Service.Handler<ITrainingStore>());
        var expires = env.Time.GetUtcNow().UtcDateTime.Date.AddMonths(-9).AddMonths(12);
        env.Time.SetUtcNow(new DateTimeOffset(expires, TimeSpan.Zero).AddDays(-59));
        var results = new System.Collections.Concurrent.ConcurrentBag<DeliveryResult>();
        Assert.Equal(1, await new ReminderDispatcher(reminders, env.Time).DispatchAsync(new Inline(delivery, results), "worker"));
        Assert.Equal(0, await new ReminderDispatcher(reminders, env.Time).DispatchAsync(new Inline(delivery, results), "worker"));
        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
        var brokerInbox = await notifications.ListForUserAsync(env.LatvianBroker.UserId, false, 10);
        var note = Assert.Single(brokerInbox);
        Assert.Null(note.CaseId);
        Assert.Equal($"Training expires {expires:yyyy-MM-dd}: Data protection for brokers — {(await env.Users.FindByIdAsync(env.LatvianBroker.UserId))!.DisplayName}", note.Title);
        Assert.Single(await notifications.ListForUserAsync(env.Coordinator.UserId, false, 10));
        Assert.Empty(await notifications.ListForUserAsync(env.GermanBroker.UserId, false, 10));

        // A refresher recorded now cancels the 14-day notice of the old completion and schedules its own.
        var second = await RecordAsync(env, env.LatvianBroker, gdpr, env.Time.GetUtcNow());
        Assert.True(second.Succeeded, second.Message);
        var rows = (await c.QueryAsync<(string NoticeKey, string Status)>(
            "SELECT notice_key AS NoticeKey, status AS Status FROM reminders WHERE subject_kind = 'training' ORDER BY due_at")).ToList();
        Assert.Equal(
            [($"training-expiry-60:{first.Id:N}", "sent"), ($"training-expiry-14:{first.Id:N}", "cancelled"), ($"training-expiry-60:{second.Id:N}", "pending"), ($"training-expiry-14:{second.Id:N}", "pending")],
            rows);
    }

    [SkippableFact]
    public async Task Two_dispatchers_deliver_every_training_reminder_exactly_once()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        for (var i = 0; i < 40; i++)
        {
            var module = await ModuleAsync(env, $"Module {i:00}", "3", required: false);
            Assert.True((await RecordAsync(env, env.LatvianBroker, module, env.Time.GetUtcNow())).Succeeded);
        }

        var training = env.Service.Handler<ITrainingStore>();
        var reminders = new ReminderStore(fixture.Factory);
        var notifications = new NotificationStore(fixture.Factory);
        var delivery = new ReminderDelivery(reminders, env.Cases, env.Users, env.Catalog, env.Time, null, training);
        env.Time.Advance(TimeSpan.FromDays(120));

        var results = new System.Collections.Concurrent.ConcurrentBag<DeliveryResult>();
        var dispatchers = new[] { "server-a", "server-b" }.Select(worker => Task.Run(() =>
            new ReminderDispatcher(reminders, env.Time) { BatchSize = 5 }.DispatchAsync(new Inline(delivery, results), worker)));
        var handed = await Task.WhenAll(dispatchers);

        Assert.Equal(80, handed.Sum());
        Assert.Equal(80, results.Count(r => r.Outcome == DeliveryOutcome.Delivered));
        Assert.Equal(160, results.Sum(r => r.NewlyNotified)); // the broker and the coordinator, each once per reminder
        await using var c = await fixture.Factory.OpenAsync();
        Assert.Equal(80, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE subject_kind = 'training' AND status = 'sent'"));
        Assert.Equal(80, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE user_id = @id AND kind = 'training-expiry'", new { id = env.LatvianBroker.UserId }));
    }

    private sealed class Inline(ReminderDelivery delivery, System.Collections.Concurrent.ConcurrentBag<DeliveryResult> results) : IReminderQueue
    {
        public async Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default) =>
            results.Add(await delivery.DeliverAsync(reminderId, cancellationToken));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTrainingHandlerTests(SqliteFixture fixture) : TrainingHandlerTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTrainingHandlerTests(PostgresFixture fixture) : TrainingHandlerTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerTrainingHandlerTests(SqlServerFixture fixture) : TrainingHandlerTests(fixture);
