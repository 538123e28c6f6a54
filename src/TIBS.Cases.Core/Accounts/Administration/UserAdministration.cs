using System.Security.Cryptography;
using System.Text;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>What a one-time link is for.</summary>
internal static class UserLinkPurposes
{
    public const string Invitation = "invitation";
    public const string PasswordReset = "password-reset";
}

/// <summary>A one-time link as stored: never its token, only the token's SHA-256.</summary>
public sealed record UserLink
{
    public required Guid Id { get; init; }
    public required Guid UserId { get; init; }
    public required string Purpose { get; init; }
    public required string TokenHash { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; init; }
    public Guid? CreatedBy { get; init; }
}

/// <summary>One line of the administration log: who did what about whom, in words; never a password or a token.</summary>
public sealed record AdministrationLogEntry
{
    public required Guid Id { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The administrator who acted; null for the system (the invitee setting their own password counts as the subject).</summary>
    public Guid? ActorId { get; init; }
    public required string Action { get; init; }
    public Guid? SubjectUserId { get; init; }
    public required string Details { get; init; }
}

/// <summary>The names of the actions in the administration log.</summary>
public static class AdministrationActions
{
    public const string Invited = "invited";
    public const string AccessChanged = "access-changed";
    public const string Deactivated = "deactivated";
    public const string Reactivated = "reactivated";
    public const string PasswordResetSent = "password-reset-sent";
    public const string PasswordSet = "password-set";
    public const string OwnPasswordChanged = "own-password-changed";
    public const string OwnProfileChanged = "own-profile-changed";
    public const string TwoStepEnabled = "two-step-enabled";
    public const string TwoStepDisabled = "two-step-disabled";
    public const string TwoStepReset = "two-step-reset";
    public const string RecoveryCodesRenewed = "recovery-codes-renewed";
    public const string RecoveryCodeUsed = "recovery-code-used";
    public const string OrganisationSet = "organisation-set";
    public const string OrganisationAdded = "organisation-added";
    public const string OrganisationChanged = "organisation-changed";
    public const string OrganisationArchived = "organisation-archived";
    public const string OrganisationRestored = "organisation-restored";
    public const string OrganisationDeleted = "organisation-deleted";
    public const string PersonalDataErased = "personal-data-erased";
    public const string BackupStarted = "backup-started";
    public const string BackupWritten = "backup-written";
    public const string BackupFailed = "backup-failed";

    public static string DisplayName(string action) => action switch
    {
        Invited => Localized.Text("Invited"),
        PersonalDataErased => Localized.Text("Personal data erased"),
        BackupStarted => Localized.Text("Backup asked for"),
        BackupWritten => Localized.Text("Backup written"),
        BackupFailed => Localized.Text("Backup failed"),
        AccessChanged => Localized.Text("Role or regions changed"),
        Deactivated => Localized.Text("Deactivated"),
        Reactivated => Localized.Text("Reactivated"),
        PasswordResetSent => Localized.Text("Password reset link sent"),
        PasswordSet => Localized.Text("Password set through a link"),
        OwnPasswordChanged => Localized.Text("Changed their own password"),
        OwnProfileChanged => Localized.Text("Changed their own profile"),
        TwoStepEnabled => Localized.Text("Two-step sign-in turned on"),
        TwoStepDisabled => Localized.Text("Two-step sign-in turned off"),
        TwoStepReset => Localized.Text("Two-step sign-in reset by an administrator"),
        RecoveryCodesRenewed => Localized.Text("New recovery codes made"),
        RecoveryCodeUsed => Localized.Text("Recovery code used to sign in"),
        OrganisationSet => Localized.Text("Organisation of a user set"),
        OrganisationAdded => Localized.Text("Organisation added"),
        OrganisationChanged => Localized.Text("Organisation changed"),
        OrganisationArchived => Localized.Text("Organisation archived"),
        OrganisationRestored => Localized.Text("Organisation brought back"),
        OrganisationDeleted => Localized.Text("Organisation deleted"),
        Absences.AbsenceActions.Recorded => Localized.Text("Absence recorded"),
        Absences.AbsenceActions.Ended => Localized.Text("Absence ended early"),
        Absences.AbsenceActions.Deleted => Localized.Text("Absence deleted"),
        SingleSignOn.SingleSignOnActions.Linked => Localized.Text("Linked to single sign-on at the first sign-in"),
        SingleSignOn.SingleSignOnActions.Refused => Localized.Text("Single sign-on refused"),
        SingleSignOn.SingleSignOnActions.Unlinked => Localized.Text("Single sign-on link removed"),
        Training.TrainingActions.ModuleAdded => Localized.Text("Training module added"),
        Training.TrainingActions.ModuleChanged => Localized.Text("Training module changed"),
        Training.TrainingActions.CompletionRecorded => Localized.Text("Training recorded"),
        Definitions.TranslationActions.Saved => Localized.Text("Definition translation saved"),
        _ => action,
    };
}

/// <summary>A user as the administrators' list shows them.</summary>
public sealed record AdministeredUser(UserAccount Account, IReadOnlyList<string> Regions, DateTimeOffset? LastSignInAt)
{
    /// <summary>The name of the user's organisation; null when they have none yet.</summary>
    public string? OrganisationName { get; init; }

