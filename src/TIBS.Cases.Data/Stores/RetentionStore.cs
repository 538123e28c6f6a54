using System.Text.Json;
using Dapper;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Privacy.Retention;

namespace TIBS.Cases.Data.Stores;

/// <summary>The retention rules' queries, reports and removals (decision 0044).</summary>
internal sealed class RetentionStore(IDbConnectionFactory db) : IRetentionStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A case that still involves the company: led by it or with it among the partners, and not closed before the cutoff.</summary>
    private const string CompanyStillInvolved = """
        EXISTS (SELECT 1 FROM cases c WHERE (c.closed_at IS NULL OR c.closed_at >= @contacts)
            AND (c.lead_company_id = co.id OR EXISTS (SELECT 1 FROM case_participants p WHERE p.case_id = c.id AND p.company_id = co.id)))
        """;

    public async Task<RetentionItems> FindDueAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        var args = new
        {
            contacts = cutoffs.ContactsIdleBefore,
            strategies = cutoffs.StrategiesClosedBefore,
            attachments = cutoffs.AttachmentsClosedBefore,
            sessions = cutoffs.SessionsEndedBefore,
            sessionsCreated = cutoffs.SessionsCreatedBefore,
            throttle = cutoffs.ThrottleBefore,
        };
        await using var c = await db.OpenAsync(cancellationToken);
        var contacts = await c.QueryAsync<DueContact>(new CommandDefinition(
            $"""
            SELECT cc.company_id AS CompanyId, cc.id AS ContactId FROM company_contacts cc JOIN companies co ON co.id = cc.company_id
            WHERE co.created_at < @contacts AND NOT {CompanyStillInvolved}
            ORDER BY cc.company_id, cc.id
            """, args, cancellationToken: cancellationToken));
        var attachments = await c.QueryAsync<DueAttachment>(new CommandDefinition(
            """
            SELECT a.case_id AS CaseId, a.id AS AttachmentId, a.storage_key AS StorageKey FROM case_attachments a JOIN cases c ON c.id = a.case_id
            WHERE a.removed_at IS NULL AND c.closed_at IS NOT NULL AND (c.closed_at < @attachments OR c.closed_at < @strategies)
            ORDER BY a.case_id, a.uploaded_at, a.id
            """, args, cancellationToken: cancellationToken));
        var strategies = await c.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM cases WHERE closed_at IS NOT NULL AND closed_at < @strategies AND personal_data_erased_at IS NULL ORDER BY closed_at, id",
            args, cancellationToken: cancellationToken));
        var sessions = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM user_sessions WHERE revoked_at < @sessions OR created_at < @sessionsCreated", args, cancellationToken: cancellationToken));
        var throttle = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM sign_in_throttle WHERE last_failure_at < @throttle", args, cancellationToken: cancellationToken));
        return new RetentionItems([.. contacts], [.. attachments], [.. strategies], (int)sessions, (int)throttle);
    }

    public async Task SaveReportAsync(RetentionReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO retention_reports (id, created_at, created_by, contacts, attachments, strategies, sessions, items, applied_at, applied_by, outcome)
            VALUES (@Id, @CreatedAt, @CreatedBy, @Contacts, @Attachments, @Strategies, @Sessions, @Items, NULL, NULL, NULL)
            """,
            new
            {
                report.Id,
                report.CreatedAt,
                report.CreatedBy,
                Contacts = report.Items.Contacts.Count,
                Attachments = report.Items.Attachments.Count,
                Strategies = report.Items.Strategies.Count,
                Sessions = report.Items.Sessions + report.Items.ThrottleEntries,
                Items = JsonSerializer.Serialize(report.Items, Json),
            },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<RetentionReport>> RecentReportsAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<ReportRow>(new CommandDefinition(
            db.Dialect.Limit("SELECT id, created_at, created_by, items, applied_at, applied_by, outcome FROM retention_reports ORDER BY created_at DESC, id", "@count"),
            new { count }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToReport())];
    }

    public async Task<RetentionReport?> GetReportAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
            "SELECT id, created_at, created_by, items, applied_at, applied_by, outcome FROM retention_reports WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToReport();
    }

    public async Task<bool> ClaimApplicationAsync(Guid id, DateTimeOffset at, Guid? by, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE retention_reports SET applied_at = @at, applied_by = @by WHERE id = @id AND applied_at IS NULL", new { id, at, by }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task RecordOutcomeAsync(Guid id, string outcome, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("UPDATE retention_reports SET outcome = @outcome WHERE id = @id", new { id, outcome }, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO administration_log (id, occurred_at, actor_id, action, subject_user_id, details) VALUES (@Id, @OccurredAt, @ActorId, @Action, @SubjectUserId, @Details)",
            entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<bool> MarkAttachmentRemovedAsync(Guid attachmentId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE case_attachments SET removed_at = @at WHERE id = @attachmentId AND removed_at IS NULL", new { attachmentId, at }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<IReadOnlyList<DueContact>> ContactsOfClosedCaseAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<DueContact>(new CommandDefinition(
            """
            SELECT cc.company_id AS CompanyId, cc.id AS ContactId FROM company_contacts cc JOIN companies co ON co.id = cc.company_id
            WHERE (co.id IN (SELECT lead_company_id FROM cases WHERE id = @caseId) OR co.id IN (SELECT company_id FROM case_participants WHERE case_id = @caseId))
              AND NOT EXISTS (SELECT 1 FROM cases o WHERE o.closed_at IS NULL
                  AND (o.lead_company_id = co.id OR EXISTS (SELECT 1 FROM case_participants p WHERE p.case_id = o.id AND p.company_id = co.id)))
            ORDER BY cc.company_id, cc.id
            """, new { caseId }, cancellationToken: cancellationToken))];
    }

    public async Task<bool> MarkCaseErasedAsync(Guid caseId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE cases SET personal_data_erased_at = @at WHERE id = @caseId AND personal_data_erased_at IS NULL", new { caseId, at }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<int> DeleteEndedSessionsAsync(DateTimeOffset endedBefore, DateTimeOffset createdBefore, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM user_sessions WHERE revoked_at < @endedBefore OR created_at < @createdBefore", new { endedBefore, createdBefore }, cancellationToken: cancellationToken));
    }

    public async Task<int> DeleteForgottenSignInFailuresAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM sign_in_throttle WHERE last_failure_at < @before", new { before }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<RetentionItemView>> DescribeAsync(RetentionItems items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var views = new List<RetentionItemView>();
        await using var c = await db.OpenAsync(cancellationToken);
        if (items.Contacts.Count > 0)
        {
            var contacts = (await c.QueryAsync<(Guid Id, Guid CompanyId, string Name, string Company)>(new CommandDefinition(
                $"SELECT cc.id, cc.company_id, cc.name, co.name FROM company_contacts cc JOIN companies co ON co.id = cc.company_id WHERE {db.Dialect.InList("cc.id", "@ids")}",
                new { ids = db.Dialect.IdList(items.Contacts.Select(x => x.ContactId)) }, cancellationToken: cancellationToken))).ToDictionary(x => x.Id);
            views.AddRange(items.Contacts.Select(x => contacts.TryGetValue(x.ContactId, out var row)
                ? new RetentionItemView(RetentionCategories.Contacts, $"{row.Name} ({row.Company})", $"/companies/{row.CompanyId}")
                : new RetentionItemView(RetentionCategories.Contacts, "A contact person no longer recorded", null)));
        }

        if (items.Attachments.Count > 0)
        {
            var files = (await c.QueryAsync<(Guid Id, Guid CaseId, string FileName, string Reference)>(new CommandDefinition(
                $"SELECT a.id, a.case_id, a.file_name, c.reference FROM case_attachments a JOIN cases c ON c.id = a.case_id WHERE {db.Dialect.InList("a.id", "@ids")}",
                new { ids = db.Dialect.IdList(items.Attachments.Select(x => x.AttachmentId)) }, cancellationToken: cancellationToken))).ToDictionary(x => x.Id);
            views.AddRange(items.Attachments.Select(x => files.TryGetValue(x.AttachmentId, out var row)
                ? new RetentionItemView(RetentionCategories.Attachments, $"{row.FileName} on {row.Reference}", $"/cases/{row.CaseId}")
                : new RetentionItemView(RetentionCategories.Attachments, "An attachment no longer recorded", null)));
        }

        if (items.Strategies.Count > 0)
        {
            var cases = (await c.QueryAsync<(Guid Id, string Reference, string Title, DateTimeOffset ClosedAt)>(new CommandDefinition(
                $"SELECT id, reference, title, closed_at FROM cases WHERE {db.Dialect.InList("id", "@ids")}",
                new { ids = db.Dialect.IdList(items.Strategies) }, cancellationToken: cancellationToken))).ToDictionary(x => x.Id);
            views.AddRange(items.Strategies.Select(id => cases.TryGetValue(id, out var row)
                ? new RetentionItemView(RetentionCategories.Strategies, $"{row.Reference} {row.Title}, closed on {row.ClosedAt.UtcDateTime:yyyy-MM-dd}", $"/cases/{row.Id}")
                : new RetentionItemView(RetentionCategories.Strategies, "A case no longer recorded", null)));
        }

        return views;
    }

    private sealed class ReportRow
    {
        public Guid Id { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public Guid? CreatedBy { get; init; }
        public string Items { get; init; } = "{}";
        public DateTimeOffset? AppliedAt { get; init; }
        public Guid? AppliedBy { get; init; }
        public string? Outcome { get; init; }

        public RetentionReport ToReport() => new(
            Id, CreatedAt, CreatedBy, JsonSerializer.Deserialize<RetentionItems>(Items, Json) ?? RetentionItems.None, AppliedAt, AppliedBy, Outcome);
    }
}
