using System.Data.Common;
using System.Globalization;
using TIBS.Cases.Core.Backups;

namespace TIBS.Cases.Web.Infrastructure.Backup;

/// <summary>
/// <c>backup [--out &lt;folder&gt;]</c>, <c>backup create-key &lt;file&gt;</c>, <c>restore &lt;archive&gt; --into &lt;empty folder&gt;
/// [--anchors &lt;folder&gt;]</c> and <c>restore --verify</c> (decision 0055). They read the configuration as the web app
/// does (appsettings, environment, <c>--Section:Key=value</c> arguments).
/// </summary>
internal static class BackupCommand
{
    public const string BackupUsage = "Usage: backup [--out <folder>] | backup create-key <file>";
    public const string RestoreUsage = "Usage: restore <archive> --into <empty data folder> [--anchors <folder>] | restore --verify";

    public static async Task<int> BackupAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length >= 1 && args[0] == "create-key")
        {
            return args.Length == 2 ? CreateKey(args[1], output, error) : Fail(error, BackupUsage);
        }

        var rest = args.ToList();
        var outFolder = Take(rest, "--out");
        if (outFolder == "")
        {
            return Fail(error, "backup: --out needs a folder.");
        }

        var configuration = Configuration(rest);
        await using var services = BackupServices.Create(configuration);
        try
        {
            var run = await services.GetRequiredService<BackupRunner>().RunAsync(null, "the command line", outFolder is null ? null : Path.GetFullPath(outFolder));
            if (run.Status != BackupRun.Done)
            {
                error.WriteLine($"backup: {run.Message}");
                return 1;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {run.FileName} ({run.SizeBytes:N0} bytes) in {(run.FinishedAt - run.StartedAt)?.TotalSeconds:0.0} s; {(run.Verified ? "read back and checked: every file matches the manifest." : "with warnings:")}"));
            if (run.Message is { } message)
            {
                output.WriteLine(message);
            }

            return run.Verified ? 0 : 1;
        }
        catch (DbException ex)
        {
            error.WriteLine($"backup: the database could not be read: {ex.Message}");
            return 2;
        }
    }

    public static async Task<int> RestoreAsync(string[] args, TextWriter output, TextWriter error)
    {
        var rest = args.ToList();
        if (rest.Remove("--verify"))
        {
            return await VerifyAsync(Configuration(rest), output, error);
        }

        var into = Take(rest, "--into");
        var anchors = Take(rest, "--anchors");
        var archive = rest.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        if (archive is null || string.IsNullOrEmpty(into) || anchors == "")
        {
            return Fail(error, RestoreUsage);
        }

        rest.Remove(archive);
        var outcome = await new BackupRestore(Configuration(rest), TimeProvider.System).RestoreAsync(archive, into, anchors);
        foreach (var line in outcome.Lines)
        {
            (outcome.Succeeded ? output : error).WriteLine(line);
        }

        (outcome.Succeeded ? output : error).WriteLine(outcome.Succeeded ? "Restore complete and verified." : "Restore refused.");
        return outcome.Succeeded ? 0 : 1;
    }

    /// <summary><c>restore --verify</c>: the configured database (any provider), every chain against the anchors, every attachment's hash.</summary>
    private static async Task<int> VerifyAsync(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        await using var services = BackupServices.Create(configuration);
        DatabaseCheck check;
        try
        {
            check = await BackupVerification.CheckAsync(services, BackupVerification.AttachmentsFolder(services));
        }
        catch (DbException ex)
        {
            error.WriteLine($"restore --verify: the database could not be read: {ex.Message}");
            return 2;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Checked {check.Audit.Cases.Count} case audit trail(s) against the anchors in {check.Audit.AnchorLocation} and {check.Attachments} attachment(s) against their SHA-256."));
        foreach (var r in check.Audit.Restores)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Checkpoint {r.Seq} ({r.CreatedAt:yyyy-MM-dd HH:mm} UTC) records a restore from the backup of {r.RestoredFrom:yyyy-MM-dd HH:mm} UTC."));
        }

        if (check.Audit.Restore is { } restore)
        {
            output.WriteLine($"Restored from a backup: {restore.Describe()}; {restore.CasesBehind.Count} case(s) lack events recorded after it (the restore is not recorded yet).");
        }

        foreach (var f in check.Failures)
        {
            error.WriteLine(f);
        }

        output.WriteLine(check.Failures.Count == 0 ? "No problems found." : string.Create(CultureInfo.InvariantCulture, $"{check.Failures.Count} problem(s) found."));
        return check.Failures.Count == 0 ? 0 : 1;
    }

    private static int CreateKey(string file, TextWriter output, TextWriter error)
    {
        try
        {
            if (File.Exists(file))
            {
                output.WriteLine($"{file} exists; it is kept.");
                return 0;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(BackupKey.NewKeyText());
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            output.WriteLine($"Created the backup key {file} (key id {BackupKey.Load(file).Id}). Keep a copy apart from the backups: without it they cannot be read.");
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"backup create-key: {file}: {ex.Message}");
            return 1;
        }
    }

    private static IConfiguration Configuration(List<string> args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. args],
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        return builder.Configuration;
    }

    /// <summary>Removes <paramref name="option"/> and its value; null when absent, "" when its value is missing.</summary>
    private static string? Take(List<string> args, string option)
    {
        var at = args.IndexOf(option);
        if (at < 0)
        {
            return null;
        }

        if (at + 1 >= args.Count || args[at + 1].StartsWith("--", StringComparison.Ordinal))
        {
            args.RemoveAt(at);
            return "";
        }

        var value = args[at + 1];
        args.RemoveRange(at, 2);
        return value;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        return 2;
    }
}
