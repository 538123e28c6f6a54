using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace TIBS.Cases.IntegrationTests.Infrastructure;

/// <summary>Follows real HTML forms the way a browser would: every field it renders (antiforgery token included) is posted.</summary>
public static class HtmlForms
{
    private static readonly HtmlParser Parser = new();

    public static async Task<IHtmlDocument> GetDocumentAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}");
        return await ParseAsync(response);
    }

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    /// <summary>Submits the form found by <paramref name="formSelector"/> with the given field values.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(
        this HttpClient client, IHtmlDocument page, string pageUrl, IReadOnlyDictionary<string, string> values, string formSelector = "main form")
    {
        var form = page.QuerySelector(formSelector) as IHtmlFormElement ?? throw new InvalidOperationException($"No form '{formSelector}' on {pageUrl}.");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Type is not ("submit" or "button" or "checkbox" or "radio"):
                    fields.Add(new(input.Name, values.TryGetValue(input.Name, out var v) ? v : input.Value));
                    break;
                case IHtmlInputElement box when !string.IsNullOrEmpty(box.Name) && box.Type is "checkbox" or "radio":
                    if (box.IsChecked || (values.TryGetValue(box.Name!, out var bv) && bv == box.Value))
                    {
                        fields.Add(new(box.Name!, box.Value));
                    }

                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    fields.Add(new(area.Name, values.TryGetValue(area.Name, out var av) ? av : area.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    fields.Add(new(select.Name, values.TryGetValue(select.Name, out var sv) ? sv : select.Value ?? ""));
                    break;
            }
        }

        foreach (var extra in values.Where(v => fields.All(f => f.Key != v.Key)))
        {
            throw new InvalidOperationException($"The form on {pageUrl} has no field '{extra.Key}'.");
        }

        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? pageUrl : action;
        return await client.PostAsync(target, new FormUrlEncodedContent(fields));
    }

    /// <summary>
    /// Signs in through the form with a client that has no cookie jar (so Secure cookies over http:// and copies of
    /// a cookie can be handled by the test): the sign-in response and the antiforgery cookie ("name=value") it used.
    /// </summary>
    public static async Task<(HttpResponseMessage Response, string AntiforgeryCookie)> SignInWithoutCookieJarAsync(this HttpClient client, string email, string password)
    {
        var form = await client.GetAsync("/account/sign-in");
        var page = await ParseAsync(form);
        var antiforgery = SetCookie(form, "tibs.af");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = email,
                ["Password"] = password,
                ["__RequestVerificationToken"] = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
            }),
        };
        post.Headers.Add("Cookie", antiforgery);
        return (await client.SendAsync(post), antiforgery);
    }

    /// <summary>"name=value" of the cookie <paramref name="name"/> that the response sets.</summary>
    public static string SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Select(h => h.Split(';')[0]).Single(c => c.StartsWith(name + "=", StringComparison.Ordinal));
}
