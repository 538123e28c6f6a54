using TIBS.Cases.Core.Organisations;

namespace TIBS.Cases.Web.Pages.Admin.Users;

/// <summary>The organisation choice of the invitation and user forms: only active organisations are offered.</summary>
internal sealed record OrganisationField(Guid? Chosen, IReadOnlyList<Organisation> Organisations, string? Error);
