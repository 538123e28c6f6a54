using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Accounts;

/// <summary>
/// Sets the signed-in user's own preferences: a mail per notification or one daily digest, the interface language
/// (or the browser's), and the time zone times are shown in (or the home region's). Nothing is saved when a field is wrong.
/// </summary>
public sealed class UpdatePreferences(IUserStore users, TimeProvider time)
{
    public const string Single = "single";
    public const string Digest = "digest";

    /// <summary>The value of <see cref="Request.Language"/> and <see cref="Request.TimeZone"/> that means "not chosen".</summary>
    public const string Automatic = "";

    /// <summary>
    /// <paramref name="EmailDelivery"/>: <see cref="Single"/> or <see cref="Digest"/>. <paramref name="Language"/>: one of
    /// <see cref="Languages.Codes"/>, or empty for the browser's; null leaves it as it is. <paramref name="TimeZone"/>: an
    /// IANA id, or empty for the home region's; null leaves it as it is.
    /// </summary>
    public sealed record Request(string? EmailDelivery, string? Language = null, string? TimeZone = null);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var problems = new List<FieldError>();
        if (request.EmailDelivery is not (Single or Digest))
        {
            problems.Add(new FieldError("EmailDelivery", Localized.Text("Choose how you want to receive e-mails.")));
        }

        if (request.Language is { Length: > 0 } language && !Languages.IsKnown(language))
        {
            problems.Add(new FieldError("Language", Localized.Format("Choose a language from the list: {0}.", string.Join(", ", Languages.All.Select(l => l.Name)))));
        }

        if (request.TimeZone is { Length: > 0 } zone && !TimeZones.IsKnown(zone))
        {
            problems.Add(new FieldError("TimeZone", Localized.Format("\"{0}\" is not a time zone this system knows: choose one from the list.", zone.Length > 64 ? zone[..64] + "…" : zone)));
        }

        if (problems.Count > 0)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, problems.Count == 1 ? problems[0].Message : Localized.Text("Some fields need attention; nothing was saved.")) { FieldErrors = problems };
        }

        if (actor.IsSystem || await users.FindByIdAsync(actor.UserId, cancellationToken) is not { } user)
        {
            return CaseCommandResult.NotFound(Localized.Text("Your account"));
        }

        var digest = request.EmailDelivery == Digest;
        var now = time.GetUtcNow();
        await users.SetEmailDigestAsync(actor.UserId, digest, now, cancellationToken);
        var newLanguage = request.Language is null ? user.Language : request.Language.Length == 0 ? null : request.Language;
        var newZone = request.TimeZone is null ? user.TimeZone : request.TimeZone.Length == 0 ? null : request.TimeZone;
        if (newLanguage != user.Language || newZone != user.TimeZone)
        {
            await users.SetLanguageAndTimeZoneAsync(actor.UserId, newLanguage, newZone, now, cancellationToken);
        }

        // The confirmation is written in the language just chosen.
        using var scope = newLanguage is null ? null : CultureScope.Of(newLanguage);
        return new CaseCommandResult(CaseCommandStatus.Done, digest
            ? Localized.Text("Preferences saved: you will get one daily summary e-mail.")
            : Localized.Text("Preferences saved: you will get an e-mail for each notification."));
    }
}
