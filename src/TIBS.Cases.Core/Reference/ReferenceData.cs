namespace TIBS.Cases.Core.Reference;

/// <summary>A partner region, identified by its NUTS 2021 code.</summary>
public sealed record Region(string Code, string Name, string CountryCode, int NutsLevel, string Kind, int SortOrder);

public sealed record NaceSection(string Code, string Name);

public sealed record S3Area(string Code, string Name, int SortOrder);

public interface IReferenceDataStore
{
    Task<IReadOnlyList<Region>> RegionsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<NaceSection>> NaceSectionsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<S3Area>> S3AreasAsync(CancellationToken cancellationToken = default);
}
