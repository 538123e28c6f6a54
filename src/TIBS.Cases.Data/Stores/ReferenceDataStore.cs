using Dapper;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Data.Stores;

/// <summary>Regions, NACE sections and S3 areas: seeded by migration, read often, cached for the process lifetime.</summary>
internal sealed class ReferenceDataStore(IDbConnectionFactory db) : IReferenceDataStore
{
    private IReadOnlyList<Region>? regions;
    private IReadOnlyList<NaceSection>? nace;
    private IReadOnlyList<S3Area>? s3;

    public async Task<IReadOnlyList<Region>> RegionsAsync(CancellationToken cancellationToken = default) =>
        regions ??= await QueryAsync<Region>("SELECT code, name, country_code, nuts_level, kind, sort_order FROM regions ORDER BY sort_order", cancellationToken);

    public async Task<IReadOnlyList<NaceSection>> NaceSectionsAsync(CancellationToken cancellationToken = default) =>
        nace ??= await QueryAsync<NaceSection>("SELECT code, name FROM nace_sections ORDER BY code", cancellationToken);

    public async Task<IReadOnlyList<S3Area>> S3AreasAsync(CancellationToken cancellationToken = default) =>
        s3 ??= await QueryAsync<S3Area>("SELECT code, name, sort_order FROM s3_areas ORDER BY sort_order", cancellationToken);

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<T>(new CommandDefinition(sql, cancellationToken: cancellationToken))];
    }
}
