using AngleSharp.Html.Dom;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>Posting the generated forms of the case page like a browser: every field, the chosen submit button, files.</summary>
public static class CaseForms
{
    /// <summary>
    /// Posts the form <paramref name="formSelector"/> as multipart with the fields it renders (overridden by
    /// <paramref name="values"/>; several values for check boxes), the clicked button and optional files.
    /// </summary>
    public static async Task<HttpResponseMessage> PostAsync(
        HttpClient client, IHtmlDocument page, string formSelector, IReadOnlyDictionary<string, string[]> values,
        (string Name, string Value)? button = null, IReadOnlyDictionary<string, (string FileName, byte[] Content)>? files = null)
    {
        var form = page.QuerySelector(formSelector) as IHtmlFormElement ?? throw new InvalidOperationException($"No form {formSelector}.");
        var content = new MultipartFormDataContent();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in form.Elements)
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name) || element is IHtmlButtonElement || (element is IHtmlInputElement { Type: "file" }))
            {
                continue;
            }

            if (values.TryGetValue(name, out var chosen))
            {
                if (seen.Add(name))
                {
                    foreach (var v in chosen)
                    {
                        content.Add(new StringContent(v), name);
                    }
                }

                continue;
            }

            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio" } box:
                    if (box.IsChecked)
                    {
                        content.Add(new StringContent(box.Value), name);
                    }

                    break;
                case IHtmlInputElement input:
                    content.Add(new StringContent(input.Value), name);
                    break;
                case IHtmlTextAreaElement area:
                    content.Add(new StringContent(area.Value), name);
                    break;
                case IHtmlSelectElement select:
                    content.Add(new StringContent(select.Value ?? ""), name);
                    break;
            }
        }

        foreach (var key in values.Keys.Where(k => !seen.Contains(k)))
        {
            throw new InvalidOperationException($"The form {formSelector} has no field '{key}'.");
        }

        if (button is { } b)
        {
            content.Add(new StringContent(b.Value), b.Name);
        }

        foreach (var (field, file) in files ?? new Dictionary<string, (string, byte[])>())
        {
            content.Add(new ByteArrayContent(file.Content), field, file.FileName);
        }

        var action = form.GetAttribute("action") ?? "";
        return await client.PostAsync(action, content);
    }

    public static Dictionary<string, string[]> Values(params (string Key, string Value)[] values) =>
        values.GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Select(v => v.Value).ToArray());

    public static async Task<HttpClient> SignedInAsync(TibsWebFactory factory, string email)
    {
        var client = factory.CreateClient();
        var page = await client.GetDocumentAsync("/account/sign-in");
        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });
        var home = await HtmlForms.ParseAsync(response);
        Assert.NotNull(home.QuerySelector(".who"));
        return client;
    }
}
