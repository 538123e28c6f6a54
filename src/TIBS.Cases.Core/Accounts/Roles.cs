using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Accounts;

/// <summary>
/// The four kinds of user: the account roles of the one vocabulary (<see cref="WorkflowRole"/>), stored as its
/// lower-case names (<see cref="RoleNames"/>).
/// </summary>
public static class Roles
{
    public const string Broker = RoleNames.Broker;
    public const string Coordinator = RoleNames.Coordinator;
    public const string Evaluator = RoleNames.Evaluator;
    public const string Administrator = RoleNames.Administrator;

    public static IReadOnlyList<string> All { get; } = [Broker, Coordinator, Evaluator, Administrator];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    public static string DisplayName(string role) => role switch
    {
        Broker => "Innovation broker",
        Coordinator => "Partner coordinator",
        Evaluator => "Evaluator",
        Administrator => "Administrator",
        _ => role,
    };
}
