using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Cases;

/// <summary>What the form that opens a case offers: the companies of the broker's region that may lead a case.</summary>
public sealed class NewCaseForm(ICompanyStore companies, TimeProvider time, Training.ITrainingStore? training = null, Training.CertificationOptions? certification = null)
{
    /// <summary>At most this many companies are offered.</summary>
    public const int MaxCandidates = 2000;

    public sealed record Request;

    /// <summary>The lead companies to choose from, or null when the actor does not open cases (only brokers do).</summary>
    public async Task<IReadOnlyList<CompanySummary>?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != WorkflowRole.Broker)
        {
            return null;
        }

        // The companies of every region the broker covers: a case may be opened for any of them.
        var all = new List<CompanySummary>();
        foreach (var region in actor.Regions)
        {
            CompanyCursor? after = null;
            do
            {
                var page = await companies.SearchAsync(new CompanySearch { RegionCode = region, After = after, PageSize = 200 }, cancellationToken);
                all.AddRange(page.Items);
                after = page.Next;
            }
            while (after is not null && all.Count < MaxCandidates);
        }

        return all;
    }

    /// <summary>
    /// Why the actor cannot open any case now, in words (a broker not certified while the rule requires it), so that
    /// the form says so before it is filled; null when they can. Opening the case checks it again (<see cref="OpenCase"/>).
    /// </summary>
    public async Task<string?> RefusalAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Role == WorkflowRole.Broker
            ? await Training.CertificationGate.RefusalAsync(training, certification, actor, time.UtcNow(), cancellationToken)
            : null;
    }
}
