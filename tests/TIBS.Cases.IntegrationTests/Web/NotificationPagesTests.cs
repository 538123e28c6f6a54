using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Mail;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>The inbox at /notifications, the header's unread count and the e-mail preference at /account/preferences.</summary>
public sealed class NotificationPagesTests(NotificationPagesTests.App app) : IClassFixture<NotificationPagesTests.App>
{
    public sealed class App : IDisposable
    {
        public TibsWebFactory Factory { get; } = TibsWebFactory.ForNewSqliteDatabase();

        public void Dispose() => Factory.Dispose();
    }

    [Fact]
    public async Task The_inbox_shows_the_unread_count_and_marks_one_and_then_all_read()
    {
        const string email = "broker.lv008@tibs.example";
        var user = await UserAsync(email);
        var older = await NotifyAsync(user.Id, "Reminder: needs assessment is due", DateTimeOffset.UtcNow.AddHours(-2));
        var newer = await NotifyAsync(user.Id, "Escalation: needs assessment is overdue", DateTimeOffset.UtcNow.AddHours(-1));
        var client = await CaseForms.SignedInAsync(app.Factory, email);

        var page = await client.GetDocumentAsync("/notifications");

        Assert.Equal("2 unread", page.QuerySelector("#inbox-count")!.TextContent.Trim());
        Assert.Equal("unread", page.QuerySelector("#inbox-count .visually-hidden")!.TextContent.Trim());
        Assert.Equal("/notifications", page.QuerySelector("#inbox-link")!.GetAttribute("href"));
        Assert.NotNull(page.QuerySelector("a#preferences-link[href='/account/preferences']"));
        var items = page.QuerySelectorAll("#inbox li.notification").ToList();
        Assert.Equal([newer.ToString(), older.ToString()], items.Select(i => i.GetAttribute("data-id")));
        Assert.All(items, i => Assert.Contains("unread", i.ClassList));

        var response = await client.SubmitAsync(page, "/notifications", new Dictionary<string, string>(), $"li[data-id='{newer}'] form.read-form");
        var after = await HtmlForms.ParseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("marked as read", after.QuerySelector(".alert-success")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("1 unread", after.QuerySelector("#inbox-count")!.TextContent.Trim());
        Assert.Contains("read", after.QuerySelector($"li[data-id='{newer}']")!.ClassList);
        Assert.DoesNotContain("unread", after.QuerySelector($"li[data-id='{newer}']")!.ClassList);
        Assert.Null(after.QuerySelector($"li[data-id='{newer}'] form.read-form"));

        response = await client.SubmitAsync(after, "/notifications", new Dictionary<string, string>(), "#read-all-form");
        var allRead = await HtmlForms.ParseAsync(response);

        Assert.Null(allRead.QuerySelector("#inbox-count"));
        Assert.Empty(allRead.QuerySelectorAll("#inbox li.unread"));
        Assert.Equal(2, allRead.QuerySelectorAll("#inbox li.read").Length);
        Assert.Equal(0, await Store.UnreadCountAsync(user.Id));
    }

    [Fact]
    public async Task Another_users_notification_cannot_be_marked_read()
    {
        var owner = await UserAsync("broker.dk05@tibs.example");
        var theirs = await NotifyAsync(owner.Id, "Not for Hamburg", DateTimeOffset.UtcNow);
        var hamburg = await CaseForms.SignedInAsync(app.Factory, "broker.de60@tibs.example");
        var page = await hamburg.GetDocumentAsync("/notifications");
        Assert.Null(page.QuerySelector($"li[data-id='{theirs}']"));

        var response = await PostAsync(hamburg, page, "/notifications?handler=Read", ("notificationId", theirs.ToString()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null((await Store.GetAsync(theirs))!.ReadAt);
        Assert.Equal(1, await Store.UnreadCountAsync(owner.Id));
    }

    [Fact]
    public async Task Every_signed_in_role_has_an_inbox_and_anonymous_users_are_sent_to_sign_in()
    {
        var coordinator = await CaseForms.SignedInAsync(app.Factory, "coordinator@tibs.example");
        var page = await coordinator.GetDocumentAsync("/notifications");
        Assert.Equal("Inbox · TIBS.Cases", page.Title);

        var anonymous = app.Factory.CreateClient();
        foreach (var url in new[] { "/notifications", "/account/preferences" })
        {
            var response = await anonymous.GetAsync(url);
            Assert.Equal("/account/sign-in", response.RequestMessage!.RequestUri!.AbsolutePath);
        }
    }

    [Fact]
    public async Task The_email_preference_is_saved_with_a_confirmation()
    {
        const string email = "broker.se23@tibs.example";
        var user = await UserAsync(email);
        var client = await CaseForms.SignedInAsync(app.Factory, email);
        var page = await client.GetDocumentAsync("/account/preferences");
        Assert.True(((IHtmlInputElement)page.QuerySelector("#delivery-single")!).IsChecked);
        Assert.False(((IHtmlInputElement)page.QuerySelector("#delivery-digest")!).IsChecked);
        Assert.NotNull(page.QuerySelector("label[for=delivery-digest]"));
        Assert.NotNull(page.QuerySelector("label[for=delivery-single]"));

        var response = await PostAsync(client, page, "/account/preferences", ("EmailDelivery", "digest"));
        var after = await HtmlForms.ParseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Preferences saved", after.QuerySelector(".alert-success")!.TextContent, StringComparison.Ordinal);
        Assert.True(((IHtmlInputElement)after.QuerySelector("#delivery-digest")!).IsChecked);
        Assert.True(await app.Factory.Services.GetRequiredService<IUserStore>().GetEmailDigestAsync(user.Id));

        response = await PostAsync(client, after, "/account/preferences", ("EmailDelivery", "single"));
        Assert.True(((IHtmlInputElement)(await HtmlForms.ParseAsync(response)).QuerySelector("#delivery-single")!).IsChecked);
        Assert.False(await app.Factory.Services.GetRequiredService<IUserStore>().GetEmailDigestAsync(user.Id));

        response = await PostAsync(client, after, "/account/preferences", ("EmailDelivery", "weekly"));
        Assert.Contains("Choose how you want to receive e-mails.", (await HtmlForms.ParseAsync(response)).QuerySelector(".field-error")!.TextContent, StringComparison.Ordinal);
    }

    private INotificationStore Store => app.Factory.Services.GetRequiredService<INotificationStore>();

    private async Task<UserAccount> UserAsync(string email)
    {
        using var _ = app.Factory.CreateClient(); // the host is started: schema and demo users exist
        return (await app.Factory.Services.GetRequiredService<IUserStore>().FindByEmailAsync(email))!;
    }

    private async Task<Guid> NotifyAsync(Guid userId, string title, DateTimeOffset createdAt)
    {
        var id = Guid.CreateVersion7();
        Assert.True(await Store.AddAsync(new NotificationRecord
        {
            Id = id,
            UserId = userId,
            Kind = "test",
            Title = title,
            Body = "Please have a look.",
            DeliveryKey = $"test:{id}",
            CreatedAt = createdAt,
        }));
        return id;
    }

    /// <summary>Posts chosen fields with the page's antiforgery token (radio choices and foreign ids a form would not offer).</summary>
    private static Task<HttpResponseMessage> PostAsync(HttpClient client, IHtmlDocument page, string url, params (string Name, string Value)[] fields)
    {
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return client.PostAsync(url, new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]));
    }
}

/// <summary>The e-mail senders and their settings, without a server.</summary>
public sealed class MailSetupTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "tibs-tests", $"mail_{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_pickup_sender_writes_one_eml_file_per_message_with_the_right_headers()
    {
        var sender = new PickupDirectoryEmailSender(folder, "TIBS.Cases <no-reply@tibs.example>", TimeProvider.System);
        var message = new EmailMessage("liga@example.org", "Līga Bērziņa", "Reminder: needs assessment (LV008-2026-0001)", "Hello Līga,\n\nPlease open the case.\n", "notification-0123abcd@tibs.cases");

