namespace TIBS.Cases.Core.Reference;

/// <summary>A partner region, identified by its NUTS 2021 code.</summary>
public sealed record Region
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string CountryCode { get; init; }
    public int NutsLevel { get; init; }
    public required string Kind { get; init; }
    public int SortOrder { get; init; }
}

public sealed record NaceSection
{
    public required string Code { get; init; }
    public required string Name { get; init; }
}

public sealed record S3Area
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public int SortOrder { get; init; }
}

public interface IReferenceDataStore
{
    Task<IReadOnlyList<Region>> RegionsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<NaceSection>> NaceSectionsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<S3Area>> S3AreasAsync(CancellationToken cancellationToken = default);
}
