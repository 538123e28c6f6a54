using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
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
        if (TextRules.Problem("Your name", name, MaxDisplayNameLength) is { } nameProblem)
        {
            problems.Add(new FieldError("DisplayName", nameProblem));
        }
        else if (name.Length == 0)
        {
            problems.Add(new FieldError("DisplayName", "Enter your name as colleagues should see it."));
        }

        if (problems.Count > 0)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, problems.Count == 1 ? problems[0].Message : "Some fields need attention; nothing was saved.") { FieldErrors = problems };
        }

        if (actor.IsSystem || await users.FindByIdAsync(actor.UserId, cancellationToken) is not { } user)
        {
            return CaseCommandResult.NotFound("Your account");
        }

        var changes = new List<string>();
        if (name != user.DisplayName)
        {
            changes.Add($"name {user.DisplayName} → {name}");
        }

        if (changes.Count == 0)
        {
            return new CaseCommandResult(CaseCommandStatus.Done, "Nothing changed in your profile.");
        }

        var entry = AdministrationRules.Entry(actor, AdministrationActions.OwnProfileChanged, user.Id,
            $"{user.DisplayName} changed their own profile: {string.Join("; ", changes)}.", time.GetUtcNow());
        await store.UpdateOwnProfileAsync(user.Id, name, entry, cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, $"Profile saved: {string.Join("; ", changes)}.");
    }
}