    /// <summary>Invited and no password set yet.</summary>
    public bool IsPending => string.IsNullOrEmpty(Account.PasswordHash);
}

/// <summary>The filters of the users list; null means any.</summary>
/// <param name="OrganisationId">Only the users of this organisation.</param>
/// <param name="WithoutOrganisation">Only the users who belong to no organisation yet.</param>
public sealed record UserFilter(string? Role = null, string? RegionCode = null, bool? Active = null, Guid? OrganisationId = null, bool WithoutOrganisation = false);

/// <summary>One log line with the names of the people it speaks of.</summary>
public sealed record AdministrationLogLine(AdministrationLogEntry Entry, string? ActorName, string? SubjectName);

/// <summary>Persistence of the administration of users. Each write that changes a user also appends its log line, in one transaction.</summary>
public interface IUserAdministrationStore
{
    Task<IReadOnlyList<AdministeredUser>> ListAsync(UserFilter filter, CancellationToken cancellationToken = default);

    Task<AdministeredUser?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    Task<int> CountActiveAdministratorsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates the invited user (no password yet), their regions, the invitation link and the log line.</summary>
    Task CreateInvitedAsync(UserAccount user, IReadOnlyList<string> regions, UserLink link, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets role and regions (users.region_code becomes the first region) and a new security stamp. False, with nothing
    /// written, when the user is an active administrator, loses the role and no other active administrator remains:
    /// decided under a lock, so concurrent changes cannot together remove the last one.
    /// </summary>
    Task<bool> SetAccessAsync(Guid userId, string role, IReadOnlyList<string> regions, string securityStamp, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Sets the organisation the user belongs to.</summary>
    Task SetOrganisationAsync(Guid userId, Guid organisationId, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Activates or deactivates the user. Deactivating answers false, with nothing written, when the user is the last
    /// active administrator: decided under a lock, so concurrent deactivations cannot together remove the last one.
    /// </summary>
    Task<bool> SetActiveAsync(Guid userId, bool active, string securityStamp, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    Task AddLinkAsync(UserLink link, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    Task<UserLink?> FindLinkAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the link used and sets the user's password and security stamp, only if the link was still unused and
    /// unexpired at <paramref name="now"/>; false (nothing written) otherwise.
    /// </summary>
    Task<bool> RedeemLinkAsync(Guid linkId, DateTimeOffset now, string passwordHash, string securityStamp, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Sets the user's own display name and interface language, with the log line.</summary>
    Task UpdateOwnProfileAsync(Guid userId, string displayName, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the user's password and security stamp, ends every session of theirs but <paramref name="keepSessionId"/>
    /// and writes the log line, in one transaction; returns how many sessions ended.
    /// </summary>
    Task<int> ChangeOwnPasswordAsync(Guid userId, string passwordHash, string securityStamp, Guid keepSessionId, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The newest lines first, at most <paramref name="limit"/>; only about <paramref name="subjectUserId"/> when given.</summary>
    Task<IReadOnlyList<AdministrationLogLine>> ListLogAsync(int limit, Guid? subjectUserId = null, CancellationToken cancellationToken = default);
}

/// <summary>Hashes a password the way sign-in checks it, and checks one (the host provides it).</summary>
public interface IPasswordHashing
{
    string Hash(UserAccount user, string password);

    /// <summary>Whether <paramref name="password"/> is the user's password (false for a user without one).</summary>
    bool Verifies(UserAccount user, string password);
}

/// <summary>Where links in mails point to and how long a one-time link lives.</summary>
public sealed record UserLinkSettings
{
    /// <summary>Address of the application as users reach it.</summary>
    public string BaseUrl { get; init; } = "http://localhost:5080";

    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(72);

    /// <summary>The right-hand side of the mails' message ids.</summary>
    public string MessageIdDomain { get; init; } = "tibs.example";
}

/// <summary>The random token of a one-time link and its stored SHA-256.</summary>
internal static class UserLinkTokens
{
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token ?? "")));

    public static string NewSecurityStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
