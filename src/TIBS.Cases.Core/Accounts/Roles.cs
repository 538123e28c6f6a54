using TIBS.Cases.Core.Localization;
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

    public static bool IsKnown(string? role) => TryParse(role, out _);

    /// <summary>The role of an account or a sign-in's claim as the domain speaks of it (<see cref="Cases.Actor.Role"/>).</summary>
    public static bool TryParse(string? stored, out WorkflowRole role) =>
        WorkflowNames.TryParseRole(stored, out role) && role != WorkflowRole.PartnerBroker;

    /// <summary>As <see cref="TryParse"/>; a stored name that is no kind of user is a fault of the data, not of a request.</summary>
    public static WorkflowRole Parse(string? stored) => TryParse(stored, out var role)
        ? role
        : throw new ArgumentException($"'{stored}' is not the role of a user; it is one of: {string.Join(", ", All)}.", nameof(stored));

    /// <summary>The stored name of a kind of user.</summary>
    public static string Name(WorkflowRole role) => role.ToName();

    /// <summary>The role in the reader's language ("Innovation broker").</summary>
    public static string DisplayName(string role) => IsKnown(role) ? Localized.Text(EnglishName(role)) : role;

    /// <summary>The role as a noun inside a sentence, in the reader's language ("innovation broker").</summary>
    public static string InSentence(string role) => role switch
    {
        Broker => Localized.InSentence("Innovation broker"),
        Coordinator => Localized.InSentence("Partner coordinator"),
        Evaluator => Localized.InSentence("Evaluator"),
        Administrator => Localized.InSentence("Administrator"),
        _ => role,
    };

    /// <summary>The role in English, for records written once (administration log details).</summary>
    public static string EnglishName(string role) => role switch
    {
        Broker => "Innovation broker",
        Coordinator => "Partner coordinator",
        Evaluator => "Evaluator",
        Administrator => "Administrator",
        _ => role,
    };
}
