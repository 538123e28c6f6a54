using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Companies;

/// <summary>The reference choices of a company profile: partner countries, regions, NACE sections, S3 areas and size classes.</summary>
public sealed record CompanyChoices(IReadOnlyList<Region> Regions, IReadOnlyList<NaceSection> NaceSections, IReadOnlyList<S3Area> S3Areas)
{
    public IReadOnlyList<Country> Countries => CompanyRules.Countries;

    public IReadOnlyList<string> SizeClasses => Companies.SizeClasses.All;

    /// <summary>The name of a region by its code; the code itself when it is unknown.</summary>
    public string RegionName(string code) => Regions.FirstOrDefault(r => r.Code == code)?.Name ?? code;

    /// <summary>The actor's own region when it is a partner region (a new company's default), else null.</summary>
    public Region? OwnRegion(Actor actor) =>
        actor is { RegionCode: { } region } ? Regions.FirstOrDefault(r => r.Code == region) : null;

    internal static async Task<CompanyChoices> LoadAsync(IReferenceDataStore reference, CancellationToken ct) => new(
        await reference.RegionsAsync(ct),
        await reference.NaceSectionsAsync(ct),
        await reference.S3AreasAsync(ct));
}

/// <summary>Query: the choices a company form and the company list's filters offer. Null for users who may not see companies.</summary>
public sealed class CompanyFormOptions(IReferenceDataStore reference)
{
    public async Task<CompanyChoices?> HandleAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!CompanyAccess.CanRead(actor) && !CompanyAccess.CanCreate(actor))
        {
            return null;
        }

        return await CompanyChoices.LoadAsync(reference, ct);
    }
}
