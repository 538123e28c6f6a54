using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>The rules every use case of user administration shares: who may act, what a role and its regions must be, the last administrator, the log line, the link mail.</summary>
internal static class AdministrationRules
{
    public static bool IsAdministrator(Actor actor) => !actor.IsSystem && actor.Role == WorkflowRole.Administrator;

    public static CaseCommandResult Forbidden() =>
        new(CaseCommandStatus.Forbidden, Localized.Text("Only administrators may manage users."));

    /// <summary>The user an administrator acts on, or the answer when the actor is no administrator or the user does not exist.</summary>
    public static async Task<(AdministeredUser? User, CaseCommandResult? Refusal)> TargetAsync(IUserAdministrationStore store, Actor actor, Guid userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!IsAdministrator(actor))
        {
            return (null, Forbidden());
        }

        var user = await store.FindAsync(userId, cancellationToken);
        return user is null ? (null, CaseCommandResult.NotFound(Localized.Text("The user"))) : (user, null);
    }

    public static AdministrationLogEntry Entry(Actor actor, string action, Guid? subject, string details, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OccurredAt = now,
        ActorId = actor.IsSystem ? null : actor.UserId,
        Action = action,
        SubjectUserId = subject,
        Details = details.Length > 2000 ? details[..2000] : details,
    };

    /// <summary>The problems of a role and its regions, each naming its field; empty when they are usable.</summary>
    public static async Task<List<FieldError>> AccessProblemsAsync(IReferenceDataStore reference, string? role, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        var problems = new List<FieldError>();
        if (!Roles.IsKnown(role))
        {
            problems.Add(new FieldError("Role", Localized.Format("Choose a role: {0}.", string.Join(", ", Roles.All.Select(Roles.DisplayName)))));
        }

        var known = (await reference.RegionsAsync(cancellationToken)).Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        var unknown = regions.Where(r => !known.Contains(r)).ToList();
        if (unknown.Count > 0)
        {
            problems.Add(new FieldError("Regions", Localized.Format("These regions are not partner regions: {0}.", string.Join(", ", unknown))));
        }
        else if (role == Roles.Broker && regions.Count == 0)
        {
            problems.Add(new FieldError("Regions", Localized.Text("A broker covers at least one region: choose one or more.")));
        }

        return problems;
    }

    /// <summary>
    /// The organisation chosen for a user, or the problem with the choice (field "OrganisationId"): it must be an active
    /// organisation; none chosen is a problem only when <paramref name="required"/>.
    /// </summary>
    public static async Task<(Organisation? Organisation, FieldError? Problem)> OrganisationAsync(IOrganisationStore organisations, Guid? id, bool required, CancellationToken cancellationToken)
    {
        if (id is not { } chosen || chosen == Guid.Empty)
        {
            return (null, required ? new FieldError("OrganisationId", Localized.Text("Choose the organisation the person belongs to.")) : null);
        }

        return await organisations.FindAsync(chosen, cancellationToken) switch
        {
            null => (null, new FieldError("OrganisationId", Localized.Text("The chosen organisation does not exist (any more): choose another one."))),
            { IsArchived: true } archived => (null, new FieldError("OrganisationId", Localized.Format("{0} is archived: choose an active organisation.", archived.Name))),
            { } found => (found, null),
        };
    }

    /// <summary>The active organisations, to choose from in the user forms.</summary>
    public static async Task<IReadOnlyList<Organisation>> ActiveOrganisationsAsync(IOrganisationStore organisations, CancellationToken cancellationToken) =>
        [.. (await organisations.ListAsync(cancellationToken)).Select(s => s.Organisation).Where(o => !o.IsArchived)];

    /// <summary>The distinct, trimmed region codes in the order given.</summary>
    public static IReadOnlyList<string> Clean(IEnumerable<string?>? regions) =>
        [.. (regions ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r!.Trim()).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The refusal when <paramref name="user"/> is the last active administrator and would stop being one, read before
    /// the write to answer early; the store decides again under a lock when it writes (two administrators acting at once).
    /// </summary>
    public static async Task<CaseCommandResult?> LastAdministratorAsync(IUserAdministrationStore store, UserAccount user, string doing, CancellationToken cancellationToken)
    {
        if (user.Role != Roles.Administrator || !user.IsActive || await store.CountActiveAdministratorsAsync(cancellationToken) > 1)
        {
            return null;
        }

        return LastAdministrator(user, doing);
    }

    /// <summary>The refusal in words when <paramref name="user"/> is the last active administrator.</summary>
    public static CaseCommandResult LastAdministrator(UserAccount user, string doing) =>
        new(CaseCommandStatus.Refused, doing == Deactivation
            ? Localized.Format("{0} is the last active administrator and cannot be deactivated: make another user an administrator first.", user.DisplayName)
            : Localized.Format("{0} is the last active administrator and cannot lose the administrator role: make another user an administrator first.", user.DisplayName));

    /// <summary>What the last administrator would go through: being deactivated, or losing the role (<see cref="RoleLoss"/>).</summary>
    public const string Deactivation = "deactivation";

    /// <summary>The last administrator would lose the administrator role.</summary>
    public const string RoleLoss = "role-loss";

    /// <summary>A role and its regions in English, for the administration log.</summary>
    public static string Describe(string role, IReadOnlyList<string> regions) =>
        Roles.EnglishName(role) + (regions.Count == 0 ? ", no region" : $", {(regions.Count == 1 ? "region" : "regions")} {string.Join(", ", regions)}");

    /// <summary>A role and its regions in the reader's language.</summary>
    public static string DescribeShown(string role, IReadOnlyList<string> regions) => regions.Count switch
    {
        0 => Localized.Format("{0}, no region", Roles.DisplayName(role)),
        1 => Localized.Format("{0}, region {1}", Roles.DisplayName(role), regions[0]),
        _ => Localized.Format("{0}, regions {1}", Roles.DisplayName(role), string.Join(", ", regions)),
    };

    /// <summary>A new link for <paramref name="user"/> and its token (the token is only ever in the mail).</summary>
    public static (UserLink Link, string Token) NewLink(Guid userId, string purpose, Actor actor, DateTimeOffset now, UserLinkSettings settings)
    {
        var token = UserLinkTokens.NewToken();
        return (new UserLink
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            Purpose = purpose,
            TokenHash = UserLinkTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = now + settings.Lifetime,
            CreatedBy = actor.IsSystem ? null : actor.UserId,
        }, token);
    }

    /// <summary>
    /// E-mails a one-time link to its user through the product's e-mail sender. Returns null when the mail went, or
    /// the sender's reason why not: the link is saved either way, and a new one can be sent once mail works again.
    /// </summary>
    public static async Task<string?> TrySendLinkAsync(IEmailSender mail, UserLinkSettings settings, UserAccount user, UserLink link, string token, CancellationToken cancellationToken)
    {
        try
        {
            await SendLinkAsync(mail, settings, user, link, token, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ex.Message.Trim().TrimEnd('.');
        }
    }

    /// <summary>The link's mail, in the user's language and time zone (decision 0048: English when they chose none).</summary>
    private static Task SendLinkAsync(IEmailSender mail, UserLinkSettings settings, UserAccount user, UserLink link, string token, CancellationToken cancellationToken)
    {
        var url = $"{settings.BaseUrl.TrimEnd('/')}/account/set-password?token={Uri.EscapeDataString(token)}";
        using var language = CultureScope.Of(Notifications.NotificationMailer.MailLanguage(user));
        var zone = TimeZones.Resolve(user.TimeZone, user.RegionCode);
        var expires = Display.MessageDates.TimeWithZone(link.ExpiresAt, zone);
        var (subject, opening) = link.Purpose == UserLinkPurposes.Invitation
            ? (Localized.Text("You are invited to TIBS.Cases"), Localized.Format("You have been invited to TIBS.Cases as {0}. Set your password to start:", Roles.DisplayName(user.Role)))
            : (Localized.Text("Set a new password for TIBS.Cases"), Localized.Text("An administrator sent you a link to set a new password for TIBS.Cases:"));
        var body = string.Join(
            Environment.NewLine,
            Localized.Format("Hello {0},", user.DisplayName),
            "",
            opening,
            "",
            url,
            "",
            Localized.Format("The link works once and until {0}. If it has run out, ask an administrator for a new one.", expires));
        return mail.SendAsync(new EmailMessage(user.Email, user.DisplayName, subject, body, $"user-link-{link.Id:N}@{settings.MessageIdDomain}"), cancellationToken);
    }
}
