using System.Globalization;
using System.Text;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Text;

namespace TIBS.Cases.Core.Tests;

/// <summary>Names in the alphabet of each language, the language a user's culture stands for, and cursors that keep their order.</summary>
public sealed class NameOrderTests
{
    private static readonly string[] Names = ["Šilas", "Zuikis", "Ąžuolas", "Yla", "Ivanas", "Žemė", "Tamm", "Sõber", "Zoom", "Õun", "Äär"];

    private static string[] Sorted(string language, params string[] names) => [.. names.Order(NameOrder.Of(language))];

    [Fact]
    public void Lithuanian_sorts_y_as_i_and_c_s_z_with_caron_after_c_s_z()
    {
        Assert.Equal(["Äär", "Ąžuolas", "Yla", "Ivanas", "Õun", "Sõber", "Šilas", "Tamm", "Zoom", "Zuikis", "Žemė"], Sorted("lt", Names));
        Assert.Equal(["Čekis", "Dūda"], Sorted("lt", "Dūda", "Čekis"));
    }

    [Fact]
    public void Estonian_sorts_s_with_caron_and_z_before_t_and_o_tilde_a_o_u_with_umlaut_at_the_end()
    {
        Assert.Equal(["Ąžuolas", "Ivanas", "Sõber", "Šilas", "Zoom", "Zuikis", "Žemė", "Tamm", "Õun", "Äär", "Yla"], Sorted("et", Names));
        Assert.Equal(["Õun", "Äär", "Ööbik", "Üle"], Sorted("et", "Üle", "Ööbik", "Äär", "Õun"));
    }

    [Fact]
    public void English_sorts_accented_letters_with_their_base_letter()
    {
        Assert.Equal(["Äär", "Ąžuolas", "Ivanas", "Õun", "Šilas", "Sõber", "Tamm", "Yla", "Žemė", "Zoom", "Zuikis"], Sorted("en", Names));
    }

    [Fact]
    public void Swedish_and_Finnish_sort_a_ring_a_and_o_with_umlaut_after_z()
    {
        string[] names = ["Östra", "Ängel", "Åkerström", "Zeta", "Alva"];

        Assert.Equal(["Alva", "Zeta", "Åkerström", "Ängel", "Östra"], Sorted("sv", names));
        Assert.Equal(["Alva", "Zeta", "Åkerström", "Ängel", "Östra"], Sorted("fi", names));
        Assert.Equal(["Åkerström", "Alva", "Ängel", "Östra", "Zeta"], Sorted("de", names));
    }

    [Fact]
    public void Only_identical_names_are_equal()
    {
        var lithuanian = NameOrder.Of("lt")!;

        Assert.Equal(0, lithuanian.Compare("Šilas", "Šilas"));
        Assert.NotEqual(0, lithuanian.Compare("Šilas", "šilas"));
        Assert.NotEqual(0, lithuanian.Compare("Yla", "Ila"));
        Assert.Equal(-lithuanian.Compare("Yla", "Ila"), lithuanian.Compare("Ila", "Yla"));
    }

    [Theory]
    [InlineData("lt-LT", "lt")]
    [InlineData("lt", "lt")]
    [InlineData("et-EE", "et")]
    [InlineData("sv-FI", "sv")]
    [InlineData("fi-FI", "fi")]
    [InlineData("de-AT", "de")]
    [InlineData("en-GB", "en")]
    [InlineData("nb-NO", "en")]
    [InlineData("", "en")]
    public void A_culture_sorts_in_its_language_and_any_other_language_in_English(string culture, string language)
    {
        Assert.Equal(language, NameOrder.For(CultureInfo.GetCultureInfo(culture)).Language);
    }

    [Fact]
    public void The_current_order_is_that_of_the_UI_culture()
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("et-EE");
            Assert.Same(NameOrder.Of("et"), NameOrder.Current);
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("pl-PL");
            Assert.Same(NameOrder.Of("pl"), NameOrder.Current);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void A_cursor_keeps_its_order_and_a_cursor_of_an_unknown_order_is_ignored()
    {
        var id = Guid.CreateVersion7();
        var estonian = new CompanyCursor("Šilas", id, NameOrder.Of("et"));
        var unknown = Convert.ToBase64String(Encoding.UTF8.GetBytes($"xx.{id:N}Šilas")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var older = new CompanyCursor("Šilas", id).Encode();

        Assert.Equal(estonian, CompanyCursor.Decode(estonian.Encode()));
        Assert.Null(CompanyCursor.Decode(unknown));
        Assert.Equal(new CompanyCursor("Šilas", id, null), CompanyCursor.Decode(older));
    }
}
