using System.Security.Cryptography;
using Hangfire;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Audit;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.Web.Infrastructure.Jobs;

namespace TIBS.Cases.Web.Infrastructure.Audit;

/// <summary>The <c>Audit</c> section: the key that signs checkpoints, the keys trusted to verify them, and where they go.</summary>
internal sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>
    /// PEM file of the ECDSA P-256 private key that signs checkpoints. Required outside Development and the embedded
    /// SQLite database; there, when empty, <c>&lt;DataDirectory&gt;/audit-signing-key.pem</c> is made at first start.
    /// </summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>A folder of PEM public keys (<c>*.pem</c>), or PEM files separated by ';': older keys kept after a rotation.</summary>
    public string? TrustedKeys { get; set; }

    /// <summary>Folder of the append-only anchor files; default <c>&lt;DataDirectory&gt;/anchors</c>.</summary>
    public string? AnchorFolder { get; set; }

    /// <summary>
    /// Run the checkpoint job in this process (default). With several nodes and an anchor folder that is not shared,
    /// set it to false on all but one.
    /// </summary>
    public bool WriteCheckpoints { get; set; } = true;

    /// <summary>Cron of the checkpoint job (every minute; a checkpoint is written only when events were added).</summary>
    public string CheckpointCron { get; set; } = "* * * * *";

    /// <summary>
    /// Schedule the verification of every case's whole audit trail from this process (default). Runs never overlap
    /// (the run row's lease), so several nodes may keep it on; set it to false where the schedule should not start it.
    /// </summary>
    public bool VerifyTrails { get; set; } = true;

    /// <summary>Cron of the verification of every audit trail (02:30 UTC every night).</summary>
    public string VerifyTrailsCron { get; set; } = "30 2 * * *";
}

/// <summary>Registers the audit anchors: keys, anchor files, verifier, checkpoint job, the scheduled verification of every trail.</summary>
internal static class AuditSetup
{
    public const string CheckpointJobId = "audit-checkpoint";
    public const string DevelopmentKeyFileName = "audit-signing-key.pem";

