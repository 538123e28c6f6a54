using System.Globalization;
using Hangfire;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Backups;
using TIBS.Cases.Core.PersonalData;
using TIBS.Cases.Data;
using TIBS.Cases.Web.Infrastructure.Audit;

namespace TIBS.Cases.Web.Infrastructure.Backup;

/// <summary>Registers backups (decision 0055): options, the erasure log, the runner, the Hangfire job and its schedule.</summary>
internal static class BackupSetup
{
    public static IServiceCollection AddTibsBackup(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackupOptions>().Bind(configuration.GetSection(BackupOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BackupOptions>, BackupOptionsValidator>();
        AddErasureLog(services);
        services.AddSingleton<BackupWriter>();
        services.AddSingleton<BackupRunner>();
        services.AddSingleton<IBackupArchives, BackupArchiveFolder>();
        services.AddSingleton<IBackupLauncher, HangfireBackupLauncher>();
        services.AddTransient<BackupJob>();
        services.AddHostedService<BackupJobRegistration>();
        return services;
    }

    /// <summary>Every erasure of personal data is also appended to the erasure log (<c>Backup:ErasureLog</c>).</summary>
    public static void AddErasureLog(IServiceCollection services)
    {
        services.AddSingleton(sp => new ErasureLog(
            (sp.GetService<IOptions<BackupOptions>>()?.Value ?? new BackupOptions()).ErasureLogPath(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value)));
        var inner = services.Last(d => d.ServiceType == typeof(IPersonalDataStore));
        services.Remove(inner);
        services.AddSingleton<IPersonalDataStore>(sp => new ErasureLoggingStore(
            (IPersonalDataStore)(inner.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!)),
            sp.GetRequiredService<ErasureLog>(),
            sp.GetRequiredService<ILogger<ErasureLoggingStore>>()));
    }
}

/// <summary>The archives of <c>Backup:Folder</c> and the settings, for the backups page.</summary>
internal sealed class BackupArchiveFolder(IOptions<BackupOptions> options, IOptions<DatabaseOptions> database) : IBackupArchives
{
    public BackupSettings Settings => new(
        string.IsNullOrWhiteSpace(options.Value.Schedule) ? null : options.Value.Schedule,
        options.Value.KeepDaily,
        options.Value.KeepWeekly,
        !string.IsNullOrWhiteSpace(options.Value.KeyFile),
        database.Value.ParsedProvider == DatabaseProvider.Sqlite);

