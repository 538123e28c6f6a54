using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Accounts;

/// <summary>
/// The language switch on every page: the signed-in user's interface language becomes <see cref="Request.Language"/>
/// (kept for their next sign-in on any device). Anonymous visitors' choice lives in a cookie only.
/// </summary>
public sealed class ChooseLanguage(IUserStore users, TimeProvider time)
{
    public sealed record Request(string? Language);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!Languages.IsKnown(request.Language))
        {
            var problem = Localized.Format("Choose a language from the list: {0}.", string.Join(", ", Languages.All.Select(l => l.Name)));
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, problem) { FieldErrors = [new FieldError("Language", problem)] };
        }

        if (actor.IsSystem || await users.FindByIdAsync(actor.UserId, cancellationToken) is not { } user)
        {
            return CaseCommandResult.NotFound(Localized.Text("Your account"));
        }

        if (user.Language != request.Language)
        {
            await users.SetLanguageAndTimeZoneAsync(user.Id, request.Language, user.TimeZone, time.GetUtcNow(), cancellationToken);
        }

        using var scope = CultureScope.Of(request.Language);
        return new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("The interface is now in {0}.", Languages.Name(request.Language)));
    }
}
