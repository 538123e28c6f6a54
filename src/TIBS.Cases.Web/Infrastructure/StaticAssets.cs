using Microsoft.AspNetCore.Components;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>
/// Styles, scripts and icons, served from the static web assets manifest that build and publish write next to the
/// program: each file under a content-fingerprinted address (<c>site.{hash}.css</c>, cached for a year as immutable,
/// which is what the pages link to) and under its plain address (revalidated with its ETag). See docs/decisions/0011.
/// </summary>
internal static class StaticAssets
{
    /// <summary>
    /// The framework treats a build manifest (the one <c>dotnet run</c> and the build output use) as a developer's and
    /// serves every file <c>no-cache</c>, picking up edits without a rebuild. That stays so in Development; in every other
    /// environment the build output is cached exactly as the published output is, unless this setting says otherwise.
    /// </summary>
    private const string ReloadAtRuntimeSetting = "ReloadStaticAssetsAtRuntime";

    public static WebApplication MapTibsStaticAssets(this WebApplication app)
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{app.Environment.ApplicationName}.staticwebassets.endpoints.json");
        if (!File.Exists(manifest))
        {
            // Without a manifest (a hand-made copy of the program), the files of the web root are still served, unversioned.
            app.UseStaticFiles();
            return app;
        }

        if (!app.Environment.IsDevelopment() && app.Configuration[ReloadAtRuntimeSetting] is null)
        {
            app.Configuration[ReloadAtRuntimeSetting] = "false";
        }

        app.MapStaticAssets(manifest);
        return app;
    }

    /// <summary>
    /// The fingerprinted address of a file under wwwroot (<c>lib/mermaid/mermaid.min.js</c>) for a script to load later;
    /// its plain address when the page has no asset list (a page rendered without the manifest).
    /// </summary>
    public static string AssetUrl(this HttpContext context, string path)
    {
        var assets = context.GetEndpoint()?.Metadata.GetMetadata<ResourceAssetCollection>();
        var url = assets is null ? path : assets[path];
        return context.Request.PathBase.Add("/" + url.TrimStart('/')).Value!;
    }
}
