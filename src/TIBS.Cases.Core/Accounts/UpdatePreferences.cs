using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Accounts;

/// <summary>Sets the signed-in user's own e-mail preference: a mail per notification, or one daily digest.</summary>
public sealed class UpdatePreferences(IUserStore users, TimeProvider time)
{
    public const string Single = "single";
    public const string Digest = "digest";

    /// <summary><paramref name="EmailDelivery"/>: <see cref="Single"/> or <see cref="Digest"/>.</summary>
    public sealed record Request(string? EmailDelivery);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (request.EmailDelivery is not (Single or Digest))
        {
            const string problem = "Choose how you want to receive e-mails.";
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, problem) { FieldErrors = [new FieldError("EmailDelivery", problem)] };
        }

        if (actor.IsSystem || await users.FindByIdAsync(actor.UserId, cancellationToken) is null)
        {
            return CaseCommandResult.NotFound("Your account");
        }

        var digest = request.EmailDelivery == Digest;
        await users.SetEmailDigestAsync(actor.UserId, digest, time.UtcNow(), cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, digest
            ? "Preferences saved: you will get one daily summary e-mail."
            : "Preferences saved: you will get an e-mail for each notification.");
    }
}
