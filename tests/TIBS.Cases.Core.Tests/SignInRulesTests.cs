using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Tests;

public sealed class SignInRulesTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    [InlineData(7, 16)]
    [InlineData(8, 30)]
    [InlineData(500, 30)]
    public void Delays_double_after_the_free_failures_and_stop_at_the_cap(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), SignInThrottle.DelayAfter(failures, 3, new SignInThrottleSettings()));
    }

    [Fact]
    public void The_account_key_is_the_normalised_address_as_typed_whether_or_not_it_exists()
    {
        Assert.Equal("account:someone@example.org", SignInThrottle.AccountKey("  SomeOne@Example.ORG "));
        Assert.Equal("address:unknown", SignInThrottle.AddressKey(null));
    }

    [Theory]
    [InlineData(1, "Too many attempts, try again in 1 second.")]
    [InlineData(29.2, "Too many attempts, try again in 30 seconds.")]
    public void The_throttled_message_rounds_up_to_whole_seconds(double seconds, string expected)
    {
        Assert.Equal(expected, SignInThrottle.TooManyAttempts(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Settings_that_would_amount_to_a_lockout_are_refused()
    {
        var problems = new SignInThrottleSettings { MaxDelay = TimeSpan.FromHours(1), FreeFailuresPerAccount = 0 }.Problems("SignIn").ToList();

        Assert.Contains("SignIn:FreeFailuresPerAccount must be at least 1.", problems);
        Assert.Contains(problems, p => p.StartsWith("SignIn:MaxDelay must be at least SignIn:FirstDelay and at most 00:15:00", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData(@"C:\Users\anna\Desktop\offer.docx", "offer.docx")]
    [InlineData(@"..\..\web.config", "web.config")]
    [InlineData("folder/sub\\mixed/name.txt", "name.txt")]
    [InlineData("..", "attachment")]
    [InlineData("dir/", "attachment")]
    [InlineData("evil\r\nSet-Cookie: x.txt", "evilSet-Cookie: x.txt")]
    [InlineData("bell\u0007\u0000.pdf", "bell.pdf")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("  .hidden.csv ", "hidden.csv")]
    public void An_attachment_keeps_only_its_base_name_without_control_characters(string submitted, string expected)
    {
        Assert.Equal(expected, AttachmentNames.BaseName(submitted));
    }

    [Fact]
    public void A_very_long_attachment_name_is_cut_keeping_its_extension()
    {
        var name = AttachmentNames.BaseName(new string('a', 400) + ".pdf");

        Assert.Equal(AttachmentNames.MaxLength, name.Length);
        Assert.EndsWith(".pdf", name, StringComparison.Ordinal);
    }
}
