using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Accounts;
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
internal sealed record ProfileResponse(
    Guid Id, string Email, string DisplayName, string Role, string RoleName, string? RegionCode, Guid TokenId, IReadOnlyList<string> Scopes, IReadOnlyList<string> Regions);

internal static class ProfileEndpoints
{
    public static RouteGroupBuilder MapProfile(this RouteGroupBuilder api)
    {
        api.MapGet("/me", Get)
            .WithName("GetProfile")
            .WithSummary("The caller's own profile")
            .WithDescription("Who the token acts for, with the role and region the user has now (a token never has more rights than its user).")
            .WithTags("Profile");
        return api;
    }

    private static Ok<ProfileResponse> Get(ClaimsPrincipal user)
    {
        var role = user.FindFirstValue(ClaimTypes.Role) ?? "";
        return TypedResults.Ok(new ProfileResponse(
            Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!),
            user.FindFirstValue(ClaimTypes.Email) ?? "",
            user.FindFirstValue(ClaimTypes.Name) ?? "",
            role,
            Roles.DisplayName(role),
            user.FindFirstValue(SignInService.RegionClaim),
            Guid.Parse(user.FindFirstValue(AccessTokenAuthentication.TokenIdClaim)!, CultureInfo.InvariantCulture),
            [.. user.FindAll(AccessTokenAuthentication.ScopeClaim).Select(c => c.Value)],
            user.Regions()));
    }
}
