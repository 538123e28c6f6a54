using System.Globalization;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Backups;

/// <summary>
/// One backup asked for (an administrator's "Back up now", the schedule or the command line) and how it went
/// (decision 0055): queued, running, written (with its archive, size and whether reading it back checked every file)
/// or failed (why).
/// </summary>
public sealed record BackupRun
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";

    public required Guid Id { get; init; }

    /// <summary>Who asked for it, in words: an administrator's name, "the schedule" or "the command line".</summary>
    public required string RequestedBy { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public required string Status { get; init; }
    public string? FileName { get; init; }
    public long? SizeBytes { get; init; }
    public bool Verified { get; init; }

    /// <summary>What happened, in words (the reason of a failure; what retention deleted).</summary>
    public string? Message { get; init; }

    /// <summary>Queued or running, and not given up on: a run silent for two hours is taken as dead.</summary>
    public bool IsActive(DateTimeOffset now) => Status is Queued or Running && (StartedAt ?? RequestedAt) > now.AddHours(-2);

    /// <summary>The state in one sentence for the administrator.</summary>
    public string Describe(DateTimeOffset now) => Status switch
    {
        Queued when IsActive(now) => Localized.Text("Waiting to start."),
        Running when IsActive(now) => Localized.Format("Running since {0} UTC.", (StartedAt ?? RequestedAt).ToString("HH:mm", CultureInfo.InvariantCulture)),
        Done when Verified => Localized.Text("Written and checked: every file of the archive matches its manifest."),
        Done => Localized.Text("Written, with warnings: see the message."),
        Failed => Localized.Text("Failed."),
        _ => Localized.Text("Stopped before it finished (the process ended)."),
    };
}

/// <summary>An archive in the backup folder.</summary>
public sealed record BackupArchive(string Name, DateTimeOffset CreatedAt, long Size);

/// <summary>How backups are set up: the schedule (cron), what retention keeps, whether a key is configured and the database is the embedded one.</summary>
public sealed record BackupSettings(string? Schedule, int KeepDaily, int KeepWeekly, bool KeyConfigured, bool EmbeddedDatabase);

/// <summary>The runs of backups, each start and end with its administration log line in one transaction.</summary>
public interface IBackupRunStore
{
    Task AddAsync(BackupRun run, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    Task SetRunningAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task FinishAsync(BackupRun finished, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<BackupRun>> ListAsync(int limit, CancellationToken cancellationToken = default);
}

/// <summary>The archives and the settings (the host knows the folder and the configuration).</summary>
public interface IBackupArchives
{
    BackupSettings Settings { get; }

    /// <summary>The archives in the backup folder, newest first.</summary>
    IReadOnlyList<BackupArchive> List();
}

/// <summary>Runs a queued backup in the background (Hangfire in the host).</summary>
public interface IBackupLauncher
{
    void Launch(Guid runId);
}

/// <summary>An administrator asks for a backup now; refused in words while one runs or when backups cannot run here.</summary>
public sealed class StartBackup(IBackupRunStore store, IBackupLauncher launcher, IBackupArchives archives, Accounts.IUserStore users, TimeProvider time)
{
    public sealed record Result(Cases.CaseCommandStatus Status, string Message)
    {
        public bool Succeeded => Status == Cases.CaseCommandStatus.Done;
    }

    public async Task<Result> HandleAsync(Cases.Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != WorkflowRole.Administrator || actor.IsSystem)
        {
            return new Result(Cases.CaseCommandStatus.Forbidden, Localized.Text("Only an administrator can start a backup."));
        }

        var settings = archives.Settings;
        if (!settings.EmbeddedDatabase)
        {
            return new Result(Cases.CaseCommandStatus.Conflict, Localized.Text("This installation uses a database server: back it up with the server's own tools (see the README, Operations)."));
        }

        if (!settings.KeyConfigured)
        {
            return new Result(Cases.CaseCommandStatus.Conflict, Localized.Text("No backup key is configured: set Backup:KeyFile to a key file kept outside the database (make one with: backup create-key <file>)."));
        }

        var now = time.GetUtcNow();
        if ((await store.ListAsync(5, cancellationToken)).FirstOrDefault(r => r.IsActive(now)) is { } active)
        {
            return new Result(Cases.CaseCommandStatus.Conflict, Localized.Format(
                "A backup is already under way (asked for at {0} UTC by {1}): wait for its result before starting another.",
                active.RequestedAt.ToString("HH:mm", CultureInfo.InvariantCulture), active.RequestedBy));
        }

        var name = (await users.FindByIdAsync(actor.UserId, cancellationToken))?.DisplayName ?? "an administrator";
        var run = new BackupRun { Id = Guid.CreateVersion7(now), RequestedBy = name, RequestedAt = now, Status = BackupRun.Queued };
        await store.AddAsync(run, AdministrationRules.Entry(actor, AdministrationActions.BackupStarted, null, "Asked for a backup now.", now), cancellationToken);
        launcher.Launch(run.Id);
        return new Result(Cases.CaseCommandStatus.Done, Localized.Text("The backup has started; its result appears on this page when it is done."));
    }
}

/// <summary>The backups page: settings, runs and archives (administrators only).</summary>
public sealed class ListBackups(IBackupRunStore store, IBackupArchives archives, TimeProvider time)
{
    public const int Shown = 30;

    public sealed record Line(BackupArchive Archive, bool? Verified);

    public sealed record View(BackupSettings Settings, IReadOnlyList<BackupRun> Runs, IReadOnlyList<Line> Archives, bool IsRunning, DateTimeOffset Now);

    /// <summary>The view, or null when the actor is not an administrator.</summary>
    public async Task<View?> HandleAsync(Cases.Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != WorkflowRole.Administrator || actor.IsSystem)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var runs = await store.ListAsync(Shown, cancellationToken);
        var verified = runs.Where(r => r.FileName is not null).GroupBy(r => r.FileName!).ToDictionary(g => g.Key, g => g.First().Verified, StringComparer.Ordinal);
        var lines = archives.List().Select(a => new Line(a, verified.TryGetValue(a.Name, out var v) ? v : null)).ToList();
        return new View(archives.Settings, runs, lines, runs.Any(r => r.IsActive(now)), now);
    }
}
