namespace TIBS.Cases.Core.Companies.DeMinimis;

/// <summary>The de minimis records of the registry.</summary>
public interface IDeMinimisStore
{
    Task InsertAsync(DeMinimisAid aid, CancellationToken cancellationToken = default);

    /// <summary>The records of a company, newest grant first.</summary>
    Task<IReadOnlyList<DeMinimisAid>> ListAsync(Guid companyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The records of the given companies (every company when null), by company name then grant date, read while
    /// they are consumed (an export never holds them all).
    /// </summary>
    IAsyncEnumerable<DeMinimisExportRow> StreamAsync(IReadOnlyCollection<Guid>? companyIds, CancellationToken cancellationToken = default);
}
