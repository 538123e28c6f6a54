using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Training;

/// <summary>A module of the training catalogue; <see cref="Version"/> counts edits (a concurrent edit is reported).</summary>
public sealed record TrainingModule
{
    public required Guid Id { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }

    /// <summary>How long a completion stays valid; null: it never expires.</summary>
    public int? ValidityMonths { get; init; }
    public bool RequiredForCertification { get; init; }
    public bool IsActive { get; init; } = true;
    public int Version { get; init; } = 1;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A broker's completion of a module, with its certificate file (stored like a case attachment) and its expiry.</summary>
public sealed record TrainingCompletion
{
    public required Guid Id { get; init; }
    public required Guid UserId { get; init; }
    public required Guid ModuleId { get; init; }
    public required DateTimeOffset CompletedOn { get; init; }

    /// <summary>The completion date plus the module's validity; null: it never expires.</summary>
    public DateTimeOffset? ExpiresOn { get; init; }
    public required string Trainer { get; init; }
    public string? CertificateFileName { get; init; }
    public string? CertificateContentType { get; init; }
    public long? CertificateSize { get; init; }
    public string? CertificateSha256 { get; init; }
    public string? CertificateStorageKey { get; init; }
    public Guid? RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }

    public bool IsValidOn(DateTimeOffset now) => ExpiresOn is null || ExpiresOn > now;
}

/// <summary>An open case and its owner, for the list of cases whose owner is not certified.</summary>
public sealed record OwnedOpenCase
{
    public required Guid CaseId { get; init; }
    public required string Reference { get; init; }
    public required string Title { get; init; }
    public required string RegionCode { get; init; }
    public required Guid OwnerUserId { get; init; }
}

/// <summary>
/// Persistence of the training catalogue and the completions. Each write also appends its administration log line, in
/// one transaction (none only for the demo data, which is seeded as the demo users are, without log lines).
/// </summary>
public interface ITrainingStore
{
    Task<IReadOnlyList<TrainingModule>> ListModulesAsync(CancellationToken cancellationToken = default);

    Task<TrainingModule?> GetModuleAsync(Guid id, CancellationToken cancellationToken = default);

    Task AddModuleAsync(TrainingModule module, AdministrationLogEntry? log, CancellationToken cancellationToken = default);

    /// <summary>Writes the module if its stored version is still <paramref name="expectedVersion"/>; false when someone else changed it first.</summary>
    Task<bool> UpdateModuleAsync(TrainingModule module, int expectedVersion, AdministrationLogEntry log, CancellationToken cancellationToken = default);

    /// <summary>The completions of one user, or of everyone when <paramref name="userId"/> is null; newest first.</summary>
    Task<IReadOnlyList<TrainingCompletion>> ListCompletionsAsync(Guid? userId, CancellationToken cancellationToken = default);

    Task<TrainingCompletion?> GetCompletionAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a completion, cancels the pending expiry reminders of the user's earlier completions of the same module,
    /// writes the new completion's reminders and the log line, in one transaction.
    /// </summary>
    Task RecordCompletionAsync(TrainingCompletion completion, IReadOnlyList<ReminderRecord> reminders, AdministrationLogEntry? log, CancellationToken cancellationToken = default);

    /// <summary>The storage keys of the certificates of a user (they live in the attachment storage under the user's id).</summary>
    Task<IReadOnlyList<string>> CertificateKeysAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>The open cases owned by <paramref name="ownerIds"/>.</summary>
    Task<IReadOnlyList<OwnedOpenCase>> OpenCasesOwnedByAsync(IReadOnlyCollection<Guid> ownerIds, CancellationToken cancellationToken = default);
}

/// <summary>What an uncertified broker may do (<c>Certification:UncertifiedBrokers</c>).</summary>
public enum UncertifiedBrokerRule
{
    MayNotOpenCases,
    Allowed,
}

/// <summary>The <c>Certification</c> section of the settings.</summary>
public sealed class CertificationOptions
{
    public const string SectionName = "Certification";

    public UncertifiedBrokerRule UncertifiedBrokers { get; set; } = UncertifiedBrokerRule.MayNotOpenCases;
}

/// <summary>The rule of certification: an unexpired completion of every active module required for certification.</summary>
internal static class CertificationRule
{
    /// <summary>The active required modules the user holds no valid completion of (empty: certified).</summary>
    public static IReadOnlyList<TrainingModule> Missing(IEnumerable<TrainingModule> modules, IEnumerable<TrainingCompletion> completionsOfUser, DateTimeOffset now)
    {
        var valid = completionsOfUser.Where(c => c.IsValidOn(now)).Select(c => c.ModuleId).ToHashSet();
        return [.. modules.Where(m => m.IsActive && m.RequiredForCertification && !valid.Contains(m.Id)).OrderBy(m => m.Title, StringComparer.Ordinal)];
    }

    /// <summary>The newest completion of each module (a newer one replaces the older).</summary>
    public static IReadOnlyList<TrainingCompletion> Current(IEnumerable<TrainingCompletion> completions) =>
        [.. completions.GroupBy(c => (c.UserId, c.ModuleId)).Select(g => g.OrderByDescending(c => c.CompletedOn).ThenByDescending(c => c.RecordedAt).First())];

    public static string Day(DateTimeOffset? d) => d?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "never";
}

/// <summary>The administration log's actions about training.</summary>
internal static class TrainingActions
{
    public const string ModuleAdded = "training-module-added";
    public const string ModuleChanged = "training-module-changed";
    public const string CompletionRecorded = "training-recorded";
}

/// <summary>Who keeps the catalogue and records training: coordinators and administrators.</summary>
internal static class TrainingAccess
{
    public static bool CanManage(Actor actor) => actor.Role is TIBS.Cases.Workflows.Definitions.WorkflowRole.Coordinator or TIBS.Cases.Workflows.Definitions.WorkflowRole.Administrator && !actor.IsSystem;
}
