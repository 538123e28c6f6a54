using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Accounts;

/// <summary>
/// The signed-in user changes their own display name, with a
/// line in the administration log in the same transaction. Nothing is saved when a field is wrong.
/// </summary>
public sealed class UpdateProfile(IUserStore users, IUserAdministrationStore store, TimeProvider time)
{
    public const int MaxDisplayNameLength = 200;

    public sealed record Request(string? DisplayName);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var problems = new List<FieldError>();
        var name = request.DisplayName?.Trim() ?? "";
        if (TextRules.Problem(Localized.Text("Your name"), name, MaxDisplayNameLength) is { } nameProblem)
        {
            problems.Add(new FieldError("DisplayName", nameProblem));
        }
        else if (name.Length == 0)
        {
            problems.Add(new FieldError("DisplayName", Localized.Text("Enter your name as colleagues should see it.")));
        }

        if (problems.Count > 0)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, problems.Count == 1 ? problems[0].Message : Localized.Text("Some fields need attention; nothing was saved.")) { FieldErrors = problems };
        }

        if (actor.IsSystem || await users.FindByIdAsync(actor.UserId, cancellationToken) is not { } user)
        {
            return CaseCommandResult.NotFound(Localized.Text("Your account"));
        }

        if (name == user.DisplayName)
        {
            return new CaseCommandResult(CaseCommandStatus.Done, Localized.Text("Nothing changed in your profile."));
        }

        string[] changes = [$"name {user.DisplayName} → {name}"];

        var entry = AdministrationRules.Entry(actor, AdministrationActions.OwnProfileChanged, user.Id,
            $"{user.DisplayName} changed their own profile: {string.Join("; ", changes)}.", time.GetUtcNow());
        await store.UpdateOwnProfileAsync(user.Id, name, entry, cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("Profile saved: name {0} → {1}.", user.DisplayName, name));
    }
}
