namespace TIBS.Cases.Core.Privacy.Retention;

/// <summary>The moments before which each category is due, computed from the settings at one instant.</summary>
public sealed record RetentionCutoffs(
    DateTimeOffset Now,
    DateTimeOffset ContactsIdleBefore,
    DateTimeOffset StrategiesClosedBefore,
    DateTimeOffset AttachmentsClosedBefore,
    DateTimeOffset SessionsEndedBefore,
    DateTimeOffset SessionsCreatedBefore,
    DateTimeOffset ThrottleBefore)
{
    public static RetentionCutoffs For(RetentionOptions options, ProcessingLifetimes lifetimes, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return new RetentionCutoffs(
            utc,
            utc.AddMonths(-options.ContactsWithoutOpenCaseMonths),
            utc.AddMonths(-options.ClosedStrategiesMonths),
            utc.AddMonths(-options.AttachmentsAfterClosureMonths),
            utc.AddMonths(-options.EndedSessionsMonths),
            utc.AddMonths(-options.EndedSessionsMonths) - lifetimes.Session,
            utc - lifetimes.ThrottleMemory);
    }
}

/// <summary>A contact person due for erasure: their company has no open case and has been idle long enough.</summary>
public sealed record DueContact(Guid CompanyId, Guid ContactId);

/// <summary>A file of a closed case due for removal.</summary>
public sealed record DueAttachment(Guid CaseId, Guid AttachmentId, string StorageKey);

/// <summary>
/// What the rules find due at one moment: ids only, never names (a report must not become another copy of the
/// personal data it is about to erase). Sessions and forgotten sign-in failures are counted, not listed.
/// </summary>
public sealed record RetentionItems(
    IReadOnlyList<DueContact> Contacts,
    IReadOnlyList<DueAttachment> Attachments,
    IReadOnlyList<Guid> Strategies,
    int Sessions,
    int ThrottleEntries)
{
    public static RetentionItems None { get; } = new([], [], [], 0, 0);

    public bool IsEmpty => Contacts.Count == 0 && Attachments.Count == 0 && Strategies.Count == 0 && Sessions == 0 && ThrottleEntries == 0;

    /// <summary>The items of this report that are still due now (the rest changed since: a case reopened, a file gone).</summary>
    public RetentionItems StillDue(RetentionItems now)
    {
        var contacts = now.Contacts.ToHashSet();
        var attachments = now.Attachments.Select(a => a.AttachmentId).ToHashSet();
        var strategies = now.Strategies.ToHashSet();
        return new(
            [.. Contacts.Where(contacts.Contains)],
            [.. Attachments.Where(a => attachments.Contains(a.AttachmentId))],
            [.. Strategies.Where(strategies.Contains)],
            now.Sessions,
            now.ThrottleEntries);
    }
}

/// <summary>One dry run of the retention rules and, once applied, what its application did.</summary>
public sealed record RetentionReport(
    Guid Id,
    DateTimeOffset CreatedAt,
    Guid? CreatedBy,
    RetentionItems Items,
    DateTimeOffset? AppliedAt = null,
    Guid? AppliedBy = null,
    string? Outcome = null);

/// <summary>The categories of the retention rules, as their items are headed on the page.</summary>
public static class RetentionCategories
{
    public const string Contacts = "Contact persons of companies with no open case";
    public const string Attachments = "Files attached to closed cases";
    public const string Strategies = "Closed strategies past the retention period";
}

/// <summary>A report's item as an administrator reads it, with the words resolved when the page is shown.</summary>
public sealed record RetentionItemView(string Category, string Text, string? Link);

/// <summary>Where the retention rules find what is due, keep their reports and remove what they remove.</summary>
public interface IRetentionStore
{
    Task<RetentionItems> FindDueAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken = default);

    Task SaveReportAsync(RetentionReport report, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RetentionReport>> RecentReportsAsync(int count, CancellationToken cancellationToken = default);

    Task<RetentionReport?> GetReportAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Claims a report for application: false when it was already applied (by someone else, at the same time).</summary>
    Task<bool> ClaimApplicationAsync(Guid id, DateTimeOffset at, Guid? by, CancellationToken cancellationToken = default);

    /// <summary>Records what the application did, with its administration log line, in one transaction.</summary>
    Task RecordOutcomeAsync(Guid id, string outcome, Accounts.Administration.AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Marks the attachment's file removed: false when it already was.</summary>
    Task<bool> MarkAttachmentRemovedAsync(Guid attachmentId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The contact persons of the case's companies (lead and partners) that have no open case now.</summary>
    Task<IReadOnlyList<DueContact>> ContactsOfClosedCaseAsync(Guid caseId, CancellationToken cancellationToken = default);

    /// <summary>Marks the closed case's personal data erased by the retention rule: false when it already was.</summary>
    Task<bool> MarkCaseErasedAsync(Guid caseId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Removes sessions revoked before <paramref name="endedBefore"/> or expired (created before <paramref name="createdBefore"/>).</summary>
    Task<int> DeleteEndedSessionsAsync(DateTimeOffset endedBefore, DateTimeOffset createdBefore, CancellationToken cancellationToken = default);

    Task<int> DeleteForgottenSignInFailuresAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>The items in words: company and contact names (or that they were erased), case references, file names.</summary>
    Task<IReadOnlyList<RetentionItemView>> DescribeAsync(RetentionItems items, CancellationToken cancellationToken = default);
}

/// <summary>
/// The erasures the retention rules ask for: a contact person, and the personal data a closed strategy still holds.
/// Implemented by the erasure of personal data, so that retention erases exactly as an administrator's erasure does.
/// </summary>
public interface IRetentionErasure
{
    /// <summary>Erases the contact person; false when there was nothing left to erase.</summary>
    Task<bool> EraseContactAsync(DueContact contact, string reason, CancellationToken cancellationToken = default);

    /// <summary>Erases the personal data the closed case still holds; the number of values erased.</summary>
    Task<int> EraseCaseAsync(Guid caseId, string reason, CancellationToken cancellationToken = default);
}