    public static IServiceCollection AddTibsAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddSingleton(sp => LoadKeys(
            sp.GetRequiredService<IOptions<AuditOptions>>().Value,
            DevelopmentKeyFile(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value),
            MayGenerateKey(sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<IOptions<DatabaseOptions>>().Value),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditSetup))));
        services.AddSingleton<IAnchorLog>(sp => new AnchorFolderLog(
            AnchorFolder(sp.GetRequiredService<IOptions<AuditOptions>>().Value, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value)));
        services.AddSingleton<IAuditLedger, AuditLedger>();
        services.AddSingleton(sp => new AnchorHistorySource(sp.GetRequiredService<IAnchorLog>(), sp.GetRequiredService<AuditKeyRing>()));
        services.AddSingleton<AuditVerifier>();
        services.AddSingleton<AuditAnchoring>();
        services.AddTransient<AuditCheckpointJob>();
        services.AddTransient<TrailVerificationJob>();
        services.AddSingleton<ITrailVerificationLauncher, HangfireTrailVerificationLauncher>();
        services.AddHostedService<AuditJobRegistration>();
        return services;
    }

    /// <summary>Development and the embedded SQLite database may make their own key; every other installation brings one.</summary>
    public static bool MayGenerateKey(IHostEnvironment environment, DatabaseOptions database) =>
        environment.IsDevelopment() || string.Equals(database.Provider, nameof(DatabaseProvider.Sqlite), StringComparison.OrdinalIgnoreCase);

    public static string DevelopmentKeyFile(DatabaseOptions database) => Path.Combine(database.DataFolder(), DevelopmentKeyFileName);

    public static string AnchorFolder(AuditOptions audit, DatabaseOptions database) =>
        string.IsNullOrWhiteSpace(audit.AnchorFolder) ? Path.Combine(database.DataFolder(), "anchors") : Path.GetFullPath(audit.AnchorFolder);

    /// <summary>
    /// The signing key from <see cref="AuditOptions.SigningKeyFile"/> (or the generated development key) and the
    /// trusted public keys. With <paramref name="mayGenerate"/> a missing development key is created and logged.
    /// </summary>
    public static AuditKeyRing LoadKeys(AuditOptions options, string developmentKeyFile, bool mayGenerate, ILogger logger)
    {
        var keyFile = string.IsNullOrWhiteSpace(options.SigningKeyFile) ? developmentKeyFile : Path.GetFullPath(options.SigningKeyFile);
        if (!File.Exists(keyFile) && string.IsNullOrWhiteSpace(options.SigningKeyFile) && mayGenerate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
            File.WriteAllText(keyFile, AuditKeyRing.NewPrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            logger.LogWarning(
                "Generated an audit signing key for development at {KeyFile}. Outside Development set Audit:SigningKeyFile to a key kept outside the database (see README, Audit evidence).",
                keyFile);
        }

        var signingPem = File.Exists(keyFile) ? File.ReadAllText(keyFile) : null;
        return AuditKeyRing.FromPem(signingPem, TrustedKeyFiles(options.TrustedKeys).Select(File.ReadAllText));
    }

    public static IReadOnlyList<string> TrustedKeyFiles(string? trustedKeys)
    {
        if (string.IsNullOrWhiteSpace(trustedKeys))
        {
            return [];
        }

        if (Directory.Exists(trustedKeys))
        {
            return [.. Directory.EnumerateFiles(trustedKeys, "*.pem").Order(StringComparer.Ordinal)];
        }

        return [.. trustedKeys.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}

/// <summary>Start-up refuses a missing or unreadable key, with a message naming the setting.</summary>
internal sealed class AuditOptionsValidator(IHostEnvironment environment, IOptions<DatabaseOptions> database) : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SigningKeyFile))
        {
            if (!AuditSetup.MayGenerateKey(environment, database.Value))
            {
                failures.Add("Audit:SigningKeyFile is required outside Development: set it to the PEM file of the ECDSA P-256 key that signs audit checkpoints, " +
                    "kept outside the database (create one with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out audit-signing-key.pem).");
            }
        }
        else if (!File.Exists(options.SigningKeyFile))
        {
            failures.Add($"Audit:SigningKeyFile: there is no file '{options.SigningKeyFile}'.");
        }
        else
        {
            CheckPem("Audit:SigningKeyFile", options.SigningKeyFile, failures);
        }

        if (options.VerifyTrails && options.VerifyTrailsCron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is not (5 or 6))
        {
            failures.Add($"Audit:VerifyTrailsCron '{options.VerifyTrailsCron}' is not a cron expression of five fields (minute hour day month weekday, e.g. \"30 2 * * *\").");
        }

        foreach (var file in AuditSetup.TrustedKeyFiles(options.TrustedKeys))
        {
            if (!File.Exists(file))
            {
                failures.Add($"Audit:TrustedKeys: there is no folder or file '{file}'.");
            }
            else
            {
                CheckPem("Audit:TrustedKeys", file, failures);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPem(string setting, string file, List<string> failures)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(file));
            if (key.KeySize != 256)
            {
                failures.Add($"{setting}: '{file}' holds a {key.KeySize}-bit key; audit keys are ECDSA P-256.");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException or IOException or UnauthorizedAccessException)
        {
            failures.Add($"{setting}: '{file}' is not a readable ECDSA P-256 key in PEM form ({ex.Message}).");
        }
    }
}

/// <summary>Loads the keys at start (a development key is made then) and registers the checkpoint job and the trail verification.</summary>
internal sealed class AuditJobRegistration(IRecurringJobManager recurring, IOptions<AuditOptions> options, AuditKeyRing keys, ILogger<AuditJobRegistration> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Audit checkpoints are signed with key {KeyId}.", keys.SigningKeyId);
        if (options.Value.VerifyTrails)
        {
            recurring.AddOrUpdate<TrailVerificationJob>(TrailVerificationJob.JobId, j => j.RunAsync(VerifyAllTrails.ScheduleName, CancellationToken.None), options.Value.VerifyTrailsCron);
        }

        if (!options.Value.WriteCheckpoints)
        {
            return Task.CompletedTask;
        }

        recurring.AddOrUpdate<AuditCheckpointJob>(AuditSetup.CheckpointJobId, j => j.RunAsync(CancellationToken.None), options.Value.CheckpointCron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
