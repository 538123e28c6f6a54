using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Training;

/// <summary>
/// One broker's training: every completion (newest first) with its module and expiry, and whether the broker is
/// certified (and what is missing). A broker reads their own; coordinators and administrators read everyone's.
/// </summary>
public sealed class GetBrokerTraining(ITrainingStore store, IUserStore users, TimeProvider time)
{
    public sealed record Line(TrainingCompletion Completion, string ModuleTitle, bool Valid, bool IsCurrent);

    public sealed record Result(UserAccount Broker, IReadOnlyList<Line> Completions, bool Certified, IReadOnlyList<string> Missing, IReadOnlyList<TrainingModule> ActiveModules)
    {
        /// <summary>"Certified", or what is missing, in words.</summary>
        public string CertificationText => Certified
            ? Localized.Text("Certified: every training required for certification is complete and valid.")
            : Localized.Format("Not certified: missing or expired {0}.", string.Join(", ", Missing.Select(m => $"'{m}'")));
    }

    /// <summary>Null when the broker does not exist or is not the reader's to see.</summary>
    public async Task<Result?> HandleAsync(Guid brokerId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.UserId != brokerId && !TrainingAccess.CanManage(actor))
        {
            return null;
        }

        var broker = await users.FindByIdAsync(brokerId, cancellationToken);
        if (broker is null || broker.Role != Roles.Broker)
        {
            return null;
        }

        var now = time.UtcNow();
        var modules = await store.ListModulesAsync(cancellationToken);
        var titles = modules.ToDictionary(m => m.Id, m => m.Title);
        var completions = await store.ListCompletionsAsync(brokerId, cancellationToken);
        var current = CertificationRule.Current(completions).Select(c => c.Id).ToHashSet();
        var missing = CertificationRule.Missing(modules, completions, now);
        return new Result(
            broker,
            [.. completions.Select(c => new Line(c, titles.GetValueOrDefault(c.ModuleId) ?? Localized.Text("a removed module"), c.IsValidOn(now), current.Contains(c.Id)))],
            missing.Count == 0,
            [.. missing.Select(m => m.Title)],
            [.. modules.Where(m => m.IsActive).OrderBy(m => m.Title, StringComparer.Ordinal)]);
    }
}

/// <summary>
/// Opens a training certificate for download: the broker's own, or anyone's for coordinators and administrators.
/// Only a recorded certificate is ever served (the row first, its file after).
/// </summary>
public sealed class OpenCertificate(ITrainingStore store, IAttachmentStorage storage)
{
    public sealed record Download(string FileName, string ContentType, Stream Content);

    /// <summary>Null when there is no such certificate or it is not the reader's to download.</summary>
    public async Task<Download?> HandleAsync(Guid completionId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var completion = await store.GetCompletionAsync(completionId, cancellationToken);
        if (completion?.CertificateStorageKey is not { } key || (completion.UserId != actor.UserId && !TrainingAccess.CanManage(actor)))
        {
            return null;
        }

        return new Download(completion.CertificateFileName ?? "certificate", completion.CertificateContentType ?? "application/octet-stream", await storage.OpenAsync(key, cancellationToken));
    }
}

/// <summary>
/// Refuses a new case to an uncertified broker while <c>Certification:UncertifiedBrokers</c> is <c>MayNotOpenCases</c>
/// (the default); the refusal names what is missing.
/// </summary>
internal static class CertificationGate
{
    public static async Task<string?> RefusalAsync(ITrainingStore? store, CertificationOptions? options, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (store is null || (options ?? new CertificationOptions()).UncertifiedBrokers == UncertifiedBrokerRule.Allowed)
        {
            return null;
        }

        var missing = CertificationRule.Missing(await store.ListModulesAsync(cancellationToken), await store.ListCompletionsAsync(actor.UserId, cancellationToken), now);
        return missing.Count == 0
            ? null
            : Localized.Format("You are not certified yet, so you cannot open new cases: your training in {0} is missing or has expired. Ask your coordinator to record it.", string.Join(", ", missing.Select(m => $"'{m.Title}'")));
    }
}
