using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

public sealed class WorkPageTests(PartnerApp app) : IClassFixture<PartnerApp>
{
    [Fact]
    public async Task Open_steps_are_ordered_by_due_date_with_overdue_ones_highlighted()
    {
        var late = await app.OpenLatvianCaseAsync();
        var onTime = await app.OpenLatvianCaseAsync();
        await using (var c = await app.Factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            await c.ExecuteAsync("UPDATE cases SET step_due_at = @due WHERE id = @id", new { due = DateTimeOffset.UtcNow.AddDays(-3), id = late.Id });
        }

        var client = await app.SignInAsync(PartnerApp.Latvian);
        var page = await client.GetDocumentAsync("/work");

        var rows = page.QuerySelectorAll("#open-steps tbody tr").ToList();
        var lateRow = rows.Single(r => r.GetAttribute("data-case") == late.Id.ToString());
        var onTimeRow = rows.Single(r => r.GetAttribute("data-case") == onTime.Id.ToString());
        Assert.True(rows.IndexOf(lateRow) < rows.IndexOf(onTimeRow));
        Assert.Contains("overdue-row", lateRow.ClassList);
        Assert.Equal("Overdue", lateRow.QuerySelector(".badge")!.TextContent.Trim());
        Assert.DoesNotContain("overdue-row", onTimeRow.ClassList);
        Assert.Contains(late.Reference, lateRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("Intake", lateRow.TextContent, StringComparison.Ordinal);
        Assert.Contains(page.QuerySelectorAll("#activity li"), li => li.TextContent.Contains("Case opened", StringComparison.Ordinal) && li.TextContent.Contains(late.Reference, StringComparison.Ordinal));
        Assert.True(page.QuerySelectorAll("#activity li").Length <= 20);
    }

    [Fact]
    public async Task Another_regions_broker_does_not_see_the_case_and_a_coordinator_may_not_open_my_work()
    {
        var @case = await app.OpenLatvianCaseAsync();
        var hamburg = await app.SignInAsync(PartnerApp.Hamburg);
        var page = await hamburg.GetDocumentAsync("/work");
        Assert.Null(page.QuerySelector($"#open-steps tr[data-case='{@case.Id}']"));
        Assert.DoesNotContain(@case.Reference, page.QuerySelector("#activity")?.TextContent ?? "", StringComparison.Ordinal);

        var coordinator = await app.SignInAsync("coordinator@tibs.example");
        var response = await coordinator.GetAsync("/work");
        Assert.Equal("/account/access-denied", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task A_notification_is_shown_until_marked_read()
    {
        var user = await app.ActorAsync("broker.dk05@tibs.example");
        var store = app.Factory.Services.GetRequiredService<INotificationStore>();
        var key = $"test:{Guid.NewGuid()}";
        Assert.True(await store.AddAsync(new NotificationRecord
        {
            Id = Guid.CreateVersion7(),
            UserId = user.UserId,
            Kind = "test",
            Title = "Please look at this",
            Body = "Body text",
            DeliveryKey = key,
            CreatedAt = DateTimeOffset.UtcNow,
        }));
        var client = await app.SignInAsync("broker.dk05@tibs.example");
        var page = await client.GetDocumentAsync("/work");
        Assert.Contains("Please look at this", page.QuerySelector("#notifications")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("1", page.QuerySelector("#unread-count")!.TextContent.Trim());

        var response = await client.SubmitAsync(page, "/work", new Dictionary<string, string>(), "form.read-form");
        var after = await HtmlForms.ParseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(after.QuerySelector("#notifications"));
        Assert.Equal(0, await store.UnreadCountAsync(user.UserId));
    }
}
