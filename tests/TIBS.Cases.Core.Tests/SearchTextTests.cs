using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Core.Tests;

public sealed class SearchTextTests
{
    [Theory]
    [InlineData("SIA Gaujas Kokapstrāde", "sia gaujas kokapstrade")]
    [InlineData("KOKAPSTRĀDE", "kokapstrade")]
    [InlineData("Łódzka Stolarnia Żółć", "lodzka stolarnia zolc")]
    [InlineData("ą ć ę ł ń ó ś ź ż Ą Ć Ę Ł Ń Ó Ś Ź Ż", "a c e l n o s z z a c e l n o s z z")]
    [InlineData("ā č ē ģ ī ķ ļ ņ š ū ž", "a c e g i k l n s u z")]
    [InlineData("Õunapuu OÜ", "ounapuu ou")]
    [InlineData("õ ä ö ü", "o a o u")]
    [InlineData("Šiaulių Ūkis UAB", "siauliu ukis uab")]
    [InlineData("ė į ų", "e i u")]
    [InlineData("Großhandel Müller GmbH", "grosshandel muller gmbh")]
    [InlineData("GROẞHANDEL", "grosshandel")]
    [InlineData("Ærø Træ ApS", "aero trae aps")]
    [InlineData("Åkerström AB", "akerstrom ab")]
    [InlineData("Đuro Þór œuvre", "duro thor oeuvre")]
    [InlineData("ﬁne Ｗｏｏｄ", "fine wood")]
    [InlineData("LV008-2026-0042 50%_off", "lv008-2026-0042 50%_off")]
    public void Folding_drops_case_and_accents_and_maps_the_letters_without_a_decomposition(string text, string folded) =>
        Assert.Equal(folded, SearchText.Fold(text));

    [Fact]
    public void Upper_and_lower_case_with_and_without_accents_fold_to_the_same_key()
    {
        var forms = new[] { "Kokapstrāde", "KOKAPSTRĀDE", "kokapstrade", "KOKAPSTRADE", "kokapstrāde" };

        Assert.Single(forms.Select(SearchText.Fold).Distinct(StringComparer.Ordinal));
    }

    [Fact]
    public void A_key_joins_its_parts_so_no_word_spans_two_and_is_cut_to_its_column()
    {
        Assert.Equal("lv008-2026-0001\nłodz".Replace("ł", "l", StringComparison.Ordinal), SearchText.Case("LV008-2026-0001", "Łodz"));
        Assert.Equal("name\noffers", SearchText.CompanyText("Name", null, " Offers ", ""));
        Assert.Equal(SearchText.MaxKeyLength, SearchText.CompanyName(new string('ß', 600)).Length);
        Assert.Equal("", SearchText.Fold(null));
    }
}
