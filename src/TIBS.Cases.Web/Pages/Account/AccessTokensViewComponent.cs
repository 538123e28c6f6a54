using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core.Accounts.Tokens;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>The access token section of the Preferences page: the user's tokens and the form to create one.</summary>
public sealed class AccessTokensViewComponent(ListAccessTokens list) : ViewComponent
{
    internal sealed record Model(IReadOnlyList<AccessTokenSummary> Tokens, AccessTokenForm Form);

    public async Task<IViewComponentResult> InvokeAsync(AccessTokenForm? form)
    {
        var tokens = await list.HandleAsync(UserClaimsPrincipal.ToActor(), HttpContext.RequestAborted);
        return View(new Model(tokens, form ?? new AccessTokenForm()));
    }
}
