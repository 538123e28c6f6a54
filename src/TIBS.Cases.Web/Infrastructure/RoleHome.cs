using TIBS.Cases.Core.Accounts;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>Where each role starts: the page with its work, and the links its navigation shows.</summary>
internal static class RoleHome
{
    public sealed record Link(string Href, string Label, string ActivePrefix);

    /// <summary>The page a signed-in user of <paramref name="role"/> lands on.</summary>
    public static string For(string? role) => role switch
    {
        Roles.Broker => "/work",
        Roles.Coordinator => "/coordination",
        Roles.Evaluator => "/audit",
        Roles.Administrator => "/admin",
        _ => "/account/access-denied",
    };

    /// <summary>The main navigation of <paramref name="role"/>, its home first.</summary>
    public static IReadOnlyList<Link> Navigation(string? role) => role switch
    {
        Roles.Broker => [new("/work", "My work", "/work"), new("/cases", "Cases", "/cases"), new("/companies", "Companies", "/companies")],
        Roles.Coordinator => [new("/coordination", "Overview", "/coordination"), new("/cases", "Cases", "/cases"), new("/companies", "Companies", "/companies"),
            new("/definitions", "Definitions", "/definitions"), new("/coordination/training", "Training", "/coordination/training"), new("/indicators", "Indicators", "/indicators"), new("/audit/verify", "Audit", "/audit")],
        Roles.Evaluator => [new("/audit", "Audits", "/audit"), new("/cases", "Cases", "/cases"), new("/indicators", "Indicators", "/indicators"),
            new("/audit/verify", "Verify audit trails", "/audit/verify")],
        Roles.Administrator => [new("/admin", "Administration", "/admin"), new("/coordination/training", "Training", "/coordination/training"), new("/jobs", "Jobs", "/jobs"), new("/audit/verify", "Audit", "/audit")],
        _ => [],
    };
}
