using TIBS.Cases.Core.Localization;
namespace TIBS.Cases.Core.Accounts.TwoStep;

/// <summary>
/// The roles that must use two-step sign-in (<c>Authentication:RequireTwoStepFor</c>, administrators and coordinators
/// by default): after the password such a user without it is sent to enrol, and cannot turn it off. The host reads the
/// setting; the rule lives here so that every door applies it.
/// </summary>
public sealed record TwoStepRequirement(IReadOnlyList<string> Roles)
{
    public static TwoStepRequirement Default { get; } = new([Accounts.Roles.Administrator, Accounts.Roles.Coordinator]);

    public bool IsRequiredFor(string? role) => role is not null && Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>Why a user of <paramref name="role"/> cannot turn two-step sign-in off, in words.</summary>
    public static string CannotTurnOff(string role) =>
        Localized.Format("Your role ({0}) requires two-step sign-in, so it stays on. With a new phone or a lost one, sign in with a recovery code and ask an administrator to reset your two-step sign-in; you then set it up again.", Accounts.Roles.DisplayName(role));
}
