using System.Globalization;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Web.Infrastructure.Localization;

/// <summary>
/// The interface's localisers, pseudo-localised while the request's UI culture is the pseudo culture (decision 0049):
/// the English text, accented and about 40 % longer, placeholders kept. Registered only when
/// <c>Localization:Pseudo</c> is on; it reads the resources through the framework's factory it wraps, so the
/// <c>H</c> (HTML) localiser is pseudo-localised too.
/// </summary>
internal sealed class PseudoStringLocalizerFactory(ResourceManagerStringLocalizerFactory inner) : IStringLocalizerFactory
{
    public IStringLocalizer Create(Type resourceSource) => new PseudoStringLocalizer(inner.Create(resourceSource));

    public IStringLocalizer Create(string baseName, string location) => new PseudoStringLocalizer(inner.Create(baseName, location));

    private sealed class PseudoStringLocalizer(IStringLocalizer inner) : IStringLocalizer
    {
        public LocalizedString this[string name] => Pseudo(inner[name]);

        public LocalizedString this[string name, params object[] arguments]
        {
            get
            {
                var format = this[name];
                return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, format.Value, arguments), format.ResourceNotFound, format.SearchedLocation);
            }
        }

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
            inner.GetAllStrings(includeParentCultures).Select(Pseudo);

        private static LocalizedString Pseudo(LocalizedString text) =>
            new(text.Name, PseudoLocalization.WhenActive(text.Value), text.ResourceNotFound, text.SearchedLocation);
    }
}
