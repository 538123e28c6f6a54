using TIBS.Cases.Core.Privacy;
using TIBS.Cases.Web.Infrastructure.Security;

namespace TIBS.Cases.Web.Infrastructure.Privacy;

/// <summary>
/// <c>privacy record [--out &lt;file.md&gt;]</c>: prints (or writes) the record of processing activities generated
/// from the configuration as the web app reads it (appsettings, environment, <c>--Section:Key=value</c> arguments).
/// Exits with 2 on settings the app would refuse to start with.
/// </summary>
internal static class PrivacyCommand
{
    public const string UsageLine = "privacy record [--out <file.md>]      print the record of processing activities generated from the Privacy settings";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] != "record")
        {
            error.WriteLine("Usage: " + UsageLine);
            return 2;
        }

        var rest = args[1..].ToList();
        string? file = null;
        var at = rest.IndexOf("--out");
        if (at >= 0)
        {
            if (at + 1 >= rest.Count)
            {
                error.WriteLine("privacy record: --out needs a file name, such as docs/privacy.md.");
                return 2;
            }

            file = rest[at + 1];
            rest.RemoveRange(at, 2);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. rest],
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var options = builder.Configuration.GetSection(PrivacyOptions.SectionName).Get<PrivacyOptions>() ?? new PrivacyOptions();
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                error.WriteLine($"privacy record: {problem}");
            }

            return 2;
        }

        var sessions = builder.Configuration.GetSection(Security.SessionOptions.SectionName).Get<Security.SessionOptions>() ?? new Security.SessionOptions();
        var signIn = builder.Configuration.GetSection(SignInOptions.SectionName).Get<SignInOptions>() ?? new SignInOptions();
        var links = ProcessingLifetimes.Defaults.Link;
        var markdown = RecordOfProcessing.Build(options, new ProcessingLifetimes(sessions.AbsoluteLifetime, signIn.ToSettings().ForgetAfter, links)).ToMarkdown();
        if (file is null)
        {
            await output.WriteAsync(markdown);
            return 0;
        }

        try
        {
            await File.WriteAllTextAsync(file, markdown);
            output.WriteLine($"Wrote the record of processing activities to {file}.");
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"privacy record: {file}: {ex.Message}");
            return 1;
        }
    }
}
