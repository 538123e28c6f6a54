using System.Security.Claims;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>The signed-in user as the domain sees them.</summary>
internal static class CurrentUser
{
    /// <summary>
    /// The signed-in user as an actor. Every way in lets only a known role through (sign-in, the session check on each
    /// request, access tokens), so an unknown role here is a fault, not a request to refuse.
    /// </summary>
    public static Actor ToActor(this ClaimsPrincipal user) => Actor.Covering(
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : Guid.Empty,
        Roles.Parse(user.FindFirstValue(ClaimTypes.Role)),
        user.Regions());

    /// <summary>Every region the signed-in user covers (one claim each), the home region first.</summary>
    public static IReadOnlyList<string> Regions(this ClaimsPrincipal user) =>
        [.. user.FindAll(SignInService.RegionClaim).Select(c => c.Value)];
}

/// <summary>Names of the role policies; every page folder is bound to one in <see cref="Program"/>.</summary>
internal static class Policies
{
    /// <summary>Brokers, coordinators and evaluators: the people who work with cases and companies.</summary>
    public const string CaseWork = "case-work";

    /// <summary>Brokers and coordinators: may change cases and companies.</summary>
    public const string CaseWrite = "case-write";
    public const string Broker = "broker";
    public const string Coordinator = "coordinator";

    /// <summary>Evaluators and coordinators: audit and indicators; administrators too (audit verification).</summary>
    public const string Audit = "audit";
    public const string Administrator = "administrator";

    /// <summary>Coordinators and administrators: maintain the partner organisations.</summary>
    public const string Organisations = "organisations";

    /// <summary>Coordinators and administrators: the training catalogue and the brokers' training records.</summary>
    public const string Training = "training";
}