        await sender.SendAsync(message);
        await sender.SendAsync(message);

        var file = Assert.Single(Directory.GetFiles(folder));
        Assert.EndsWith(".eml", file, StringComparison.Ordinal);
        using var mime = await MimeMessage.LoadAsync(file);
        Assert.Equal("notification-0123abcd@tibs.cases", mime.MessageId);
        Assert.Equal("Reminder: needs assessment (LV008-2026-0001)", mime.Subject);
        var to = Assert.IsType<MailboxAddress>(Assert.Single(mime.To));
        Assert.Equal(("Līga Bērziņa", "liga@example.org"), (to.Name, to.Address));
        var from = Assert.IsType<MailboxAddress>(Assert.Single(mime.From));
        Assert.Equal(("TIBS.Cases", "no-reply@tibs.example"), (from.Name, from.Address));
        Assert.Equal("Hello Līga,\n\nPlease open the case.\n", mime.TextBody?.ReplaceLineEndings("\n"));
        Assert.Null(mime.HtmlBody);
    }

    [Fact]
    public void Without_a_host_mail_goes_to_the_pickup_folder_in_the_data_directory_and_with_one_over_smtp()
    {
        using var pickup = Provider(new() { ["Database:DataDirectory"] = folder });
        var sender = Assert.IsType<PickupDirectoryEmailSender>(pickup.GetRequiredService<IEmailSender>());
        Assert.Equal(Path.Combine(folder, "mail"), sender.Directory);
        Assert.IsType<NotificationMailer>(pickup.GetRequiredService<INotificationMailer>());

        using var smtp = Provider(new() { ["Mail:Host"] = "mail", ["Mail:Port"] = "1025" });
        Assert.IsType<SmtpEmailSender>(smtp.GetRequiredService<IEmailSender>());
    }

    [Theory]
    [InlineData("Mail:Port", "0", "Mail:Port must be between 1 and 65535")]
    [InlineData("Mail:BaseUrl", "tibs.example", "Mail:BaseUrl must be an absolute http or https address")]
    [InlineData("Mail:From", "not an address", "Mail:From must be an e-mail address")]
    [InlineData("Mail:User", "smtp-user", "Mail:Password is required when Mail:User is set.")]
    public void Wrong_mail_settings_are_reported_by_name(string key, string value, string message)
    {
        using var provider = Provider(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MailOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith(message, StringComparison.Ordinal));
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName));
        services.AddTibsCore();
        services.AddTibsData(Directory.GetCurrentDirectory());
        services.AddTibsMail(configuration);
        return services.BuildServiceProvider();
    }
}
