using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core.Accounts.Tokens;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>What the access token section shows after a post: the values sent, their problems, and a new token's text once.</summary>
public sealed record AccessTokenForm(
    string? Name = null, string? Scope = null, int? ExpiresInDays = null, IReadOnlyList<FieldError>? Errors = null, string? CreatedText = null, string? CreatedName = null)
{
    public static IReadOnlyList<int> ExpiryChoices { get; } = [7, 30, 90, 180, 365];

    public string? ErrorOf(string field) => Errors?.FirstOrDefault(e => e.Field == field)?.Message;
}

/// <summary>Personal access tokens for the API: create one (its text is shown once), revoke one.</summary>
internal sealed partial class PreferencesModel
{
    public AccessTokenForm Tokens { get; private set; } = new();

    public async Task<IActionResult> OnPostCreateTokenAsync(
        string? tokenName, string? tokenScope, int? tokenExpiresInDays, [FromServices] CreateAccessToken create, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        var result = await create.HandleAsync(new CreateAccessToken.Request(tokenName, tokenScope, tokenExpiresInDays), User.ToActor(), cancellationToken);

        // The e-mail preference is not part of this form: show it as saved, without its validation.
        ModelState.Clear();
        await OnGetAsync(cancellationToken);
        Tokens = new AccessTokenForm(tokenName, tokenScope, tokenExpiresInDays, result.Errors, result.Text, result.Token?.Name);

        // The token's text is in this response only: no cache may keep it.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeTokenAsync(Guid tokenId, [FromServices] RevokeAccessToken revoke, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revoke);
        TempData["Flash"] = await revoke.HandleAsync(new RevokeAccessToken.Request(tokenId), User.ToActor(), cancellationToken)
            ? t["Token revoked: it no longer works."].Value
            : t["That token was revoked already."].Value;
        return RedirectToPage();
    }
}
