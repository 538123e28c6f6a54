using TIBS.Cases.Core.Accounts.Administration;

namespace TIBS.Cases.Core.Tests;

/// <summary>The password rule after NIST SP 800-63B: length, not composition; common passwords refused.</summary>
public sealed class PasswordRuleTests
{
    [Fact]
    public void The_shipped_list_holds_ten_thousand_common_passwords()
    {
        Assert.InRange(PasswordRule.CommonPasswordCount, 9_900, 10_000); // a few differ only in case
    }

    [Theory]
    [InlineData("", "Enter a password.")]
    [InlineData("Sh0rt!pass", "The password must have at least 12 characters (it has 10). A few words with spaces make a good one.")]
    [InlineData("qwerty123456", "This password is on the list of commonly used passwords; choose another one.")]
    [InlineData("QWERTY123456", "This password is on the list of commonly used passwords; choose another one.")]
    [InlineData("password1234", "This password is a commonly used one with digits or symbols added; choose another one.")]
    [InlineData("!!Dragon2026!!", "This password is a commonly used one with digits or symbols added; choose another one.")]
    [InlineData("zzzzxxxxzzzzxxxx", "The password repeats too few different characters; a few words make a good one.")]
    [InlineData("anna@tibs.example", "The password may not be your e-mail address or your name.")]
    public void A_weak_password_is_refused_in_words(string password, string problem)
    {
        Assert.Equal(problem, PasswordRule.Problem(password, "anna@tibs.example", "Anna Kowalska"));
    }

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("alllowercaseletters")]
    [InlineData("žąsys skrenda į pietus")]
    [InlineData("Amber lantern over Vilnius 7")]
    public void A_long_password_needs_no_digits_capitals_or_symbols(string password)
    {
        Assert.Null(PasswordRule.Problem(password, "anna@tibs.example", "Anna Kowalska"));
    }
}