    public IReadOnlyList<BackupArchive> List() =>
        [.. BackupRetention.List(options.Value.FolderPath(database.Value)).Select(f => new BackupArchive(f.Name, f.CreatedAt, f.Size))];
}

/// <summary>
/// Makes a backup of the running application's embedded database, records its run (and the administration log line)
/// and then applies retention. Used by the Hangfire job (schedule and "Back up now") and the <c>backup</c> command.
/// </summary>
internal sealed class BackupRunner(
    IOptions<BackupOptions> options,
    IOptions<DatabaseOptions> database,
    IOptions<AuditOptions> audit,
    IDbConnectionFactory db,
    IBackupRunStore runs,
    BackupWriter writer,
    TimeProvider time,
    ILogger<BackupRunner> logger)
{
    public const string Schedule = "the schedule";

    /// <summary>A line of the administration log written by the system (no actor).</summary>
    private static AdministrationLogEntry Log(string action, Guid? subject, string details, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(at),
        OccurredAt = at,
        Action = action,
        SubjectUserId = subject,
        Details = details.Length > 2000 ? details[..2000] : details,
    };

    /// <summary>Runs the queued run <paramref name="runId"/>, or a new one asked for by <paramref name="requestedBy"/>.</summary>
    public async Task<BackupRun> RunAsync(Guid? runId, string requestedBy, string? outFolder = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var run = new BackupRun { Id = runId ?? Guid.CreateVersion7(now), RequestedBy = requestedBy, RequestedAt = now, Status = BackupRun.Running, StartedAt = now };
        if (runId is null)
        {
            await runs.AddAsync(run, Log(AdministrationActions.BackupStarted, null, $"Backup started by {requestedBy}.", now), cancellationToken);
        }
        else
        {
            await runs.SetRunningAsync(run.Id, now, cancellationToken);
        }

        var folder = outFolder ?? options.Value.FolderPath(database.Value);
        try
        {
            if (database.Value.ParsedProvider != DatabaseProvider.Sqlite)
            {
                throw new BackupArchiveException("This installation uses a database server: back it up with the server's own tools (README, Operations).");
            }

            var key = BackupKey.Load(options.Value.KeyFile);
            var sources = new BackupSources(
                ((ConnectionFactory)db).ConnectionString,
                BackupVerification.AttachmentsFolder(database.Value),
                AuditSetup.AnchorFolder(audit.Value, database.Value),
                string.IsNullOrWhiteSpace(audit.Value.SigningKeyFile) ? AuditSetup.DevelopmentKeyFile(database.Value) : null);
            var written = await writer.WriteAsync(sources, key, folder, null, cancellationToken);
            var deleted = new List<string>();
            foreach (var old in BackupRetention.ToDelete(BackupRetention.List(folder), options.Value.KeepDaily, options.Value.KeepWeekly))
            {
                File.Delete(old.Path);
                deleted.Add(old.Name);
            }

            var message = string.Join(" ", new[]
            {
                string.Join(" ", written.Manifest.Warnings),
                deleted.Count == 0 ? "" : $"Deleted under the retention rule: {string.Join(", ", deleted)}.",
            }.Where(m => m.Length > 0));
            var done = run with
            {
                Status = BackupRun.Done,
                FinishedAt = time.GetUtcNow(),
                FileName = Path.GetFileName(written.Path),
                SizeBytes = written.Size,
                Verified = written.Verified,
                Message = message.Length == 0 ? null : message,
            };
            await runs.FinishAsync(done, Log(AdministrationActions.BackupWritten, null, string.Create(CultureInfo.InvariantCulture,
                $"Backup {done.FileName} written ({done.SizeBytes} bytes, {(done.Verified ? "checked" : "with warnings")}). {message}").Trim(), done.FinishedAt!.Value), cancellationToken);
            logger.LogInformation("Backup {File} written: {Size} bytes, verified {Verified}. {Message}", done.FileName, done.SizeBytes, done.Verified, message);
            return done;
        }
        catch (Exception ex) when (ex is BackupArchiveException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            var failed = run with { Status = BackupRun.Failed, FinishedAt = time.GetUtcNow(), Message = ex.Message };
            await runs.FinishAsync(failed, Log(AdministrationActions.BackupFailed, null, $"Backup failed: {ex.Message}", failed.FinishedAt!.Value), cancellationToken);
            logger.LogError(ex, "Backup failed: {Message}", ex.Message);
            return failed;
        }
    }
}

/// <summary>The backup as a Hangfire job: scheduled (<c>Backup:Schedule</c>) or asked for by an administrator.</summary>
[AutomaticRetry(Attempts = 0)]
internal sealed class BackupJob(BackupRunner runner)
{
    public const string JobId = "backup";

    public async Task<string> RunAsync(Guid? runId, CancellationToken cancellationToken)
    {
        var run = await runner.RunAsync(runId, BackupRunner.Schedule, null, cancellationToken);
        return run.Status == BackupRun.Done ? $"{run.FileName}: {run.SizeBytes} bytes" : $"Failed: {run.Message}";
    }
}

/// <summary>Starts a queued run through Hangfire (the client is made when a run starts; see the trail verification's launcher).</summary>
internal sealed class HangfireBackupLauncher(IServiceProvider services) : IBackupLauncher
{
    public void Launch(Guid runId) =>
        services.GetRequiredService<IBackgroundJobClient>().Enqueue<BackupJob>(j => j.RunAsync(runId, CancellationToken.None));
}

/// <summary>Schedules the backup when a key is configured and the database is the embedded one.</summary>
internal sealed class BackupJobRegistration(IRecurringJobManager recurring, IOptions<BackupOptions> options, IOptions<DatabaseOptions> database, ILogger<BackupJobRegistration> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.Schedule) || database.Value.ParsedProvider != DatabaseProvider.Sqlite)
        {
            recurring.RemoveIfExists(BackupJob.JobId);
            return Task.CompletedTask;
        }

        if (string.IsNullOrWhiteSpace(o.KeyFile))
        {
            logger.LogWarning("No scheduled backup: Backup:KeyFile is not set (make a key with: backup create-key <file>, kept outside the data folder).");
            recurring.RemoveIfExists(BackupJob.JobId);
            return Task.CompletedTask;
        }

        recurring.AddOrUpdate<BackupJob>(BackupJob.JobId, j => j.RunAsync(null, CancellationToken.None), o.Schedule);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
