using TIBS.Cases.Data.Stores;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// What the trigram index is asked for when a search term holds a year beside other words: the other words in their
/// order (runs of letters and digits, as the index splits words), folded; any other term is asked for as it is.
/// </summary>
public sealed class SearchKeysTests
{
    [Theory]
    [InlineData("LT02-2025-13794", "%lt02%13794%")]
    [InlineData(" lv008-2026-0042 ", "%lv008%0042%")]
    [InlineData("2026-0042", "%0042%")]
    [InlineData("Łódź 1999 plan_b", "%lodz%plan%b%")]
    public void A_term_with_a_year_beside_other_words_is_asked_for_without_the_year(string term, string expected) =>
        Assert.Equal(expected, SearchKeys.IndexPattern(term));

    [Theory]
    [InlineData("LV008-0042")]
    [InlineData("2025")]
    [InlineData("2025 2026")]
    [InlineData("lodz meble 4710")]
    [InlineData("year 2100 and 1899")]
    [InlineData("")]
    public void Any_other_term_is_asked_for_as_it_is(string term) =>
        Assert.Null(SearchKeys.IndexPattern(term));
}
