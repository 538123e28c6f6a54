using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Companies.DeMinimis;

/// <summary>Query: a company's de minimis records with the three-year total up to today and what remains under the ceiling.</summary>
public sealed class GetDeMinimisAid(ICompanyStore companies, IDeMinimisStore aid, TimeProvider time)
{
    public sealed record Request(Guid CompanyId);

    /// <param name="CanRecord">Whether the actor may record aid for this company.</param>
    public sealed record View(Company Company, IReadOnlyList<DeMinimisAid> Records, DeMinimisStatus LastThreeYears, bool CanRecord)
    {
        public long CeilingCents => DeMinimisRules.CeilingCents;
    }

    public sealed record Result(CaseCommandStatus Status, View? View);

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!CompanyAccess.CanReadAid(actor))
        {
            return new Result(CaseCommandStatus.Forbidden, null);
        }

        if (await companies.GetAsync(request.CompanyId, ct) is not { } company)
        {
            return new Result(CaseCommandStatus.NotFound, null);
        }

        var records = await aid.ListAsync(company.Id, ct);
        var today = DateOnly.FromDateTime(time.UtcNow().UtcDateTime);
        return new Result(CaseCommandStatus.Done, new View(company, records, DeMinimisRules.Status(records, today), CompanyAccess.CanEdit(actor, company)));
    }
}
