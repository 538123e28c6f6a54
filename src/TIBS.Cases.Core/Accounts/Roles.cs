namespace TIBS.Cases.Core.Accounts;

/// <summary>The four kinds of user. Stored as these lower-case names.</summary>
public static class Roles
{
    public const string Broker = "broker";
    public const string Coordinator = "coordinator";
    public const string Evaluator = "evaluator";
    public const string Administrator = "administrator";

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
