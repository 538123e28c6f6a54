using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Web.Infrastructure.Localization;

/// <summary>
/// Request localisation (decision 0045): the language is the signed-in user's choice (a claim of their sign-in), else
/// the language switch's cookie, else the browser's Accept-Language, else English. Dates and numbers follow the
/// language's country (<see cref="Languages.FormatCulture"/>); times are shown in the user's zone (<see cref="Show"/>).
/// With <c>Localization:Pseudo=true</c> (off unless configured, decision 0049) every request shows the pseudo culture:
/// the interface's and Core's texts accented and about 40 % longer, dates and numbers in the requested language's format.
/// </summary>
internal static class LocalizationSetup
{
    /// <summary>The claim of a signed-in user's chosen language (absent: the browser's).</summary>
    public const string LanguageClaim = "tibs:language";

    /// <summary>The claim of a signed-in user's chosen time zone (absent: the home region's).</summary>
    public const string TimeZoneClaim = "tibs:time_zone";

    public static IServiceCollection AddTibsLocalization(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddLocalization(o => o.ResourcesPath = "Resources");

        // Read when the application is built (settings given by tests and hosts are known by then), not now.
        services.AddOptions<LocalizationSettings>().BindConfiguration(LocalizationSettings.SectionName);
        services.AddSingleton<ResourceManagerStringLocalizerFactory>();
        services.AddSingleton<IStringLocalizerFactory>(sp =>
        {
            var resources = sp.GetRequiredService<ResourceManagerStringLocalizerFactory>();
            return sp.GetRequiredService<IOptions<LocalizationSettings>>().Value.Pseudo ? new PseudoStringLocalizerFactory(resources) : resources;
        });
        services.AddHttpContextAccessor();
        services.AddScoped<Show>();
        services.AddOptions<RequestLocalizationOptions>().Configure<IOptions<LocalizationSettings>>((o, settings) =>
        {
            var pseudo = settings.Value.Pseudo;
            o.SupportedCultures = Languages.All.Select(l => Languages.FormatCulture(l.Code)).ToList();
            o.SupportedUICultures = Languages.All.Select(l => Languages.UiCulture(l.Code)).ToList();
            if (pseudo)
            {
                o.SupportedUICultures.Add(CultureInfo.GetCultureInfo(PseudoLocalization.CultureName));
            }

            o.DefaultRequestCulture = new RequestCulture(Languages.FormatCulture(Languages.Default), Languages.UiCulture(Languages.Default));
            o.FallBackToParentCultures = false;
            o.FallBackToParentUICultures = false;
            o.RequestCultureProviders = [new TibsRequestCultureProvider(pseudo)];
        });
        return services;
    }

    public static WebApplication UseTibsLocalization(this WebApplication app)
    {
        app.UseRequestLocalization();
        return app;
    }

    /// <summary>The language this request asks for, in the order of the class summary; null: English.</summary>
    public static string? RequestedLanguage(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.Identity?.IsAuthenticated == true && context.User.FindFirstValue(LanguageClaim) is { } chosen && Languages.IsKnown(chosen))
        {
            return chosen;
        }

        if (context.Request.Cookies[CookieRequestCultureProvider.DefaultCookieName] is { Length: > 0 and < 200 } cookie
            && CookieRequestCultureProvider.ParseCookieValue(cookie) is { } fromCookie)
        {
            foreach (var name in fromCookie.UICultures.Concat(fromCookie.Cultures))
            {
                if (Language(name.Value) is { } language)
                {
                    return language;
                }
            }
        }

        foreach (var accepted in context.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(h => h.Quality ?? 1).Take(10))
        {
            if (Language(accepted.Value.Value) is { } language)
            {
                return language;
            }
        }

        return null;
    }

    /// <summary>The supported language of a culture name such as <c>lv-LV</c>; null when it is none of them.</summary>
    private static string? Language(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 40)
        {
            return null;
        }

        var code = name.Split('-', '_')[0].ToLowerInvariant();
        // Norwegian readers are closest to Danish; "nb"/"no" is not offered, so it falls back like any other language.
        return Languages.IsKnown(code) ? code : null;
    }

    /// <summary>Writes the language switch's cookie (a year, readable by the server only).</summary>
    public static void RememberLanguage(HttpResponse response, string language, bool secure)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Lax, Secure = secure, Path = "/" });
    }

    private sealed class TibsRequestCultureProvider(bool pseudo) : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var language = RequestedLanguage(httpContext) ?? Languages.Default;
            return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(Languages.FormatCulture(language).Name, pseudo ? PseudoLocalization.CultureName : language));
        }
    }
}
