using System.Globalization;
using System.Text.RegularExpressions;

namespace TIBS.Cases.Web.Infrastructure.Backup;

/// <summary>An archive in the backup folder, with the time its name gives.</summary>
internal sealed record BackupFile(string Path, DateTimeOffset CreatedAt, long Size)
{
    public string Name => System.IO.Path.GetFileName(Path);
}

/// <summary>
/// Which archives to keep (<c>Backup:KeepDaily</c>, <c>Backup:KeepWeekly</c>): the newest archive of each of the
/// <c>KeepDaily</c> most recent days (UTC) that have one, and the newest of each of the <c>KeepWeekly</c> most recent
/// ISO weeks that have one. Counting days and weeks that have an archive, not calendar days back from today, means a
/// schedule that stopped for a while never lets retention delete the last good backups.
/// </summary>
internal static partial class BackupRetention
{
    public static IReadOnlyList<BackupFile> ToDelete(IReadOnlyList<BackupFile> archives, int keepDaily, int keepWeekly)
    {
        var newestFirst = archives.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Name, StringComparer.Ordinal).ToList();
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var day in newestFirst.GroupBy(a => a.CreatedAt.UtcDateTime.Date).Take(Math.Max(keepDaily, 0)))
        {
            keep.Add(day.First().Path);
        }

        foreach (var week in newestFirst.GroupBy(a => (ISOWeek.GetYear(a.CreatedAt.UtcDateTime), ISOWeek.GetWeekOfYear(a.CreatedAt.UtcDateTime))).Take(Math.Max(keepWeekly, 0)))
        {
            keep.Add(week.First().Path);
        }

        if (newestFirst.Count > 0)
        {
            keep.Add(newestFirst[0].Path);
        }

        return [.. newestFirst.Where(a => !keep.Contains(a.Path))];
    }

    /// <summary>The archives of a folder, newest first (names <c>tibs-backup-YYYYMMDDTHHMMZ[-n].tibsbak</c>).</summary>
    public static IReadOnlyList<BackupFile> List(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var found = new List<BackupFile>();
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("tibs-backup-*" + BackupWriter.Extension))
        {
            var m = NamePattern().Match(file.Name);
            if (m.Success && DateTime.TryParseExact(m.Groups[1].Value, "yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            {
                found.Add(new BackupFile(file.FullName, new DateTimeOffset(at, TimeSpan.Zero), file.Length));
            }
        }

        return [.. found.OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Name, StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"^tibs-backup-(\d{8}T\d{4})Z(-\d+)?\.tibsbak$")]
    private static partial Regex NamePattern();
}
