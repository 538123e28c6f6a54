using Dapper;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Data;

namespace TIBS.Cases.Web.Infrastructure.Backup;

/// <summary>What checking a database found: the audit report and every attachment whose file is missing or altered.</summary>
internal sealed record DatabaseCheck(AuditReport Audit, int Attachments, IReadOnlyList<string> AttachmentProblems)
{
    /// <summary>Problems other than a restore the anchors already explain (those are reported, not failures).</summary>
    public IReadOnlyList<string> Failures => [.. Audit.Problems.Where(p => p.Kind != AuditProblemKind.Restored)
        .Select(p => $"{p.Reference ?? (p.CaseId is { } id ? $"case {id}" : "anchors")}: {p.Message}").Concat(AttachmentProblems)];
}

/// <summary>
/// Checks a database as the restore does (and <c>restore --verify</c> on any provider): every case's audit chain
/// against the signed anchors (<see cref="AuditVerifier"/>) and every attachment's file against the SHA-256 recorded
/// when it was uploaded.
/// </summary>
internal static class BackupVerification
{
    private sealed record AttachmentRow(string StorageKey, string FileName, string Sha256, string Reference);

    public static async Task<DatabaseCheck> CheckAsync(IServiceProvider services, string attachmentsFolder, CancellationToken cancellationToken = default)
    {
        var report = await services.GetRequiredService<AuditVerifier>().VerifyAsync(null, cancellationToken);
        var db = services.GetRequiredService<IDbConnectionFactory>();
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = (await c.QueryAsync<AttachmentRow>(new CommandDefinition(
            """
            SELECT a.storage_key AS StorageKey, a.file_name AS FileName, a.sha256 AS Sha256, c.reference AS Reference
            FROM case_attachments a JOIN cases c ON c.id = a.case_id
            WHERE a.removed_at IS NULL ORDER BY a.storage_key
            """, cancellationToken: cancellationToken))).ToList();
        var problems = new List<string>();
        foreach (var a in rows)
        {
            var path = Path.Combine(attachmentsFolder, a.StorageKey);
            if (!File.Exists(path))
            {
                problems.Add($"{a.Reference}: the file of attachment '{a.FileName}' (attachments/{a.StorageKey}) is missing.");
                continue;
            }

            var (_, sha) = await BackupWriter.HashAsync(path, cancellationToken);
            if (!string.Equals(sha, a.Sha256.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{a.Reference}: the file of attachment '{a.FileName}' (attachments/{a.StorageKey}) is corrupt: its SHA-256 is not the one recorded when it was uploaded.");
            }
        }

        return new DatabaseCheck(report, rows.Count, problems);
    }

    /// <summary>The attachment folder a database's configuration names.</summary>
    public static string AttachmentsFolder(IServiceProvider services) => AttachmentsFolder(services.GetRequiredService<IOptions<DatabaseOptions>>().Value);

    public static string AttachmentsFolder(DatabaseOptions options) =>
        string.IsNullOrWhiteSpace(options.AttachmentsFolder) ? Path.Combine(options.DataFolder(), "attachments") : Path.GetFullPath(options.AttachmentsFolder);
}
