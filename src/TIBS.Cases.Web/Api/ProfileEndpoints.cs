using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Absences;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Api;

/// <summary>The caller as the API sees them: the token's user, their role and region now, and the token's scopes.</summary>
/// <param name="Id">The user's id.</param>
/// <param name="Email">Their e-mail address.</param>
/// <param name="DisplayName">Their name.</param>
/// <param name="Role">broker, coordinator, evaluator or administrator.</param>
/// <param name="RoleName">The role in words.</param>
/// <param name="RegionCode">Their home region (brokers), such as PL84: the first of <paramref name="Regions"/>.</param>
/// <param name="TokenId">The id of the token that made this request.</param>
/// <param name="Scopes">What the token may do: read, or read and write.</param>
/// <param name="Regions">Every region they cover (a broker may cover several), the home region first.</param>
/// <param name="Absence">The absence that includes today (calendar days in UTC), with the deputy; null when the user is not away.</param>
/// <param name="DeputyOf">The colleagues absent today for whom the user deputises.</param>
internal sealed record ProfileResponse(
    Guid Id, string Email, string DisplayName, string Role, string RoleName, string? RegionCode, Guid TokenId, IReadOnlyList<string> Scopes, IReadOnlyList<string> Regions,
    AbsenceResponse? Absence, IReadOnlyList<DeputyOfResponse> DeputyOf);

/// <summary>An absence of the caller.</summary>
/// <param name="StartsOn">The first day away (a calendar day in UTC).</param>
/// <param name="EndsOn">The last day away, included.</param>
/// <param name="DeputyId">The user who deputises.</param>
/// <param name="DeputyName">The deputy's name.</param>
internal sealed record AbsenceResponse(DateOnly StartsOn, DateOnly EndsOn, Guid DeputyId, string DeputyName);

/// <summary>A colleague the caller deputises for today.</summary>
/// <param name="UserId">The absent colleague.</param>
/// <param name="UserName">Their name.</param>
/// <param name="Until">The last day of their absence, included.</param>
internal sealed record DeputyOfResponse(Guid UserId, string UserName, DateOnly Until);

internal static class ProfileEndpoints
{
    public static RouteGroupBuilder MapProfile(this RouteGroupBuilder api)
    {
        api.MapGet("/me", Get)
            .WithName("GetProfile")
            .WithSummary("The caller's own profile")
            .WithDescription("Who the token acts for, with the role and region the user has now (a token never has more rights than its user), their absence today and whom they deputise for.")
            .WithTags("Profile");
        return api;
    }

    private static async Task<Ok<ProfileResponse>> Get(ClaimsPrincipal user, GetAbsences getAbsences, CancellationToken cancellationToken)
    {
        var role = user.FindFirstValue(ClaimTypes.Role) ?? "";
        var id = Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var absences = await getAbsences.HandleAsync(new GetAbsences.Request(id), user.ToActor(), cancellationToken);
        return TypedResults.Ok(new ProfileResponse(
            id,
            user.FindFirstValue(ClaimTypes.Email) ?? "",
            user.FindFirstValue(ClaimTypes.Name) ?? "",
            role,
            Roles.DisplayName(role),
            user.FindFirstValue(SignInService.RegionClaim),
            Guid.Parse(user.FindFirstValue(AccessTokenAuthentication.TokenIdClaim)!, CultureInfo.InvariantCulture),
            [.. user.FindAll(AccessTokenAuthentication.ScopeClaim).Select(c => c.Value)],
            user.Regions(),
            absences?.Current is { } a ? new AbsenceResponse(a.StartsOn, a.EndsOn, a.DeputyUserId, a.DeputyName) : null,
            [.. (absences?.DeputisingNow ?? []).Select(d => new DeputyOfResponse(d.UserId, d.UserName, d.EndsOn))]));
    }
}
