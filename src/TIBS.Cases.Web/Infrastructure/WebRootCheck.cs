namespace TIBS.Cases.Web.Infrastructure;

/// <summary>
/// Says plainly at start-up when the application has no styles and scripts to serve: neither a <c>wwwroot</c> folder
/// (the published output has one) nor the static web assets manifest of a build output was found.
/// </summary>
internal static class WebRootCheck
{
    public const string Message =
        "No web root found: {WebRoot} does not exist or is empty and no static web assets manifest lists the styles and scripts, " +
        "so pages are served without CSS and JavaScript. Publish the application (dotnet publish src/TIBS.Cases.Web -c Release -o <folder>) " +
        "and start it from that folder (dotnet TIBS.Cases.Web.dll), or give --webroot=<folder with css, js and lib>.";

    public static void ReportMissingWebRoot(this WebApplication app)
    {
        var files = app.Environment.WebRootFileProvider.GetDirectoryContents("");
        if (!files.Exists || !files.Any())
        {
            app.Logger.LogWarning(Message, app.Environment.WebRootPath ?? Path.Combine(app.Environment.ContentRootPath, "wwwroot"));
        }
    }
}
