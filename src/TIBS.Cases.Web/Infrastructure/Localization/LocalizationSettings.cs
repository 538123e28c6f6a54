namespace TIBS.Cases.Web.Infrastructure.Localization;

/// <summary>The <c>Localization</c> settings (README, Configuration).</summary>
internal sealed class LocalizationSettings
{
    public const string SectionName = "Localization";

    /// <summary>
    /// Shows every interface text and Core's messages pseudo-localised (accented, about 40 % longer) in every request,
    /// to see untranslated texts and pages that break with longer words (decision 0049). Off unless set; never for users.
    /// </summary>
    public bool Pseudo { get; set; }
}
