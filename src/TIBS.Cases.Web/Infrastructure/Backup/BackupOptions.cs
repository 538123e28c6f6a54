using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Audit;
using TIBS.Cases.Web.Infrastructure.Audit;

namespace TIBS.Cases.Web.Infrastructure.Backup;

/// <summary>The <c>Backup</c> section (decision 0055).</summary>
internal sealed class BackupOptions
{
    public const string SectionName = "Backup";

    /// <summary>The file of the backup key (base64 of 32 bytes), kept outside the database and the backups; no backup without it.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Folder of the archives; default <c>&lt;DataDirectory&gt;/backups</c>.</summary>
    public string? Folder { get; set; }

    /// <summary>Cron of the scheduled backup (03:15 UTC every night); empty: no scheduled backup.</summary>
    public string Schedule { get; set; } = "15 3 * * *";

    /// <summary>Keep the newest archive of this many most recent days.</summary>
    public int KeepDaily { get; set; } = 7;

    /// <summary>Keep the newest archive of this many most recent weeks.</summary>
    public int KeepWeekly { get; set; } = 4;

    /// <summary>The erasure log kept outside the database and the backups; default <c>&lt;DataDirectory&gt;/erasures.jsonl</c>.</summary>
    public string? ErasureLog { get; set; }

    public string FolderPath(DatabaseOptions database) =>
        string.IsNullOrWhiteSpace(Folder) ? Path.Combine(database.DataFolder(), "backups") : Path.GetFullPath(Folder);

    public string ErasureLogPath(DatabaseOptions database) =>
        string.IsNullOrWhiteSpace(ErasureLog) ? Path.Combine(database.DataFolder(), "erasures.jsonl") : Path.GetFullPath(ErasureLog);
}

/// <summary>Start-up refuses settings that cannot work, naming the setting.</summary>
internal sealed class BackupOptionsValidator : IValidateOptions<BackupOptions>
{
    public ValidateOptionsResult Validate(string? name, BackupOptions options)
    {
        var failures = new List<string>();
        if (options.KeepDaily is < 1 or > 366)
        {
            failures.Add($"Backup:KeepDaily must be between 1 and 366 (it is {options.KeepDaily}).");
        }

        if (options.KeepWeekly is < 0 or > 520)
        {
            failures.Add($"Backup:KeepWeekly must be between 0 and 520 (it is {options.KeepWeekly}).");
        }

        if (!string.IsNullOrWhiteSpace(options.Schedule) && options.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is not (5 or 6))
        {
            failures.Add($"Backup:Schedule '{options.Schedule}' is not a cron expression of five fields (minute hour day month weekday, e.g. \"15 3 * * *\").");
        }

        if (!string.IsNullOrWhiteSpace(options.KeyFile) && !File.Exists(options.KeyFile))
        {
            failures.Add($"Backup:KeyFile: there is no file '{options.KeyFile}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// The services the backup commands run on, built from a configuration without the web host: the data layer, the Core
/// use cases, the audit keys, anchors and verifier, and the erasure log.
/// </summary>
internal static class BackupServices
{
    public static ServiceProvider Create(IConfiguration configuration, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(configuration);
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName));
        services.AddOptions<BackupOptions>().Bind(configuration.GetSection(BackupOptions.SectionName));
        services.AddTibsCore();
        services.AddTibsData(Directory.GetCurrentDirectory());
        var audit = configuration.GetSection(AuditOptions.SectionName).Get<AuditOptions>() ?? new AuditOptions();
        services.AddSingleton(sp => AuditSetup.LoadKeys(audit, AuditSetup.DevelopmentKeyFile(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value), mayGenerate: false, NullLogger.Instance));
        services.AddSingleton<IAnchorLog>(sp => new AnchorFolderLog(AuditSetup.AnchorFolder(audit, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value)));
        services.AddSingleton<IAuditLedger, AuditLedger>();
        services.AddSingleton(sp => new AnchorHistorySource(sp.GetRequiredService<IAnchorLog>(), sp.GetRequiredService<AuditKeyRing>()));
        services.AddSingleton<AuditVerifier>();
        services.AddSingleton<AuditAnchoring>();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.SectionName));
        services.AddSingleton<BackupWriter>();
        services.AddSingleton<BackupRunner>();
        return services.BuildServiceProvider();
    }
}
