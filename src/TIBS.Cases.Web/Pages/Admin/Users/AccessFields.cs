using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Web.Pages.Admin.Users;

/// <summary>The role and regions part of the invitation and user forms.</summary>
internal sealed record AccessFields(string? Role, IReadOnlyCollection<string?> Regions, IReadOnlyList<Region> AllRegions, string? RoleError, string? RegionsError);
