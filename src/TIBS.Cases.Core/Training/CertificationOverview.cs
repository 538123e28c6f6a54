using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Training;

/// <summary>
/// The certification section of the coordinators' overview, per region: the active brokers and whether each is
/// certified, the completions that expire within <see cref="ExpiringWithinDays"/> days, whether the region has a
/// certified broker at all; and, while uncertified brokers may not open cases, the open cases they own (to reassign).
/// </summary>
public sealed class CertificationOverview(ITrainingStore store, IUserAdministrationStore people, IReferenceDataStore reference, CertificationOptions options, TimeProvider time)
{
    public const int ExpiringWithinDays = 60;

    public sealed record Broker(Guid Id, string Name, bool Certified, IReadOnlyList<string> Missing);

    public sealed record Expiring(string BrokerName, string ModuleTitle, DateTimeOffset ExpiresOn);

    public sealed record Region(string RegionName, IReadOnlyList<Broker> Brokers, IReadOnlyList<Expiring> Expiring)
    {
        public bool HasCertifiedBroker => Brokers.Any(b => b.Certified);
    }

    public sealed record CaseToReassign(Guid CaseId, string Reference, string Title, string RegionName, string OwnerName, IReadOnlyList<string> OwnerMissing);

    public sealed record Result(bool Allowed, IReadOnlyList<Region> Regions, bool UncertifiedMayNotOpenCases, IReadOnlyList<CaseToReassign> CasesOfUncertifiedOwners)
    {
        public static Result Forbidden { get; } = new(false, [], false, []);

        public IReadOnlyList<string> RegionsWithoutCertifiedBroker => [.. Regions.Where(r => !r.HasCertifiedBroker).Select(r => r.RegionName)];
    }

    public async Task<Result> HandleAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != WorkflowRole.Coordinator && actor.Role != WorkflowRole.Administrator)
        {
            return Result.Forbidden;
        }

        var now = time.UtcNow();
        var modules = await store.ListModulesAsync(cancellationToken);
        var titles = modules.ToDictionary(m => m.Id, m => m.Title);
        var completions = (await store.ListCompletionsAsync(null, cancellationToken)).ToLookup(c => c.UserId);
        var brokers = (await people.ListAsync(new UserFilter(Roles.Broker, null, true), cancellationToken)).ToList();
        var status = brokers.ToDictionary(b => b.Account.Id, b =>
        {
            var missing = CertificationRule.Missing(modules, completions[b.Account.Id], now);
            return new Broker(b.Account.Id, b.Account.DisplayName, missing.Count == 0, [.. missing.Select(m => m.Title)]);
        });

        var regionList = await reference.RegionsAsync(cancellationToken);
        var labels = new ReferenceLabels([], [], regionList);
        string RegionName(string code) => $"{labels.Region(code)} ({code})";
        var regions = regionList.OrderBy(r => r.SortOrder).ThenBy(r => r.Name, StringComparer.Ordinal).Select(r =>
        {
            var inRegion = brokers.Where(b => (b.Regions.Count > 0 ? b.Regions : [b.Account.RegionCode ?? ""]).Contains(r.Code, StringComparer.Ordinal)).OrderBy(b => b.Account.DisplayName, StringComparer.Ordinal).ToList();
            var expiring = inRegion.SelectMany(b => CertificationRule.Current(completions[b.Account.Id])
                    .Where(c => c.ExpiresOn is { } e && e > now && e <= now.AddDays(ExpiringWithinDays))
                    .Select(c => new Expiring(b.Account.DisplayName, titles.GetValueOrDefault(c.ModuleId) ?? Localized.Text("a removed module"), c.ExpiresOn!.Value)))
                .OrderBy(e => e.ExpiresOn).ToList();
            return new Region(RegionName(r.Code), [.. inRegion.Select(b => status[b.Account.Id])], expiring);
        }).ToList();

        var mayNot = options.UncertifiedBrokers == UncertifiedBrokerRule.MayNotOpenCases;
        var uncertified = status.Values.Where(b => !b.Certified).ToDictionary(b => b.Id);
        var cases = mayNot && uncertified.Count > 0 ? await store.OpenCasesOwnedByAsync([.. uncertified.Keys], cancellationToken) : [];
        return new Result(true, regions, mayNot,
            [.. cases.OrderBy(c => c.Reference, StringComparer.Ordinal).Select(c => new CaseToReassign(c.CaseId, c.Reference, c.Title, RegionName(c.RegionCode), uncertified[c.OwnerUserId].Name, uncertified[c.OwnerUserId].Missing))]);
    }
}
