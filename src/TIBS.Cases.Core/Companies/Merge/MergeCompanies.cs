using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Companies.Merge;

/// <summary>
/// Merges a duplicate company into the company that survives (coordinators only): every case, partner entry, contact
/// person, code, de minimis record and later lookup points to the survivor, in one transaction. The versions are the
/// ones the coordinator saw: a company changed (or merged) meanwhile is reported, nothing is overwritten. Case events
/// are never changed: the merge is an event of its own in every case concerned, and the recorded mapping makes the
/// duplicate's id in older events resolve to the survivor.
/// </summary>
public sealed class MergeCompanies(ICompanyStore companies, ICompanyMergeStore merges, TimeProvider time)
{
    /// <param name="SurvivorVersion">The survivor's version the coordinator saw; null: the version stored now.</param>
    /// <param name="DuplicateVersion">The duplicate's version the coordinator saw; null: the version stored now.</param>
    public sealed record Request(Guid SurvivorId, Guid DuplicateId, int? SurvivorVersion = null, int? DuplicateVersion = null);

    /// <param name="Survivor">Done: the surviving company as stored now.</param>
    /// <param name="MergedInto">Refused because a company was merged before: the company it was merged into.</param>
    public sealed record Result(CaseCommandStatus Status, string Message, Company? Survivor = null, CompanyMergeCounts? Counts = null, Guid? MergedInto = null)
    {
        public bool Succeeded => Status == CaseCommandStatus.Done;
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!CompanyAccess.CanMerge(actor))
        {
            return new Result(CaseCommandStatus.Forbidden, Localized.Text("Only coordinators merge companies."));
        }

        if (request.SurvivorId == request.DuplicateId)
        {
            return new Result(CaseCommandStatus.Refused, Localized.Text("A company cannot be merged into itself: choose two different companies."));
        }

        var survivor = await companies.GetAsync(request.SurvivorId, ct);
        var duplicate = await companies.GetAsync(request.DuplicateId, ct);
        if (survivor is null || duplicate is null)
        {
            return await GoneAsync(request, survivor is null, ct);
        }

        if (survivor.RegisterNumber is { } a && duplicate.RegisterNumber is { } b && (a != b || survivor.CountryCode != duplicate.CountryCode))
        {
            return new Result(CaseCommandStatus.Refused,
                Localized.Format("{0} and {1} have different register numbers ({2} and {3}): they are different companies and are not merged.", duplicate.Name, survivor.Name, Number(duplicate), Number(survivor)));
        }

        var stale = Stale(survivor, request.SurvivorVersion) ?? Stale(duplicate, request.DuplicateVersion);
        if (stale is not null)
        {
            return Conflict(stale);
        }

        var now = time.UtcNow();
        var data = new JsonObject
        {
            ["mergedId"] = duplicate.Id.ToString(),
            ["mergedName"] = duplicate.Name,
            ["survivorId"] = survivor.Id.ToString(),
            ["survivorName"] = survivor.Name,
        }.ToJsonString();
        try
        {
            var counts = await merges.MergeAsync(
                new CompanyMergeWrite(survivor, survivor.Version, duplicate, duplicate.Version, survivor.RegisterNumber ?? duplicate.RegisterNumber, actor.AuditId, now,
                    CaseEventKinds.CompanyMerged, data),
                ct);
            var stored = await companies.GetAsync(survivor.Id, ct);
            return new Result(CaseCommandStatus.Done,
                Localized.Format("{0} is merged into {1}: {2}, {3}, {4} and {5} now point to {1}.", duplicate.Name, survivor.Name,
                    counts.Cases == 1 ? Localized.Text("1 case") : Localized.Format("{0} cases", counts.Cases),
                    counts.Participants == 1 ? Localized.Text("1 partner entry") : Localized.Format("{0} partner entries", counts.Participants),
                    counts.Contacts == 1 ? Localized.Text("1 contact person") : Localized.Format("{0} contact persons", counts.Contacts),
                    counts.AidRecords == 1 ? Localized.Text("1 de minimis record") : Localized.Format("{0} de minimis records", counts.AidRecords)),
                stored, counts);
        }
        catch (ConcurrencyConflictException)
        {
            var now1 = await companies.GetAsync(survivor.Id, ct);
            var now2 = await companies.GetAsync(duplicate.Id, ct);
            return now1 is null || now2 is null
                ? await GoneAsync(request, now1 is null, ct)
                : Conflict(now1.Version != survivor.Version ? now1.Name : now2.Name);
        }
    }

    private static string? Stale(Company company, int? expected) => expected is { } v && v != company.Version ? company.Name : null;

    private static Result Conflict(string name) => new(CaseCommandStatus.Conflict,
        Localized.Format("Someone else changed {0} since you opened this page; nothing was merged. Review both companies and merge again.", name));

    private async Task<Result> GoneAsync(Request request, bool survivorGone, CancellationToken ct)
    {
        var id = survivorGone ? request.SurvivorId : request.DuplicateId;
        if (await merges.FindAsync(id, ct) is not { } merged)
        {
            return new Result(CaseCommandStatus.NotFound, survivorGone ? Localized.Text("The surviving company was not found.") : Localized.Text("The duplicate company was not found."));
        }

        var into = await companies.GetAsync(merged.SurvivorCompanyId, ct);
        var intoName = into?.Name ?? Localized.Text("another company");
        return survivorGone
            ? new Result(CaseCommandStatus.Refused, Localized.Format("{0} was already merged into {1}: choose {1} as the company that survives.", merged.MergedName, intoName), MergedInto: merged.SurvivorCompanyId)
            : new Result(CaseCommandStatus.Refused, Localized.Format("{0} was already merged into {1}; there is nothing left to merge.", merged.MergedName, intoName), MergedInto: merged.SurvivorCompanyId);
    }

    private static string Number(Company c) => RegisterNumbers.Display(c.CountryCode, c.RegisterNumber!);
}
