using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// One running application on a real Kestrel port: a fresh embedded database with demo data, its own key file and
/// mail folder, and the settings given. The shared fixture runs one; a journey that needs other settings (the
/// product's certification rule, the real clock) starts its own.
/// </summary>
public sealed class BrowserApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private BrowserApp(WebApplication app, string baseUrl, string mailDirectory, ErrorLog errors)
    {
        this.app = app;
        BaseUrl = baseUrl;
        MailDirectory = mailDirectory;
        Errors = errors;
    }

    public string BaseUrl { get; }

    /// <summary>The folder the application writes its mail into, one <c>.eml</c> file per message (no <c>Mail:Host</c>).</summary>
    public string MailDirectory { get; }

    /// <summary>The running application's services, to arrange data a test does not walk through in the browser.</summary>
    public IServiceProvider Services => app.Services;

    /// <summary>What the application logged as errors, for the message of a test that meets an error page.</summary>
    public ErrorLog Errors { get; }

    /// <summary>Starts the application with <paramref name="settings"/> (command-line form) and <paramref name="clock"/> (the real clock when null).</summary>
    public static async Task<BrowserApp> StartAsync(IEnumerable<string> settings, TimeProvider? clock = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "tibs-browser-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var keyFile = Path.Combine(dataDirectory, "dataprotection.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var mailDirectory = Path.Combine(dataDirectory, "mail");
        var errors = new ErrorLog();
        var app = TIBS.Cases.Web.Program.BuildApp(
        [
            "--urls=http://127.0.0.1:0",
            $"--contentRoot={BrowserFixture.WebProjectDirectory()}",
            "--environment=Testing",
            "--Database:Provider=Sqlite",
            $"--Database:DataDirectory={dataDirectory}",
            $"--Demo:Password={BrowserFixture.DemoPassword}",
            $"--DataProtection:KeyFile={keyFile}",
            $"--Mail:PickupDirectory={mailDirectory}",
            "--SignIn:AddressPermitLimit=1000",
            .. settings,
        ], services =>
        {
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(errors);
            if (clock is not null)
            {
                services.AddSingleton(clock);
            }
        });
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BrowserApp(app, baseUrl, mailDirectory, errors);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
