using System.Net.Mail;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>
/// Invites a person: creates their account without a password, with a role and regions, and e-mails them a one-time
/// link (valid <see cref="UserLinkSettings.Lifetime"/>) to set their password. Only the link's hash is stored.
/// </summary>
public sealed class InviteUser(IUserAdministrationStore store, IUserStore users, IReferenceDataStore reference, IOrganisationStore organisations, IEmailSender mail, UserLinkSettings settings, TimeProvider time)
{
    /// <param name="OrganisationId">The organisation the person belongs to: required once any organisation exists.</param>
    public sealed record Request(string? Email, string? DisplayName, string? Role, IReadOnlyList<string?>? Regions, Guid? OrganisationId = null);

    /// <summary>What the invitation form offers: the partner regions and the active organisations.</summary>
    public sealed record Form(IReadOnlyList<Region> Regions, IReadOnlyList<Organisation> Organisations);

    /// <summary>The choices of the form; null when the actor is no administrator.</summary>
    public async Task<Form?> FormAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return AdministrationRules.IsAdministrator(actor)
            ? new Form(await reference.RegionsAsync(cancellationToken), await AdministrationRules.ActiveOrganisationsAsync(organisations, cancellationToken))
            : null;
    }

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AdministrationRules.IsAdministrator(actor))
        {
            return AdministrationRules.Forbidden();
        }

        var regions = AdministrationRules.Clean(request.Regions);
        var email = request.Email?.Trim() ?? "";
        var name = request.DisplayName?.Trim() ?? "";
        var problems = new List<FieldError>();
        if (email.Length == 0 || email.Length > 320 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            problems.Add(new FieldError("Email", Localized.Text("Enter the person's e-mail address, such as name@example.org.")));
        }
        else if (await users.FindByEmailAsync(email, cancellationToken) is not null)
        {
            problems.Add(new FieldError("Email", Localized.Text("A user with this e-mail address exists already.")));
        }

        if (TextRules.ForbiddenCharacter(name) is { } forbidden)
        {
            problems.Add(new FieldError("DisplayName", Localized.Format("The name contains {0}, which cannot be stored; remove it.", forbidden)));
        }
        else if (name.Length is 0 or > 200)
        {
            problems.Add(new FieldError("DisplayName", Localized.Text("Enter the person's name (at most 200 characters).")));
        }

        problems.AddRange(await AdministrationRules.AccessProblemsAsync(reference, request.Role, regions, cancellationToken));
        var (organisation, organisationProblem) = await AdministrationRules.OrganisationAsync(
            organisations, request.OrganisationId, required: await organisations.AnyAsync(cancellationToken), cancellationToken);
        if (organisationProblem is not null)
        {
            problems.Add(organisationProblem);
        }

        if (problems.Count > 0)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, problems[0].Message) { FieldErrors = problems };
        }

        var now = time.GetUtcNow();
        var user = new UserAccount
        {
            Id = Guid.CreateVersion7(now),
            Email = UserAccount.NormalizeEmail(email),
            DisplayName = name,
            Role = request.Role!,
            RegionCode = regions.Count > 0 ? regions[0] : null,
            OrganisationId = organisation?.Id,
            PasswordHash = "",
            SecurityStamp = UserLinkTokens.NewSecurityStamp(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var (link, token) = AdministrationRules.NewLink(user.Id, UserLinkPurposes.Invitation, actor, now, settings);
        var entry = AdministrationRules.Entry(actor, AdministrationActions.Invited, user.Id,
            $"Invited {user.DisplayName} <{user.Email}> as {AdministrationRules.Describe(user.Role, regions)}, {(organisation is null ? "no organisation" : "organisation " + organisation.Name)}; the link runs out at {link.ExpiresAt:yyyy-MM-dd HH:mm} UTC.", now);
        await store.CreateInvitedAsync(user, regions, link, entry, cancellationToken);
        var failure = await AdministrationRules.TrySendLinkAsync(mail, settings, user, link, token, cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, failure is null
            ? Localized.Format("{0} is invited: an e-mail with a link to set a password went to {1}.", user.DisplayName, user.Email)
            : Localized.Format("{0} is invited, but the e-mail to {1} could not be sent ({2}). Send a new link from {0}'s page once mail works again.", user.DisplayName, user.Email, failure));
    }
}
