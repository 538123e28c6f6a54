using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Audit;

namespace TIBS.Cases.Web.Infrastructure.Audit;

/// <summary>
/// <c>audit create-key &lt;file.pem&gt;</c>: makes a new signing key unless the file exists, and prints its public key.
/// <c>audit verify [--case &lt;reference&gt;]</c>: checks the audit evidence with the same rule as the verification page,
/// prints each broken case and what is wrong, and exits with 1 on any problem. Reads the configuration as the web app
/// does (appsettings, environment, <c>--Section:Key=value</c> arguments); it never writes and never makes a key.
/// </summary>
internal static class AuditCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 2 && args[0] == "create-key")
        {
            return CreateKey(args[1], output, error);
        }

        if (args.Length == 0 || args[0] != "verify")
        {
            error.WriteLine("Usage: audit verify [--case <reference>] | audit create-key <file.pem>");
            return 2;
        }

        var rest = args[1..].ToList();
        string? reference = null;
        var at = rest.IndexOf("--case");
        if (at >= 0)
        {
            if (at + 1 >= rest.Count)
            {
                error.WriteLine("audit verify: --case needs a case reference, such as LV008-2026-0001.");
                return 2;
            }

            reference = rest[at + 1];
            rest.RemoveRange(at, 2);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. rest],
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var audit = builder.Configuration.GetSection(AuditOptions.SectionName).Get<AuditOptions>() ?? new AuditOptions();
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddOptions<DatabaseOptions>().Bind(builder.Configuration.GetSection(DatabaseOptions.SectionName));
        builder.Services.AddTibsCore();
        builder.Services.AddTibsData(Directory.GetCurrentDirectory());

        AuditKeyRing keys;
        try
        {
            keys = AuditSetup.LoadKeys(audit, AuditSetup.DevelopmentKeyFile(database), mayGenerate: false, NullLogger.Instance);
        }
        catch (Exception ex) when (ex is ArgumentException or System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"audit verify: the audit keys could not be read (Audit:SigningKeyFile, Audit:TrustedKeys): {ex.Message}");
            return 2;
        }

        if (keys.PublicKeys.Count == 0)
        {
            error.WriteLine("audit verify: no audit key is known: set Audit:TrustedKeys (the public keys) or Audit:SigningKeyFile.");
            return 2;
        }

        using var host = builder.Build();
        var verifier = new AuditVerifier(
            host.Services.GetRequiredService<ICaseStore>(),
            new AuditLedger(host.Services.GetRequiredService<IDbConnectionFactory>()),
            new AnchorFolderLog(AuditSetup.AnchorFolder(audit, host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value)),
            keys);
        AuditReport report;
        try
        {
            report = await verifier.VerifyAsync(reference);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"audit verify: {ex.Message}");
            return 2;
        }
        catch (DbException ex)
        {
            error.WriteLine($"audit verify: the database could not be read: {ex.Message}");
            return 2;
        }

        Print(report, output);
        return report.IsIntact ? 0 : 1;
    }

    private static int CreateKey(string file, TextWriter output, TextWriter error)
    {
        try
        {
            if (!File.Exists(file))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
                using var writer = new StreamWriter(stream);
                writer.Write(AuditKeyRing.NewPrivateKeyPem());
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                output.WriteLine($"Created the audit signing key {file}.");
            }
            else
            {
                output.WriteLine($"{file} exists; it is kept.");
            }

            using var keys = AuditKeyRing.FromPem(File.ReadAllText(file), []);
            output.WriteLine($"Key id {keys.SigningKeyId}; public key (publish it, keep it in Audit:TrustedKeys after a rotation):");
            output.Write(keys.PublicKeys[0].Pem);
            output.WriteLine();
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            error.WriteLine($"audit create-key: {file}: {ex.Message}");
            return 1;
        }
    }

    private static void Print(AuditReport report, TextWriter output)
    {
        var latest = report.LatestCheckpoint is { } l
            ? string.Create(CultureInfo.InvariantCulture, $"checkpoint {l.Seq} signed {l.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC with key {l.KeyId}")
            : "no checkpoint yet";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Audit evidence: {report.Cases.Count} case(s), {report.Cases.Sum(c => c.EventCount)} event(s); anchors in {report.AnchorLocation}: {latest}."));
        foreach (var r in report.Restores)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Checkpoint {r.Seq} ({r.CreatedAt:yyyy-MM-dd HH:mm} UTC) records a restore from the backup of {r.RestoredFrom:yyyy-MM-dd HH:mm} UTC."));
        }

        foreach (var p in report.Problems)
        {
            var subject = p.Reference ?? (p.CaseId is { } id ? $"case {id}" : "anchors");
            output.WriteLine($"{subject}: {p.KindName}: {p.Message}");
        }

        output.WriteLine(report.IsIntact ? "No problems found." : string.Create(CultureInfo.InvariantCulture, $"{report.Problems.Count} problem(s) found."));
    }
}
