using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Organisations;

namespace TIBS.Cases.Core.Accounts;

/// <summary>The signed-in user's own profile and preferences (never anyone else's, never secrets such as the password hash).</summary>
public sealed class GetProfile(IUserStore users, IOrganisationStore organisations)
{
    public sealed record Request;

    /// <summary>The profile; null when the user does not exist (any more).</summary>
    /// <param name="Regions">Every region the user covers, the home region (<paramref name="RegionCode"/>) first.</param>
    /// <param name="Language">The chosen interface language as a culture name (<c>lv</c>); null: the browser's language.</param>
    /// <param name="TimeZone">The chosen time zone (IANA id); null: the home region's.</param>
    public sealed record Profile(Guid Id, string Email, string DisplayName, string Role, string? RegionCode, bool EmailDigest, IReadOnlyList<string> Regions, string? Language, string? TimeZone)
    {
        /// <summary>The languages to choose from: the culture name and the language's own name.</summary>
        public IReadOnlyList<Language> Languages => Localization.Languages.All;

        /// <summary>The zone shown when the user chose none: their home region's.</summary>
        public string RegionTimeZone => TimeZones.ForRegion(RegionCode);

        /// <summary>The organisation the user belongs to; null when they have none yet.</summary>
        public string? OrganisationName { get; init; }

        /// <summary>"single" (a mail per notification) or "digest" (one daily summary).</summary>
        public string EmailDelivery => EmailDigest ? UpdatePreferences.Digest : UpdatePreferences.Single;
    }

    public async Task<Profile?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.IsSystem || await users.FindByIdAsync(actor.UserId, cancellationToken) is not { } user)
        {
            return null;
        }

        var organisation = user.OrganisationId is { } id ? await organisations.FindAsync(id, cancellationToken) : null;
        return new Profile(user.Id, user.Email, user.DisplayName, user.Role, user.RegionCode, user.EmailDigest, user.CoveredRegions, user.Language, user.TimeZone) { OrganisationName = organisation?.Label };
    }
}
