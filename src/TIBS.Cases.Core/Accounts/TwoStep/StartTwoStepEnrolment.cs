using TIBS.Cases.Core.Localization;
namespace TIBS.Cases.Core.Accounts.TwoStep;

/// <summary>
/// Starts enrolment in two-step sign-in: a new secret, stored protected and not yet switched on, and what the user's
/// authenticator app needs (the otpauth URI for the QR code and the secret to type by hand).
/// </summary>
public sealed class StartTwoStepEnrolment(ITwoStepStore store, IUserStore users, ITwoStepSecretProtector protector, TimeProvider time)
{
    /// <param name="New">Make a new secret even when an enrolment is pending (otherwise the pending one is shown again).</param>
    public sealed record Request(bool New = true);

    /// <summary>The secret (grouped for reading) and the URI for the QR code, or why enrolment cannot start.</summary>
    public sealed record Result(string? Secret, string? Uri, string? Refusal)
    {
        public bool Started => Refusal is null;
    }

    public async Task<Result> HandleAsync(Request request, Cases.Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var user = actor.IsSystem ? null : await users.FindByIdAsync(actor.UserId, cancellationToken);
        if (user is not { IsActive: true })
        {
            return new Result(null, null, Localized.Text("Only a signed-in user sets up two-step sign-in."));
        }

        var existing = await store.FindAsync(user.Id, cancellationToken);
        if (existing is { IsEnabled: true })
        {
            return new Result(null, null, Localized.Text("Two-step sign-in is on already."));
        }

        string secret;
        if (existing is not null && !request.New)
        {
            secret = protector.Unprotect(existing.ProtectedSecret);
        }
        else
        {
            secret = TwoStepCodes.NewSecret();
            if (!await store.SavePendingAsync(user.Id, protector.Protect(secret), time.UtcNow(), cancellationToken))
            {
                return new Result(null, null, Localized.Text("Two-step sign-in is on already."));
            }
        }

        return new Result(TwoStepCodes.Grouped(secret), TwoStepCodes.EnrolmentUri(user.Email, secret), null);
    }
}
