using System.Globalization;
using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>
/// Pseudo-localisation (decision 0049) accents and lengthens a text but keeps what the program fills in or the browser
/// reads (placeholders, tags, entities), and it is active only under the pseudo culture.
/// </summary>
public sealed class PseudoLocalizationTests
{
    [Fact]
    public void A_text_is_accented_bracketed_and_at_least_40_percent_longer()
    {
        var text = PseudoLocalization.Apply("Save the draft");

        Assert.StartsWith("[Šávé thé đráft ", text, StringComparison.Ordinal);
        Assert.EndsWith("]", text, StringComparison.Ordinal);
        Assert.True(text.Length >= "Save the draft".Length * 1.4, text);
    }

    [Fact]
    public void Placeholders_tags_and_entities_are_kept_as_they_are()
    {
        var text = PseudoLocalization.Apply("Case {0} closed on {1:d} by <a href=\"/users/{2}\">someone</a> &amp; {{literal}}");

        Assert.Contains("{0}", text, StringComparison.Ordinal);
        Assert.Contains("{1:d}", text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/users/{2}\">", text, StringComparison.Ordinal);
        Assert.Contains("</a>", text, StringComparison.Ordinal);
        Assert.Contains("&amp;", text, StringComparison.Ordinal);
        Assert.Contains("{{", text, StringComparison.Ordinal);
        Assert.StartsWith(
            "[Çášé R-1 çłöšéđ öñ 2026-12-03 bý <a href=\"/users/u\">šöméöñé</a> &amp; {łítéráł} ~",
            string.Format(CultureInfo.InvariantCulture, text, "R-1", "2026-12-03", "u"),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Long_texts_are_padded_in_breakable_words_and_an_empty_text_stays_empty()
    {
        var text = PseudoLocalization.Apply(new string('x', 100));

        Assert.DoesNotContain("~~~~~~~", text, StringComparison.Ordinal);
        Assert.Equal("", PseudoLocalization.Apply(""));
    }

    [Fact]
    public void Texts_are_pseudo_localised_only_under_the_pseudo_culture()
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("lv");
            Assert.False(PseudoLocalization.IsActive);
            Assert.Equal("Save", PseudoLocalization.WhenActive("Save"));

            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(PseudoLocalization.CultureName);
            Assert.True(PseudoLocalization.IsActive);
            Assert.StartsWith("[Šávé", PseudoLocalization.WhenActive("Save"), StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
