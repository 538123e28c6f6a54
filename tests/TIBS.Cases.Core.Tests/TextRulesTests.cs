using System.Text;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Core.Tests;

/// <summary>What text a person may send: no control characters but tab, CR and LF, no broken characters, within limits.</summary>
public sealed class TextRulesTests
{
    [Theory]
    [InlineData("a\0b", "the control character U+0000")]
    [InlineData("\u0001", "the control character U+0001")]
    [InlineData("next\u0085line", "the control character U+0085")]
    [InlineData("\u007F", "the control character U+007F")]
    public void Control_characters_are_named(string text, string expected) =>
        Assert.Equal(expected, TextRules.ForbiddenCharacter(text));

    [Fact]
    public void Halves_of_a_surrogate_pair_on_their_own_are_broken_characters()
    {
        // (Built in code: a test runner's data serialization would replace them before the test sees them.)
        var high = new string((char)0xD800, 1);
        var low = new string((char)0xDC00, 1);

        Assert.Equal("a broken character (half of a surrogate pair)", TextRules.ForbiddenCharacter("half " + high + " of a pair"));
        Assert.Equal("a broken character (half of a surrogate pair)", TextRules.ForbiddenCharacter(low + high));
        Assert.Null(TextRules.ForbiddenCharacter(high + low));
    }

    [Theory]
    [InlineData("Tab\tand\r\nnew lines")]
    [InlineData("Łódź, Cēsis, Kouvola 🌲")]
    [InlineData("")]
    [InlineData(null)]
    public void Ordinary_text_with_tabs_line_breaks_and_any_script_is_accepted(string? text) =>
        Assert.Null(TextRules.ForbiddenCharacter(text));

    [Fact]
    public void A_problem_says_what_is_too_long_and_by_how_much()
    {
        Assert.Equal("The reason is too long: at most 2,000 characters (it has 2,001).", TextRules.Problem("The reason", new string('r', 2001), TextRules.MaxReasonLength));
        Assert.Equal("The note contains the control character U+0000, which cannot be stored; remove it.", TextRules.Problem("The note", "\0", TextRules.MaxNoteLength));
        Assert.Null(TextRules.Problem("The note", new string('n', TextRules.MaxNoteLength), TextRules.MaxNoteLength));
    }

    [Fact]
    public void Search_filters_are_reported_by_their_query_name()
    {
        var problems = new CompanySearch { Text = new string('x', 201), CountryCode = "P\0" }.Problems();

        Assert.Equal(["q", "country"], problems.Select(p => p.Field));
        Assert.Equal("The search text is too long: at most 200 characters (it has 201).", problems[0].Message);
    }

    [Fact]
    public void A_company_cursor_that_decodes_to_a_control_character_is_ignored()
    {
        var id = Guid.CreateVersion7();
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id:N}Name\0")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var genuine = new CompanyCursor("Name", id).Encode();

        Assert.Null(CompanyCursor.Decode(forged));
        Assert.Equal(new CompanyCursor("Name", id), CompanyCursor.Decode(genuine));
    }

    [Fact]
    public void Every_company_text_field_has_a_declared_limit()
    {
        Assert.Equal(CompanyRules.MaxTextLength, CompanyRules.MaxLengths["Offers"]);
        Assert.Equal("The name is too long: at most 300 characters (it has 301).", CompanyRules.TextProblem("Name", "The name", new string('n', 301)));
        Assert.Null(CompanyRules.TextProblem("Contacts.Phone", "The phone", "+371 2612 3456"));
    }
}
