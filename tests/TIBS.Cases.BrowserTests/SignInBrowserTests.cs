using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TIBS.Cases.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class SignInBrowserTests(BrowserFixture fixture)
{
    [SkippableFact]
    public async Task A_demo_broker_signs_in_with_the_keyboard_and_sees_their_name_and_region()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("sign-in", async page =>
        {
            await page.GotoAsync("/");
            await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).First.ClickAsync();
            await page.GetByLabel("E-mail").FillAsync("broker.lv008@tibs.example");
            await page.GetByLabel("Password").FillAsync(BrowserFixture.DemoPassword);
            await page.GetByLabel("Password").PressAsync("Enter");

            await Assertions.Expect(page).ToHaveURLAsync(new Regex("^[^?#]*/work$"), new() { Timeout = 30_000 }); // a broker lands on My work
            var who = await page.Locator(".who").InnerTextAsync();
            Assert.Contains("Līga Bērziņa", who, StringComparison.Ordinal);
            Assert.Contains("LV008", who, StringComparison.Ordinal);
        });
    }

    [SkippableFact]
    public async Task A_wrong_password_shows_the_error_next_to_the_form()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("sign-in-wrong-password", async page =>
        {
            await page.GotoAsync("/account/sign-in");
            await page.GetByLabel("E-mail").FillAsync("coordinator@tibs.example");
            await page.GetByLabel("Password").FillAsync("wrong password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

            Assert.Equal("The e-mail address or password is not correct.", (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).Trim());
            Assert.Equal("coordinator@tibs.example", await page.GetByLabel("E-mail").InputValueAsync());
        });
    }
}
