using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Web;
using TIBS.Cases.Web.Infrastructure.Jobs;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The running system with its Hangfire server: a step left overdue produces the reminder and then the escalation,
/// in the inbox and as e-mail (.eml files of the embedded default). The clock is a fake one; the recurring dispatcher
/// is triggered instead of waiting a minute, and the test waits for the jobs it started to finish.
/// </summary>
public sealed class ReminderEndToEndTests : IDisposable
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly string mail = Path.Combine(Path.GetTempPath(), "tibs-tests", "mail-" + Guid.NewGuid().ToString("N"));
    private readonly WebApplicationFactory<Program> factory;

    public ReminderEndToEndTests()
    {
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite",
                ["Database:ConnectionString"] = $"Data Source={Path.Combine(Path.GetTempPath(), "tibs-tests", $"e2e_{Guid.NewGuid():N}.db")}",
                ["Demo:Password"] = TibsWebFactory.DemoPassword,
                ["Mail:PickupDirectory"] = mail,
                ["DataProtection:KeyFile"] = TibsWebFactory.NewKeyFile(),
            }));
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time));
        });
    }

    public void Dispose()
    {
        factory.Dispose();
        if (Directory.Exists(mail))
        {
            Directory.Delete(mail, recursive: true);
        }
    }

    /// <summary>Triggers the recurring dispatcher and waits (at most a minute) until <paramref name="done"/> holds.</summary>
    private async Task DispatchUntilAsync(Func<Task<bool>> done)
    {
        factory.Services.GetRequiredService<IRecurringJobManager>().Trigger(JobsSetup.DispatchJobId);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "The jobs did not finish within a minute.");
            await Task.Delay(200);
        }
    }

    private IReadOnlyList<MimeMessage> Mails() =>
        Directory.Exists(mail) ? [.. Directory.GetFiles(mail, "*.eml").Select(f => MimeMessage.Load(f))] : [];

    [Fact]
    public async Task An_overdue_step_brings_the_reminder_and_then_the_escalation_in_the_inbox_and_by_e_mail()
    {
        _ = factory.CreateClient(); // starts the host: migrations, demo data, Hangfire server
        var services = factory.Services;
        var users = services.GetRequiredService<IUserStore>();
        var broker = (await users.FindByEmailAsync("broker.lv008@tibs.example"))!;
        var coordinator = (await users.FindByEmailAsync("coordinator@tibs.example"))!;
        var lead = (await services.GetRequiredService<ICompanyStore>().SearchAsync(new CompanySearch { RegionCode = "LV008" })).Items.First();
        var cases = new CaseCommands(services);
        var actor = broker.AsActor();
        var opened = await cases.OpenCaseAsync(lead.Id, null, actor);
        Assert.True(opened.Succeeded, opened.Message);
        var inbox = services.GetRequiredService<INotificationStore>();

        // Day 3 of intake: the coordinator is reminded.
        time.Advance(TimeSpan.FromDays(3));
        await DispatchUntilAsync(async () => (await inbox.UnreadCountAsync(coordinator.Id)) == 1 && Mails().Count == 1);
        var reminder = Assert.Single(await inbox.ListForUserAsync(coordinator.Id, false, 10));
        Assert.Equal("reminder", reminder.Kind);
        Assert.Contains(opened.Case!.Reference, Mails()[0].Subject, StringComparison.Ordinal);
        Assert.Equal("coordinator@tibs.example", Mails()[0].To.Mailboxes.Single().Address);

        // Day 5: the step is due — the broker hears of it; nothing is sent twice.
        time.Advance(TimeSpan.FromDays(2));
        await DispatchUntilAsync(async () => (await inbox.UnreadCountAsync(broker.Id)) == 1 && Mails().Count == 2);
        Assert.Equal(1, await inbox.UnreadCountAsync(coordinator.Id));

        // Needs assessment left overdue: reminder at day 7, escalation to the coordinator at day 20.
        var details = (await cases.GetDetailsAsync(opened.Case.Id))!;
        Assert.True((await cases.CompleteStepAsync(details.Case.Id, details.Case.Version, details.CurrentStep!.Outcomes[0].Key,
            Testing.FormFiller.Fill(details.CurrentStep.Fields, lead.Id, new Dictionary<string, string> { ["contact-data-consent"] = "yes" }), actor)).Succeeded);
        details = (await cases.GetDetailsAsync(opened.Case.Id))!;
        Assert.True((await cases.CompleteStepAsync(details.Case.Id, details.Case.Version, details.CurrentStep!.Outcomes[0].Key,
            Testing.FormFiller.Fill(details.CurrentStep.Fields, lead.Id), actor)).Succeeded);
        Assert.Equal("needs-assessment", (await cases.GetDetailsAsync(opened.Case.Id))!.Case.CurrentStep);

        time.Advance(TimeSpan.FromDays(20));
        await DispatchUntilAsync(async () =>
            (await inbox.ListForUserAsync(coordinator.Id, false, 20)).Any(n => n.Kind == "escalation")
            && Mails().Any(m => m.Subject?.StartsWith("Escalation", StringComparison.Ordinal) == true));
        Assert.Contains(await inbox.ListForUserAsync(broker.Id, false, 20), n => n.Kind == "reminder" && n.Title.Contains("Needs assessment", StringComparison.Ordinal));
        var escalationMail = Mails().Single(m => m.Subject?.StartsWith("Escalation", StringComparison.Ordinal) == true);
        Assert.Equal("coordinator@tibs.example", escalationMail.To.Mailboxes.Single().Address);
        Assert.Contains($"/cases/{opened.Case.Id}", escalationMail.TextBody, StringComparison.Ordinal);
    }
}
