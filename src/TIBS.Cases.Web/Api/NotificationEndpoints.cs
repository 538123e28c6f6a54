using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// A notification in the caller's inbox: title and body in the request's language; <see cref="Template"/> the message
/// keys (English format texts) and typed parameters they were written from, null for notifications written before
/// notifications had templates.
/// </summary>
internal sealed record NotificationResponse(
    Guid Id, string Kind, string Title, string Body, Guid? CaseId, string? CaseReference, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, JsonElement? Template)
{
    internal static NotificationResponse From(NotificationRecord n) =>
        new(n.Id, n.Kind, n.Title, n.Body, n.CaseId, n.CaseReference, n.CreatedAt, n.ReadAt, Parse(n.Template));

    private static JsonElement? Parse(string? template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(template);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The caller's notifications, newest first, and how many are unread.</summary>
internal sealed record NotificationListResponse(IReadOnlyList<NotificationResponse> Items, int Unread);

internal static class NotificationEndpoints
{
    public static RouteGroupBuilder MapNotifications(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/notifications").WithTags("Notifications");
        group.MapGet("/", List)
            .WithName("ListNotifications")
            .WithSummary("The caller's notifications")
            .WithDescription("Newest first; unreadOnly=true lists only unread ones; take: 1 to 200 (default 50).");
        group.MapPost("/{id:guid}/read", MarkRead)
            .WithName("MarkNotificationRead")
            .WithSummary("Mark one of the caller's notifications read")
            .WithDescription("204 when it was marked now or was read already; 404 when there is no such notification of the caller's.")
            .Writes()
            .Problems(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Ok<NotificationListResponse>> List(
        HttpContext context, ListNotifications handler, bool? unreadOnly, int? take, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new ListNotifications.Request(unreadOnly ?? false, take ?? 50), context.Actor(), cancellationToken);
        return TypedResults.Ok(new NotificationListResponse([.. result.Items.Select(NotificationResponse.From)], result.UnreadCount));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(
        HttpContext context, Guid id, MarkNotificationRead handler, CancellationToken cancellationToken) =>
        (await handler.HandleAsync(new MarkNotificationRead.Request(id), context.Actor(), cancellationToken)).Status == CaseCommandStatus.NotFound
            ? ApiProblems.NotFound("The notification")
            : TypedResults.NoContent();
}
