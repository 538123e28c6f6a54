using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Benchmarks;

/// <summary>The kinds of request a simulated broker makes, timed apart.</summary>
internal static class RequestKinds
{
    public const string MyWork = "my work";
    public const string CasePage = "case page";
    public const string CompleteStep = "complete step";
    public const string SignIn = "sign-in";
    public const string OpenCase = "open case";
}

/// <summary>One timed request: its kind, how long until the whole answer was read, and how it ended.</summary>
internal sealed record Timed(string Kind, double Ms, int Status, bool Conflict, string? Error, DateTimeOffset At);

/// <summary>
/// A broker in a browser: a cookie container, the sign-in page's form (antiforgery token read from it), My work, the
/// case page, and the step form posted as multipart/form-data with the fields filled, the case's version and the
/// token read from the page. Redirects are not followed, so a completion is timed alone (302 = done, 409 = somebody
/// else's change came first).
/// </summary>
internal sealed partial class SimulatedBroker : IDisposable
{
    private readonly HttpClient client;
    private readonly CookieContainer cookies = new();

    public SimulatedBroker(string email, string password, string baseUrl)
    {
        Email = email;
        Password = password;
        client = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
    }

    public string Email { get; }

    public string Password { get; }

    public CookieContainer Cookies => cookies;

    public List<Timed> Log { get; } = [];

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("<input type=\"hidden\" name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex Version();

    [GeneratedRegex("id=\"step-form\"")]
    private static partial Regex StepForm();

    [GeneratedRegex("tibs_[A-Za-z0-9_\\-]{20,}")]
    private static partial Regex TokenText();

    /// <summary>Signs in through the sign-in page; throws when the answer is not a redirect away from it.</summary>
    public async Task SignInAsync()
    {
        var page = await GetAsync(RequestKinds.SignIn, "/account/sign-in");
        var (status, location, _) = await PostAsync(RequestKinds.SignIn, "/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = Email,
            ["Password"] = Password,
            ["__RequestVerificationToken"] = Token(page.Body),
        }));
        if (status != 302 || location?.Contains("sign-in", StringComparison.OrdinalIgnoreCase) == true)
        {
            throw new InvalidOperationException($"{Email} could not sign in: {status} {location}");
        }
    }

    /// <summary>Opens a case for the company through the New case page; returns the case's id.</summary>
    public async Task<Guid> OpenCaseAsync(Guid companyId)
    {
        var form = await GetAsync(RequestKinds.OpenCase, "/cases/new");
        var (status, location, body) = await PostAsync(RequestKinds.OpenCase, "/cases/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["company"] = companyId.ToString(),
            ["title"] = "",
            ["__RequestVerificationToken"] = Token(form.Body),
        }));
        var path = location is null ? null : new Uri(client.BaseAddress!, location).AbsolutePath;
        return status == 302 && path is not null && Guid.TryParse(path["/cases/".Length..], out var id) ? id
            : throw new InvalidOperationException($"{Email} could not open a case: {status} {location} {Snippet(body)}");
    }

    /// <summary>
    /// Takes the case through the route (one completion per step): My work, the case page, the step form. A conflict
    /// reads the page again and posts once more; any other error is logged and ends this case.
    /// </summary>
    public async Task WorkCaseAsync(Guid caseId, IReadOnlyList<(PlanStep Step, string Outcome, FormInputPairs Input)> route, int thinkMs)
    {
        var i = 0;
        var attempts = 0;
        while (i < route.Count && attempts++ < route.Count * 4)
        {
            var work = await GetAsync(RequestKinds.MyWork, "/work");
            var page = await GetAsync(RequestKinds.CasePage, $"/cases/{caseId}");
            if (work.Status != 200 || page.Status != 200)
            {
                return;
            }

            if (!StepForm().IsMatch(page.Body))
            {
                Log.Add(new Timed(RequestKinds.CasePage, 0, page.Status, false, "no step form on the case page", DateTimeOffset.UtcNow));
                return;
            }

            if (thinkMs > 0)
            {
                await Task.Delay(Random.Shared.Next(thinkMs / 2, thinkMs * 3 / 2));
            }

            var (step, outcome, input) = route[i];
            var content = new MultipartFormDataContent
            {
                { new StringContent(Version().Match(page.Body).Groups[1].Value), "version" },
                { new StringContent(Token(page.Body)), "__RequestVerificationToken" },
            };
            foreach (var (key, value) in input.Pairs)
            {
                content.Add(new StringContent(value), key);
            }

            content.Add(new StringContent(outcome), "outcome");
            var (status, _, _) = await PostAsync(RequestKinds.CompleteStep, $"/cases/{caseId}?handler=Complete", content, step.Key);
            if (status == 302)
            {
                i++;
            }
            else if (status != 409)
            {
                return;
            }
        }
    }

    /// <summary>Creates a read-only personal access token on the Preferences page; returns its text (shown once).</summary>
    public async Task<string> CreateTokenAsync()
    {
        var page = await GetAsync("preferences", "/account/preferences");
        var (status, _, body) = await PostAsync("preferences", "/account/preferences?handler=CreateToken", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["tokenName"] = "events feed reader",
            ["tokenScope"] = "read",
            ["tokenExpiresInDays"] = "7",
            ["__RequestVerificationToken"] = Token(page.Body),
        }));
        var match = TokenText().Match(body);
        return status == 200 && match.Success ? match.Value : throw new InvalidOperationException($"No access token was created: {status} {Snippet(body)}");
    }

    /// <summary>GET without following redirects: the status (a sign-in redirect is 302).</summary>
    public async Task<int> StatusOfAsync(string path)
    {
        using var response = await client.GetAsync(path);
        return (int)response.StatusCode;
    }

    private async Task<(int Status, string Body)> GetAsync(string kind, string path)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            Log.Add(new Timed(kind, watch.Elapsed.TotalMilliseconds, status, false, status == 200 ? null : $"GET {Shape(path)} {status} {Snippet(body)}", DateTimeOffset.UtcNow));
            return (status, body);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Log.Add(new Timed(kind, watch.Elapsed.TotalMilliseconds, 0, false, $"GET {Shape(path)} {ex.GetType().Name}", DateTimeOffset.UtcNow));
            return (0, "");
        }
    }

    private async Task<(int Status, string? Location, string Body)> PostAsync(string kind, string path, HttpContent content, string? step = null)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.PostAsync(path, content);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            var error = status is 302 or 200 || status == 409 ? null : $"POST {Shape(path)}{(step is null ? "" : " at " + step)} {status} {Snippet(body)}";
            Log.Add(new Timed(kind, watch.Elapsed.TotalMilliseconds, status, status == 409, error, DateTimeOffset.UtcNow));
            return (status, response.Headers.Location?.OriginalString, body);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Log.Add(new Timed(kind, watch.Elapsed.TotalMilliseconds, 0, false, $"POST {Shape(path)} {ex.GetType().Name}", DateTimeOffset.UtcNow));
            return (0, null, "");
        }
        finally
        {
            content.Dispose();
        }
    }

    private static string Token(string page) => Antiforgery().Match(page) is { Success: true } m ? m.Groups[1].Value
        : throw new InvalidOperationException("The page has no antiforgery token.");

    private static string Shape(string path) => Regex.Replace(path, "[0-9a-f]{8}-[0-9a-f-]{27}", "{id}");

    /// <summary>The page's error message (alert), else the start of the answer: enough to tell one error from another.</summary>
    private static string Snippet(string body)
    {
        var alert = Regex.Match(body, "class=\"alert alert-danger\"[^>]*>(.*?)</", RegexOptions.Singleline);
        var text = alert.Success ? alert.Groups[1].Value : body;
        text = Regex.Replace(text, "\\s+", " ").Trim();
        return text.Length > 160 ? text[..160] : text;
    }

    public void Dispose() => client.Dispose();
}

/// <summary>The field values of a step form as a browser posts them (name, value), filled by <see cref="FormFiller"/>.</summary>
internal sealed record FormInputPairs(IReadOnlyList<KeyValuePair<string, string>> Pairs)
{
    public static FormInputPairs Fill(PlanStep step, Guid companyId, IReadOnlyDictionary<string, string>? overrides)
    {
        var input = FormFiller.Fill(step.Fields, companyId, overrides);
        if (input.Structured.Count > 0)
        {
            throw new InvalidOperationException($"Step {step.Key} asks for a file; the http scenario's route has none.");
        }

        return new FormInputPairs([.. input.Strings.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v)))]);
    }
}
