using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Organisations;

/// <summary>A partner organisation of the programme; every user belongs to one.</summary>
public sealed record Organisation
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public required string CountryCode { get; init; }
    public string? WebAddress { get; init; }

    /// <summary>Archived organisations keep their users but are no longer offered for new ones.</summary>
    public bool IsArchived { get; init; }

    /// <summary>Grows with every change: an edit names the version it started from.</summary>
    public int Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The name as people read it in a choice: "Vidzeme Planning Region (Latvia)", archived ones said so.</summary>
    public string Label => $"{Name} ({Countries.Name(CountryCode)}{(IsArchived ? ", archived" : "")})";

    /// <summary>The name folded for comparison: a name is unique within its country whatever its case.</summary>
    public static string NameKey(string name) => name.Trim().ToLowerInvariant();
}

/// <summary>The kinds of partner organisations, with their names.</summary>
public static class OrganisationKinds
{
    public const string RegionalDevelopmentAgency = "regional-development-agency";
    public const string University = "university";
    public const string ChamberOfCommerce = "chamber-of-commerce";
    public const string SciencePark = "science-park";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } = [RegionalDevelopmentAgency, University, ChamberOfCommerce, SciencePark, Other];

    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind);

    /// <summary>The kind in the reader's language.</summary>
    public static string DisplayName(string kind) => IsKnown(kind) ? Localized.Text(EnglishName(kind)) : kind;

    /// <summary>The kind in English, for the administration log.</summary>
    public static string EnglishName(string kind) => kind switch
    {
        RegionalDevelopmentAgency => "Regional development agency",
        University => "University",
        ChamberOfCommerce => "Chamber of commerce",
        SciencePark => "Science park or innovation agency",
        Other => "Other",
        _ => kind,
    };
}

/// <summary>The programme's countries: an organisation is in one of them.</summary>
public static class ProgrammeCountries
{
    public static IReadOnlyList<string> All { get; } = ["PL", "LV", "EE", "LT", "FI", "DE", "DK", "SE"];

    public static bool IsProgrammeCountry(string? code) => code is not null && All.Contains(code);
}

/// <summary>An organisation with the number of users who belong to it.</summary>
public sealed record OrganisationSummary(Organisation Organisation, int UserCount);

/// <summary>What became of a write of an organisation.</summary>
public enum OrganisationWrite
{
    Saved,

    /// <summary>Another organisation of the same country has the name; nothing was written.</summary>
    NameTaken,

    /// <summary>The organisation changed since the version the writer started from (or is gone); nothing was written.</summary>
    Conflict,

    /// <summary>Users belong to the organisation: it cannot be deleted; nothing was written.</summary>
    InUse,
}

/// <summary>Persistence of partner organisations. Each write appends its administration log line in the same transaction.</summary>
public interface IOrganisationStore
{
    /// <summary>Every organisation with its number of users, by country and name.</summary>
    Task<IReadOnlyList<OrganisationSummary>> ListAsync(CancellationToken cancellationToken = default);

    Task<Organisation?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Whether any organisation (archived or not) exists: invitations require one from then on.</summary>
    Task<bool> AnyAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds the organisation at version 1; <paramref name="entry"/> is null only for demo data.</summary>
    Task<OrganisationWrite> AddAsync(Organisation organisation, AdministrationLogEntry? entry, CancellationToken cancellationToken = default);

    /// <summary>Writes every field and the next version, only if the stored version is still <paramref name="expectedVersion"/>.</summary>
    Task<OrganisationWrite> UpdateAsync(Organisation organisation, int expectedVersion, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Deletes the organisation if it is still at <paramref name="expectedVersion"/> and no user belongs to it.</summary>
    Task<OrganisationWrite> DeleteAsync(Guid id, int expectedVersion, AdministrationLogEntry entry, CancellationToken cancellationToken = default);
}
